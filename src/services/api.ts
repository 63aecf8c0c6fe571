/** Typed wrappers over the gateway for the answers the pages read. */
import type { BoardItem, WishView } from '@/core';

export type { BoardItem, WishView };

export interface Me {
  id: string;
  role: 'resident' | 'member' | 'organiser';
  name: string;
  orgId: string | null;
  orgName: string | null;
  categories: string[];
  consent?: { current: string; accepted: boolean; sensitive: boolean; acceptedVersion: string | null };
  pending?: { orgId: string; name: string } | null;
  /** Communities the caller may filter the board by (optional: older servers do not send it). */
  communities?: { orgId: string; orgName: string }[];
}

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

/** A board item with the fields the issue-3 board adds (urgent first, the community's name). */
export type BoardCard = BoardItem & { urgent?: boolean; orgName?: string };

export interface Notice {
  _id: string;
  kind: string;
  title: string;
  body: string;
  wishId: string | null;
  at: string;
  read: boolean;
  /** A notice not about one wish (a bulletin, a reminder) opens this page. */
  link?: string;
  /** The action it asks for was already taken (or the wish ended): shown as done, with this short reason. */
  done?: true;
  doneReason?: string;
  /** Unread notices of the same kind about the same wish, folded into this one: how many, and all their ids. */
  count?: number;
  ids?: string[];
}

export interface Duplicate {
  _id: string;
  title: string;
  status: WishView['status'];
  createdAt: string;
  reasons: ('same-phone' | 'same-address' | 'similar-text' | 'same-resident')[];
}

export interface BatchPublish {
  published: WishView[];
  failed: { wishId: string; code: string; message: string }[];
}

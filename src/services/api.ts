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
}

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

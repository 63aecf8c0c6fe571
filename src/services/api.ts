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
}

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

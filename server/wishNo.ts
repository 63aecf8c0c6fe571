/**
 * 心愿编号 (issue 22): each wish gets a short number at collect, unique across the deployment (so also per organisation),
 * reserved by storing it as the `_id` of a `wishnos` document that names the wish: a second wish can never take a
 * number (the insert fails and the next candidate is tried), and a number is found by its primary key (no index on
 * `wishes`, which is at the platform's 20-index quota). Candidates are derived from the wish id, so a retried collect
 * or import (same id) reserves the same number again and finds it already its own.
 */
import { createHash } from 'node:crypto';
import { inScope, type Actor } from '../src/core';
import { normaliseWishNo, wishNoFrom } from '../src/core/cards';
import { addWishNo, getWish, wishNoById } from './store';
import type { StoredWish } from '../src/core';

const candidate = (wishId: string, attempt: number) => wishNoFrom(createHash('sha256').update(`wish-no\n${wishId}\n${attempt}`).digest());

/** Reserves a number for wish `wishId` (its own again on a retry). 40 random-looking bits: a clash is rare, and tried
 * again with the next candidate. */
export async function reserveWishNo(wishId: string, orgId: string, now: Date): Promise<string> {
  for (let attempt = 0; attempt < 16; attempt++) {
    const no = candidate(wishId, attempt);
    if (await addWishNo({ _id: no, wishId, orgId, at: now.toISOString() })) return no;
    const held = await wishNoById(no);
    if (held?.wishId === wishId) return no;
  }
  throw new Error(`no free wish number for ${wishId}`);
}

/** The wish of number `typed` (as typed: case, spaces and O/I/L forgiven) if it is in the actor's scope, else null. */
export async function wishByNo(typed: string, actor: Actor): Promise<StoredWish | null> {
  const no = normaliseWishNo(typed);
  if (!no) return null;
  const held = await wishNoById(no);
  if (!held || !inScope(actor, held.orgId)) return null;
  const wish = await getWish(held.wishId);
  return wish && inScope(actor, wish.orgId) ? wish : null;
}

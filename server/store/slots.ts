/**
 * The claim limit's slots: a member's `openClaimIds` on their user document, the ids of the wishes they hold in status
 * `claimed` with a member's claim (src/core/effects.ts slotHolder), plus the ids they reserved for a claim in flight.
 * A claim adds its wish here in its first round and is decided by the id's position before the wish is written
 * (server/claimSlots.ts); every later step that takes the wish from its holder, or gives it back, is delivered as a `claimSlot` effect
 * (server/effects.ts). `openClaimAt.<wishId>` records when a slot was reserved or added, so a slot of a claim still in
 * flight is told from one a crash left behind.
 */
import { USERS } from './collections';
import { db } from './db';
import type { UserChange } from './users';

/** A wish id as a key of `openClaimAt` (no dots or dollars in a path). */
export const slotAtKey = (wishId: string) => wishId.replace(/[.$]/g, '_');
const slotKey = (wishId: string) => `openClaimAt.${slotAtKey(wishId)}`;
const stamps = (wishIds: readonly string[], now: Date) => Object.fromEntries(wishIds.map((id) => [slotKey(id), now.toISOString()]));

/**
 * Reserves a slot for `wishId` on the member's list if it holds fewer than `limit` ids: one conditional update (where
 * the list exists and has no element at index `limit - 1`; `$addToSet`, so a retry adds nothing twice). Whether it
 * matched. A list that does not exist yet is not matched: it is filled first (`fillClaimSlots`). Used when a claim's
 * own id was taken out of the list between its first round and its decision.
 */
export async function reserveClaimSlot(memberId: string, wishId: string, limit: number, now: Date): Promise<boolean> {
  const _ = db().command;
  const r = await db()
    .collection(USERS)
    .where({ _id: memberId, openClaimIds: _.exists(true), [`openClaimIds.${limit - 1}`]: _.exists(false) })
    .update({ openClaimIds: _.addToSet(wishId), ...stamps([wishId], now) });
  return Number(r.updated ?? 0) === 1;
}

/**
 * Adds `wishId` to the member's list, if they have one, and returns the list as it is after this update (null: no
 * list yet, nothing written). One request (updateAndReturn: the database applies it to the document alone, so of
 * concurrent adds each sees the list with its own id in place): the caller decides by the id's position whether it
 * is within the limit (server/claimSlots.ts).
 */
export async function addClaimSlotAndReturn(memberId: string, wishId: string, now: Date): Promise<Slots | null> {
  const { where, patch } = claimSlotChange(wishId, now);
  const r = await db()
    .collection(USERS)
    .where({ ...where, _id: memberId })
    .updateAndReturn(patch);
  return slotsOf(r.doc as SlotFields | null | undefined);
}

/** The update `addClaimSlotAndReturn` makes, as a change the request that loads the caller can carry (store/users.ts
 * loadCounting): the list, if the member has one, with `wishId` added and stamped `now`. */
export function claimSlotChange(wishId: string, now: Date): UserChange {
  return {
    where: { openClaimIds: db().command.exists(true) },
    patch: { openClaimIds: db().command.addToSet(wishId), ...stamps([wishId], now) },
  };
}

/** Sets a member's list to `wishIds` if they have none yet (a user from before the lists; one conditional update). */
export async function fillClaimSlots(memberId: string, wishIds: readonly string[], now: Date): Promise<void> {
  const _ = db().command;
  await db()
    .collection(USERS)
    .where({ _id: memberId, openClaimIds: _.exists(false) })
    .update({
      openClaimIds: _.set([...wishIds]),
      openClaimAt: _.set(Object.fromEntries(wishIds.map((id) => [slotAtKey(id), now.toISOString()]))),
    });
}

/** Adds these wishes to a member's list, if they have one (a member without a list gets it filled from the wishes on
 * their next claim), stamped `now`. One request, idempotent. */
export async function addClaimSlots(memberId: string, wishIds: readonly string[], now: Date): Promise<void> {
  if (!wishIds.length) return;
  const _ = db().command;
  await db()
    .collection(USERS)
    .where({ _id: memberId, openClaimIds: _.exists(true) })
    .update({ openClaimIds: _.addToSet(wishIds.length === 1 ? wishIds[0] : { $each: [...wishIds] }), ...stamps(wishIds, now) });
}

/** Removes these wishes (and their reservation times) from a member's list. One request, idempotent. */
export async function releaseClaimSlots(memberId: string, wishIds: readonly string[]): Promise<void> {
  if (!wishIds.length) return;
  const _ = db().command;
  await db()
    .collection(USERS)
    .where({ _id: memberId, openClaimIds: _.exists(true) })
    .update({ openClaimIds: _.pullAll([...wishIds]), ...Object.fromEntries(wishIds.map((id) => [slotKey(id), _.remove()])) });
}

/** A member's list and the times its ids were reserved or added (by slotAtKey). */
export interface Slots {
  ids: string[];
  at: Record<string, string>;
}

type SlotFields = { openClaimIds?: string[]; openClaimAt?: Record<string, string> };

/** The list and its stamps as a user document holds them (null: no list yet). */
export function slotsOf(u: SlotFields | null | undefined): Slots | null {
  return u?.openClaimIds ? { ids: u.openClaimIds, at: u.openClaimAt ?? {} } : null;
}

/** A member's list and reservation times as stored now (null: no list yet). One read by _id. */
export async function claimSlotsOf(memberId: string): Promise<Slots | null> {
  const r = await db().collection(USERS).doc(memberId).field({ openClaimIds: true, openClaimAt: true }).get();
  return slotsOf(r.data[0] as SlotFields | undefined);
}

export interface SlotDoc {
  _id: string;
  openClaimIds: string[];
  openClaimAt?: Record<string, string>;
}

/** Members with a list, one page by `_id` after `after`: their lists and stamps (the nightly reconcile). */
export async function claimSlotPage(after: string, limit: number): Promise<SlotDoc[]> {
  const _ = db().command;
  const r = await db()
    .collection(USERS)
    .where({ _id: _.gt(after), openClaimIds: _.exists(true) })
    .orderBy('_id', 'asc')
    .field({ _id: true, openClaimIds: true, openClaimAt: true })
    .limit(limit)
    .get();
  return r.data as SlotDoc[];
}

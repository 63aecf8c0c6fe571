/** Wish cards (paper cards with a number and a PIN, server/cards.ts). */
import type { Effect } from '../../src/core';
import { CARDS } from './collections';
import { db } from './db';

export interface CardDoc {
  _id: string; // the card number, XXXX-XXXX-XXXX
  orgId: string;
  salt: string;
  pinHash: string;
  issuedBy: string;
  issuedAt: string;
  wishId: string | null;
  failures: number;
  lockedUntil: string | null;
  /** A receipt (回执): the requestId it was made by, so that a retry answers the same card. */
  receiptRequest?: string | null;
  /** Audit entries stored with a change to the card (a new PIN) and not yet delivered. */
  pendingEffects?: Effect[];
}

/** Points a card not yet used at this wish (one conditional update); whether it did. */
export async function linkCard(cardNo: string, wishId: string): Promise<boolean> {
  const r = await db().collection(CARDS).where({ _id: cardNo, wishId: null }).update({ wishId });
  return r.updated === 1;
}

/** Points a card back at no wish if it still points at `wishId` (undoing linkCard). */
export async function unlinkCard(cardNo: string, wishId: string): Promise<void> {
  await db().collection(CARDS).where({ _id: cardNo, wishId }).update({ wishId: null });
}

/** One card by its number, or undefined. */
export async function cardById(cardNo: string): Promise<CardDoc | undefined> {
  return (await db().collection(CARDS).doc(cardNo).get()).data[0] as CardDoc | undefined;
}

/** These cards' organisation and wish (one request, at most `limit`). */
export async function cardLinksByIds(cardNos: readonly string[], limit: number): Promise<Array<Pick<CardDoc, '_id' | 'orgId' | 'wishId'>>> {
  const r = await db()
    .collection(CARDS)
    .where({ _id: db().command.in([...cardNos]) })
    .field({ _id: true, orgId: true, wishId: true })
    .limit(limit)
    .get();
  return r.data as Array<Pick<CardDoc, '_id' | 'orgId' | 'wishId'>>;
}

/** Stores a new card (a card number already taken fails the insert: a card is never reused). */
export async function addCard(card: CardDoc): Promise<void> {
  await db().collection(CARDS).add(card);
}

export async function removeCard(cardNo: string): Promise<void> {
  await db().collection(CARDS).doc(cardNo).remove();
}

/** Gives a card a new PIN, clearing its wrong-PIN count and lock, if its PIN hash is still `pinHash` (one conditional
 * update), with `audit` added to its pending effects if given; whether it did. */
export async function repinCard(
  cardNo: string,
  pinHash: string,
  next: { salt: string; pinHash: string },
  audit?: Effect,
): Promise<boolean> {
  const r = await db()
    .collection(CARDS)
    .where({ _id: cardNo, pinHash })
    .update({
      salt: next.salt,
      pinHash: next.pinHash,
      failures: 0,
      lockedUntil: null,
      ...(audit ? { pendingEffects: db().command.push([audit]) } : {}),
    });
  return r.updated === 1;
}

/** A fresh count once a lock has run out (conditional on the lock read: of concurrent callers one resets it). */
export async function resetCardLock(cardNo: string, lockedUntil: string): Promise<void> {
  await db().collection(CARDS).where({ _id: cardNo, lockedUntil }).update({ failures: 0, lockedUntil: null });
}

/** Locks a card until `until` unless it is locked already (the first lock stands). */
export async function lockCard(cardNo: string, until: string): Promise<void> {
  await db().collection(CARDS).where({ _id: cardNo, lockedUntil: null }).update({ lockedUntil: until });
}

/** Reserves one PIN try: one conditional increment of `failures` while below `max` and not locked; the card as the
 * try reserved it, or null when no try is left. */
export async function takePinTry(cardNo: string, max: number): Promise<CardDoc | null> {
  const _ = db().command;
  const r = await db()
    .collection(CARDS)
    .where({ _id: cardNo, failures: _.lt(max), lockedUntil: null })
    .updateAndReturn({ failures: _.inc(1) });
  return r.updated === 1 ? (r.doc as CardDoc | null) : null;
}

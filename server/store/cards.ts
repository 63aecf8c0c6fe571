/** Wish cards (paper cards with a number and a PIN, server/cards.ts). */
import { CARDS } from './collections';
import { db } from './db';

/** Points a card not yet used at this wish (one conditional update); whether it did. */
export async function linkCard(cardNo: string, wishId: string): Promise<boolean> {
  const r = await db().collection(CARDS).where({ _id: cardNo, wishId: null }).update({ wishId });
  return r.updated === 1;
}

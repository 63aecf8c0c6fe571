/** 心愿编号 (`wishnos`): a wish's number reserved as the `_id` of a document naming the wish (server/wishNo.ts). */
import { WISHNOS } from './collections';
import { db } from './db';
import { insertNew } from './docs';

export interface WishNoDoc {
  _id: string; // the number, XXXX-XXXX
  wishId: string;
  orgId: string;
  at: string;
}

/** Reserves a number; false when it is taken (by this wish or another: read it with wishNoById). */
export const addWishNo = (doc: WishNoDoc) => insertNew(WISHNOS, doc as WishNoDoc & Record<string, unknown>);

/** The reservation of a number, or undefined. */
export async function wishNoById(no: string): Promise<WishNoDoc | undefined> {
  return (await db().collection(WISHNOS).doc(no).get()).data[0] as WishNoDoc | undefined;
}

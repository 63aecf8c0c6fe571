/** WeChat's asynchronous media checks (`mediachecks`): one document per trace, pending until its verdict is applied
 * (server/mediaChecks.ts). */
import type { Effect, MediaVerdict, PhotoPlace } from '../../src/core';
import { MEDIACHECKS } from './collections';
import { db } from './db';
import { insertNew } from './docs';

export interface MediaCheckDoc {
  _id: string; // WeChat's trace_id
  fileId: string;
  wishId: string;
  openid: string; // who submitted the photo
  at: string; // submitted, UTC ISO
  state: 'pending' | 'done';
  verdict?: MediaVerdict;
  label?: number | null;
  doneAt?: string;
  removed?: PhotoPlace[];
  /** The verdict's audit entry, stored with `state: 'done'` and delivered after (server/effects.ts dispatch). */
  pendingEffects?: Effect[];
}

/** Records a submitted check; false when this trace is already recorded (a retried call: the first record stands). */
export const addMediaCheck = (doc: MediaCheckDoc) => insertNew(MEDIACHECKS, doc as MediaCheckDoc & Record<string, unknown>);

/** One check by its trace id, or null. */
export async function mediaCheckById(traceId: string): Promise<MediaCheckDoc | null> {
  const r = await db().collection(MEDIACHECKS).doc(traceId).get();
  return (r.data[0] as MediaCheckDoc | undefined) ?? null;
}

/** Marks a pending check done with these fields (one conditional update); false when it was done already. */
export async function finishMediaCheck(
  traceId: string,
  fields: Required<Pick<MediaCheckDoc, 'verdict' | 'label' | 'doneAt' | 'removed' | 'pendingEffects'>>,
): Promise<boolean> {
  const r = await db()
    .collection(MEDIACHECKS)
    .where({ _id: traceId, state: 'pending' })
    .update({ state: 'done', ...fields });
  return r.updated === 1;
}

/**
 * WeChat's asynchronous media check, both halves.
 *
 * Submit: every photo of `collect`, `fulfil` and `progress` goes to `security.mediaCheckAsync` (contentCheck.ts),
 * which answers at once with a `trace_id` only. Once the wish is stored, each trace is recorded here as a
 * `mediachecks` document `{ _id: trace_id, fileId, wishId, openid, at, state: 'pending' }`.
 *
 * Verdict: within about 30 minutes WeChat pushes a `wxa_media_check` event (MsgType 'event') to the
 * mini-program's message push target — on CloudBase, the `mediaCheckResult` cloud function. `applyVerdict`
 * looks the trace up; `risky` (and `review`, which nobody can look at yet: treated the same) takes the photo off
 * the wish in one conditional update, deletes the file, audits it and marks the check done; `pass` marks done.
 * A verdict for a check already done changes nothing.
 */
import { auditEffect, removePhoto, type Effect, type MediaVerdict, type PhotoPlace, type Wish } from '../src/core';
import { dispatch, type Holder } from './effects';
import { deleteFiles } from './photos';
import { MEDIACHECKS, addMediaCheck, finishMediaCheck, getWish, mediaCheckById, rewriteIfVersion, type MediaCheckDoc } from './store';

export type { MediaCheckDoc };

export interface MediaTrace {
  fileId: string;
  traceId: string;
}

/** Where a verdict's audit entry waits until delivered: the check document itself. */
const IN_CHECK: Holder = { collection: MEDIACHECKS, field: 'pendingEffects' };

/** Records the submitted checks of a stored wish (called only after the wish or its transition is stored). */
export async function recordMediaChecks(traces: readonly MediaTrace[], wishId: string, openid: string, now: Date): Promise<void> {
  for (const t of traces) {
    const doc: MediaCheckDoc = { _id: t.traceId, fileId: t.fileId, wishId, openid, at: now.toISOString(), state: 'pending' };
    await addMediaCheck(doc); // false for the same trace twice (a retried call): the first record stands
  }
}

export type VerdictOutcome =
  | { traceId: string; state: 'unknown' } // no such check (not ours, or its wish was never stored)
  | { traceId: string; state: 'done'; changed: false } // already done: a repeated push
  | { traceId: string; state: 'done'; changed: true; verdict: MediaVerdict; removed: PhotoPlace[] };

const MAX_ATTEMPTS = 4;

export async function applyVerdict(traceId: string, verdict: MediaVerdict, label: number | null, now: Date): Promise<VerdictOutcome> {
  const check = await mediaCheckById(traceId);
  if (!check) return { traceId, state: 'unknown' };
  if (check.state === 'done') {
    // A repeated push after an interrupted one: what that one stored but did not deliver goes now.
    if (check.pendingEffects?.length) await dispatch(traceId, check.pendingEffects, IN_CHECK);
    return { traceId, state: 'done', changed: false };
  }

  let removed: PhotoPlace[] = [];
  let before: Wish | null = null;
  let after: Wish | null = null;
  if (verdict !== 'pass') {
    // One conditional update on {_id, version}; a lost race is retried against the fresh wish.
    for (let attempt = 0; ; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`mediaCheckResult: wish ${check.wishId} kept changing; trace ${traceId} left pending`);
      const wish = await getWish(check.wishId);
      const next = wish && removePhoto(wish, check.fileId, verdict, now);
      if (!wish || !next) break; // the photo is no longer on the wish (erased, or removed by an earlier push)
      if (await rewriteIfVersion(wish, next.wish)) {
        removed = next.places;
        before = wish;
        after = next.wish;
        break;
      }
    }
    // The file goes too, and its upload record says so (a file already gone is not an error: a retried push).
    await deleteFiles([check.fileId], now);
  }

  // A verdict that is not a pass is audited: the entry is stored with `state: 'done'` (one update) and delivered
  // after it, so a crash in between leaves it for the repeated push rather than losing it.
  let pendingEffects: Effect[] = [];
  if (verdict !== 'pass') {
    const wish = after ?? (await getWish(check.wishId));
    pendingEffects = [
      auditEffect(`${traceId}-mediaCheck`, null, {
        at: now.toISOString(),
        action: 'mediaCheck',
        target: { kind: 'wish', id: check.wishId },
        orgId: wish?.orgId ?? null,
        before: { fileId: check.fileId, version: before?.version ?? wish?.version ?? null, submittedBy: check.openid },
        after: { verdict, label, traceId, removedFrom: removed, fileDeleted: true, version: after?.version ?? wish?.version ?? null },
      }),
    ];
  }
  const done = await finishMediaCheck(traceId, { verdict, label, doneAt: now.toISOString(), removed, pendingEffects });
  if (!done) return { traceId, state: 'done', changed: false }; // a concurrent push finished it first
  if (pendingEffects.length) await dispatch(traceId, pendingEffects, IN_CHECK);
  return { traceId, state: 'done', changed: true, verdict, removed };
}

/** Rate-limit counters: one fixed-window document per user, action and window (server/trust.ts). */
import { RATE } from './collections';
import { db } from './db';
import { isDuplicate } from './docs';

/**
 * Adds one to the counter document `id` and returns the new count: one request (updateAndReturn), except the window's
 * first call, which finds no document and inserts it with `first` and count 1 (a concurrent first call that loses that
 * insert increments instead). The document database has no update-or-insert with an increment in one request: the
 * SDK's only upsert is `doc().set()`, a whole-document replacement that refuses update operators
 * (@cloudbase/database document.js `set`: "update operator complicit"); `update` and `updateAndReturn` send
 * `upsert: false`.
 */
export async function bumpCounter(id: string, first: Record<string, unknown>): Promise<number> {
  const col = db().collection(RATE);
  const _ = db().command;
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await col.where({ _id: id }).updateAndReturn({ count: _.inc(1) });
    const count = (r.doc as { count?: number } | null | undefined)?.count;
    if (r.updated === 1 && typeof count === 'number') return count;
    try {
      await col.add({ _id: id, ...first, count: 1 });
      return 1;
    } catch (e) {
      if (!isDuplicate(e)) throw e;
    }
  }
  throw new Error(`rate counter ${id}: no document after three attempts`);
}

/** Sets the counter document `id` to `count` (one request, `doc().set()`: made or replaced whole). */
export async function setCounter(id: string, fields: Record<string, unknown>, count: number): Promise<void> {
  await db()
    .collection(RATE)
    .doc(id)
    .set({ ...fields, count });
}

/** A user's counter documents of one window (`windowStart`), by function: what a new user document of theirs starts
 * with (server/trust.ts rateSeed). One request; a user writes with a few functions an hour. */
export async function countersOf(userId: string, windowStart: string): Promise<Map<string, number>> {
  const r = await db().collection(RATE).where({ userId, windowStart }).limit(100).get();
  return new Map((r.data as Array<{ fn: string; count: number }>).map((d) => [d.fn, d.count]));
}

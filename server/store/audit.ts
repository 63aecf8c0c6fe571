/** The audit log: append-only entries, read newest first within an organiser's subtree. */
import { AUDIT } from './collections';
import { db } from './db';

/** Up to `limit + 1` entries matching `scope`, newest first, after the cursor (at, _id) if given. */
export async function auditEntries<T>(
  scope: Record<string, unknown>,
  cursor: { at: string; id: string } | null,
  limit: number,
): Promise<T[]> {
  const _ = db().command;
  const where = cursor ? _.and([scope, _.or([{ at: _.lt(cursor.at) }, { at: cursor.at, _id: _.lt(cursor.id) }])]) : scope;
  const r = await db()
    .collection(AUDIT)
    .where(where)
    .orderBy('at', 'desc')
    .orderBy('_id', 'desc')
    .limit(limit + 1)
    .get();
  return r.data as T[];
}

/** Appends entries to the audit log (one request; none for no entries). No function updates or deletes them. */
export async function appendAudit(entries: readonly object[]): Promise<void> {
  if (entries.length)
    await db()
      .collection(AUDIT)
      .add([...entries]);
}

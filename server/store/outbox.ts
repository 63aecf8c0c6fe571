/** The outbox: notifications, one document per recipient (the local adapter and the in-app list). */
import type { Notification } from '../../src/core';
import { OUTBOX } from './collections';
import { db } from './db';
import { listDocs } from './paging';

/** Marks these of the recipient's own notices read; how many changed. */
export async function markNoticesRead(to: string, ids: readonly string[]): Promise<number> {
  const _ = db().command;
  const r = await db()
    .collection(OUTBOX)
    .where({ to, _id: _.in(ids) })
    .update({ read: true });
  return r.updated ?? 0;
}

/** Stores one notice (server/notify.ts outboxNotifier). */
export async function addNotice(doc: Notification): Promise<void> {
  await db().collection(OUTBOX).add(doc);
}

/** One page of a recipient's notices, newest first. */
export const noticePage = (to: string, opts: { cursor?: string; limit?: number }) =>
  listDocs<Notification>(OUTBOX, { to }, { sortBy: 'at', ...opts });

/** Housekeeping of short-lived documents: deadline reminders sent, rate-limit windows, invitation codes. */
import { INVITES, RATE, REMINDERS } from './collections';
import { db } from './db';
import { insertNew } from './docs';

/** Records that the deadline reminder of a wish for this promised date was sent; false when it already was. */
export const recordReminder = (doc: { _id: string; wishId: string; promisedBy: string; at: string }) => insertNew(REMINDERS, doc);

/** Removes rate-limit windows that started before `before`; how many. */
export async function removeRateWindowsBefore(before: string): Promise<number> {
  const r = await db()
    .collection(RATE)
    .where({ windowStart: db().command.lt(before) })
    .remove();
  return r.deleted ?? 0;
}

/** Removes invitation codes that expired before `now`; how many. */
export async function removeExpiredInvites(now: string): Promise<number> {
  const r = await db()
    .collection(INVITES)
    .where({ expiresAt: db().command.lt(now) })
    .remove();
  return r.deleted ?? 0;
}

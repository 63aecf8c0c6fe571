// 到期提醒 remind: run by the timer trigger in config.json (daily 09:00). Each claimed wish whose promised date is
// today or tomorrow (China time) gets one deadlineNear notice per promised date, recorded in `reminders`.
import { addDays, chinaDate, deadlineNotice, type Wish } from '../../src/core';
import { deliver } from '../../server/notify';
import { defineScheduled } from '../../server/runner';
import { claimedPromised, listWishes, recordReminder } from '../../server/store';

const MAX_PAGES = 50; // 1,000 wishes a run

export const main = defineScheduled('remind', async (now) => {
  const today = chinaDate(now);
  const filter = claimedPromised(today, { lte: addDays(today, 1) });
  let sent = 0;
  let skipped = 0;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await listWishes(filter, { sortBy: 'claim.promisedBy', order: 'asc', cursor, limit: 20 });
    if (r === 'bad-cursor') break;
    for (const w of r.items) {
      if (await alreadyReminded(w)) {
        skipped++;
        continue;
      }
      const notice = deadlineNotice(w, now);
      if (notice) sent += await deliver([notice], w.orgId, null, now.toISOString());
    }
    if (!r.cursor) break;
    cursor = r.cursor;
  }
  return { sent, skipped };
});

/** Records the reminder for this (wish, promised date); true when it was recorded before (a duplicate write). */
async function alreadyReminded(w: Wish): Promise<boolean> {
  return !(await recordReminder({
    _id: `${w._id}_${w.claim!.promisedBy}`,
    wishId: w._id,
    promisedBy: w.claim!.promisedBy,
    at: new Date().toISOString(),
  }));
}

// 逾期提醒 overdueAlerts: run by the timer trigger in config.json (daily 08:30 China time). Each claim whose promised
// date has passed sends its organisers (the nearest organisers of the wish's organisation) one `claimOverdue` alert
// per wish and promised date: the outbox document's _id is a hash of `overdue-<wishId>-<promisedBy>` and the
// recipient, so a rerun, or an overlapping run, stores nothing twice, and the WeChat subscribe message goes only with
// an outbox document this run stored. An approved extension moves the date: overdue again later, alerted again.
// Bounded: the claims whose promised date lies in the last LOOKBACK days (index status + claim.promisedBy), in pages
// of PAGE, at most MAX_PAGES pages: never the whole collection. A claim overdue for longer was alerted when it became
// overdue (or stays on the workbench's red tile: orgWishes `overdue`).
import { addDays, chinaDate, overdueAlert, type Effect, type Notification, type Wish } from '../../src/core';
import { noticeDocs, sendWechat } from '../../server/effects';
import { insertOnce } from '../../server/store';
import { defineScheduled } from '../../server/runner';
import { OUTBOX, claimedPromised, listWishes } from '../../server/store';

/** Days back: a claim is overdue from the day after its promised date; a week covers runs that did not happen. */
export const LOOKBACK = 7;
const PAGE = 100;
const MAX_PAGES = 20; // 2,000 claims a run
// Not `claim` whole: listDocs adds the sort key `claim.promisedBy`, and MongoDB refuses a projection of a path and its parent.
const FIELDS = ['_id', 'orgId', 'status', 'claim.kind', 'claim.member', 'claim.promisedBy', 'summary', 'category', 'channel'] as const;

export const main = defineScheduled('overdueAlerts', async (now) => {
  const today = chinaDate(now);
  const filter = claimedPromised(addDays(today, -LOOKBACK), { lt: today });
  let wishes = 0;
  let sent = 0;
  let already = 0;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await listWishes(filter, { sortBy: 'claim.promisedBy', order: 'asc', cursor, limit: PAGE, fields: FIELDS });
    if (r === 'bad-cursor') break;
    const effects = r.items.flatMap((w: Wish): Effect[] => {
      const notice = overdueAlert(w, now);
      if (!notice) return [];
      return [
        { id: `overdue-${w._id}-${w.claim!.promisedBy}`, kind: 'notice', notice, at: now.toISOString(), orgId: w.orgId, actorId: null },
      ];
    });
    wishes += effects.length;
    const docs: Notification[] = (await Promise.all(effects.map((e) => noticeDocs(e as Extract<Effect, { kind: 'notice' }>)))).flat();
    const stored = new Set(await insertOnce(OUTBOX, docs));
    sent += stored.size;
    already += docs.length - stored.size;
    if (!process.env.TCB_SERVICE_URL && stored.size) await sendWechat(docs.filter((d) => stored.has(d._id)));
    if (!r.cursor) break;
    cursor = r.cursor;
  }
  return { today, wishes, sent, already };
});

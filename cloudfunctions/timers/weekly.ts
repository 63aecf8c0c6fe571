// 一周一督促 weekly: run by the timer trigger in config.json (Thursdays 09:00 China time; Xuzhou's weekly summary
// day). Each party member holding claims (status claimed) gets one reminder listing them, soonest promised date
// first, the overdue marked; each organiser whose organisation (with its subtree) has waiting queues — collected and
// not registered after 3 days, published and unclaimed after 7, extension requests, wishes held for moderation,
// overdue claims — gets one summary (read from the stock figures document, src/core/figures.ts). One notice per
// kind | week (the Monday, China time) | recipient: a rerun in the same week sends nothing twice.
import { REMINDER_LIST, TimerEvent, monthDay, periodsAt, stockFigures, weekOf, STOCK, type Wish } from '../../src/core';
import { figuresOf, readFigures, rhythmNotice, sendOnce } from '../../server/rhythm';
import { defineScheduled } from '../../server/runner';
import { listWishes, organisersByOrg } from '../../server/store';
import { counterId } from '../../src/core';

const PAGE = 200;
const MAX_PAGES = 100; // 20,000 open claims a run

export const main = defineScheduled(
  'weekly',
  async (now) => {
    const { day } = periodsAt(now);
    const week = weekOf(day);
    const at = now.toISOString();
    // Open claims, by the index on (status, claim.promisedBy), grouped by the member who holds them.
    const held = new Map<string, Array<Pick<Wish, '_id' | 'title'> & { promisedBy: string }>>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await listWishes(
        { status: 'claimed' },
        { sortBy: 'claim.promisedBy', order: 'asc', cursor, limit: PAGE, fields: ['_id', 'title', 'claim'] },
      );
      if (r === 'bad-cursor') break;
      for (const w of r.items) {
        if (w.claim?.kind !== 'member' || !w.claim.memberId) continue;
        held.set(w.claim.memberId, [...(held.get(w.claim.memberId) ?? []), { _id: w._id, title: w.title, promisedBy: w.claim.promisedBy }]);
      }
      if (!r.cursor) break;
      cursor = r.cursor;
    }
    const year = day.slice(0, 4);
    const cut = (s: string) => (s.length > 12 ? `${s.slice(0, 11)}…` : s);
    const reminders = [...held].map(([member, wishes]) => {
      const lines = wishes
        .slice(0, REMINDER_LIST)
        .map((w) => `“${cut(w.title)}”${w.promisedBy < day ? '已超期' : `${monthDay(w.promisedBy, year)}前`}`);
      const more = wishes.length > REMINDER_LIST ? `等${wishes.length}个` : '';
      return rhythmNotice(
        'weeklyReminder',
        `member|${week}`,
        member,
        {
          title: `本周督促：您有${wishes.length}个心愿在办`,
          body: `${lines.join('；')}${more}。请按承诺时间办好，办不完可申请延期`,
          link: '/member/claims/index',
        },
        at,
      );
    });
    // Organisers: their organisation's stock figures (its whole subtree).
    const organisers = await organisersByOrg();
    const stock = await readFigures([...organisers.keys()].map((id) => counterId(id, STOCK)));
    const summaries = [...organisers].flatMap(([orgId, ids]) => {
      const s = stockFigures(figuresOf(stock, orgId, STOCK), day);
      const parts = [
        s.staleCollected && `${s.staleCollected}个心愿收集超过3天未登记`,
        s.stalePublished && `${s.stalePublished}个发布超过7天无人认领`,
        s.extensionsPending && `${s.extensionsPending}个延期申请待审批`,
        s.held && `${s.held}个待内容审核`,
        s.overdue && `${s.overdue}个认领已超期`,
      ].filter(Boolean);
      if (!parts.length) return [];
      return ids.map((to) =>
        rhythmNotice(
          'weeklySummary',
          `${orgId}|${week}`,
          to,
          { title: '本周督促：有待办事项', body: `${parts.join('；')}。`, link: '/organiser/workbench/index' },
          at,
        ),
      );
    });
    const sent = await sendOnce([...reminders, ...summaries]);
    return { week, members: reminders.length, organisers: summaries.length, sent };
  },
  { schema: TimerEvent },
);

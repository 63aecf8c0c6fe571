// 一月一调度 monthly: run by the timer trigger in config.json (daily 08:30 China time). On an organisation's report
// day (its `reportDay`, default the 25th; a day past the month's end means its last day) it stores the monthly report
// (`bulletins/monthly|<orgId>|<YYYY-MM>`): the month's figures of the organisation and of each child unit, with the
// change from last month, lagging units named as in the bulletin; and tells the organisation's organisers.
// Idempotent like the bulletin (deterministic ids: a rerun stores and sends nothing twice). "Now" is the platform's.
import { TimerEvent, isReportDay, monthlyTitle, periodsAt, previousMonth, rhythmSettings } from '../../src/core';
import { buildReport, reportLink, rhythmNotice, runData, sendOnce, storeReports } from '../../server/rhythm';
import { orgTree } from '../../server/store';
import { defineScheduled } from '../../server/runner';

export const main = defineScheduled(
  'monthly',
  async (now) => {
    const { day, month, year } = periodsAt(now);
    const lastMonth = previousMonth(month);
    // Most days nobody's report is due: the tree alone tells (one read), before the figures are read.
    if (!(await orgTree()).some((o) => isReportDay(day, rhythmSettings(o).reportDay))) return { day, reports: 0, stored: 0, sent: 0 };
    const data = await runData(['now', month, lastMonth, year], year);
    const due = data.orgs.filter(
      (o) => isReportDay(day, rhythmSettings(o).reportDay) && (data.children.has(o._id) || data.organisers.has(o._id)),
    );
    if (!due.length) return { day, reports: 0, stored: 0, sent: 0 };
    const at = now.toISOString();
    const reports = due.map((o) =>
      buildReport('monthly', o, data, { day, month, year, lastMonth, period: month, title: monthlyTitle(month), at }),
    );
    const stored = await storeReports(reports);
    const notices = reports.flatMap((r) => {
      const t = r.total;
      const change = t.change ? `，比上月${t.change.closed >= 0 ? '多' : '少'}${Math.abs(t.change.closed)}件` : '';
      const body = `本月办结${t.month.closed}件${change}；超期${t.overdue}件${r.named.length ? `；${r.named.length}个单位需督办` : ''}`;
      return (data.organisers.get(r.orgId) ?? []).map((to) =>
        rhythmNotice('monthlyReport', `${r.orgId}|${month}`, to, { title: r.title, body, link: reportLink(r._id) }, at),
      );
    });
    const sent = await sendOnce(notices);
    return { day, reports: reports.length, stored: stored.length, sent };
  },
  { schema: TimerEvent },
);

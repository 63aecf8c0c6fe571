// 一旬一通报 bulletin: run by the timer trigger in config.json (08:00 China time on the 1st, 11th and 21st). For each
// organisation with child units, a bulletin (`bulletins/bulletin|<orgId>|<day>`): each child unit's figures — open,
// overdue, due soon, stale queues, this month's flows, this year's on-time rate and practical things against its
// quota — and the lagging units named with their reasons (src/core/rhythm.ts): overdue claims, an on-time rate this
// year below the organisation's threshold, a quota gap, and members nudged this year who still have nothing (nudge
// before naming). The organisers of each named unit are told. Idempotent: a rerun for the same day stores no second
// bulletin and sends nobody a second notice (deterministic ids). Read from the figures documents, never the wishes.
// "Now" is the platform's (server/cloud.ts platformNow); on another day than a bulletin day it does nothing.
import { TimerEvent, bulletinTitle, isBulletinDay, namedLine, periodsAt } from '../../src/core';
import { buildReport, reportLink, rhythmNotice, runData, sendOnce, storeReports } from '../../server/rhythm';
import { defineScheduled } from '../../server/runner';

export const main = defineScheduled(
  'bulletin',
  async (now) => {
    const { day, month, year } = periodsAt(now);
    if (!isBulletinDay(day)) return { day, skipped: true, bulletins: 0, stored: 0, sent: 0 };
    const data = await runData(['now', month, year], year);
    const at = now.toISOString();
    const reports = data.orgs
      .filter((o) => data.children.has(o._id))
      .map((o) => buildReport('bulletin', o, data, { day, month, year, period: day, title: bulletinTitle(day), at }));
    const stored = await storeReports(reports);
    const notices = reports.flatMap((r) =>
      r.named.flatMap((n) =>
        (data.organisers.get(n.id) ?? []).map((to) =>
          rhythmNotice(
            'bulletin',
            `${r.orgId}|${day}`,
            to,
            { title: `${r.title}点名了${n.name}`, body: namedLine(n), link: reportLink(r._id) },
            at,
          ),
        ),
      ),
    );
    const sent = await sendOnce(notices);
    return {
      day,
      skipped: false,
      bulletins: reports.length,
      stored: stored.length,
      named: reports.reduce((s, r) => s + r.named.length, 0),
      sent,
    };
  },
  { schema: TimerEvent },
);

// 督办台 workbench: the organiser's home. For one organisation of the caller's subtree (default: their own), the
// supervision figures of today, this month and this year (src/core/figures.ts), where its wishes stand now
// (open, overdue, due soon, stale queues, extension requests), the last 12 months, and a table of its child units
// sorted lagging first. Everything comes from the `figures` documents, read by _id in one request: however many
// wishes the subtree holds, a call costs the caller's user document and that one read (organisations come from
// the instance's cache).
import {
  WorkbenchEvent,
  counterId,
  fail,
  flowFigures,
  inScope,
  lastMonths,
  laggingOrder,
  periodsAt,
  progress,
  quotaSettings,
  stockFigures,
  STOCK,
} from '../../src/core';
import { defineOrganiserFunction } from '../../server/runner';
import { figuresByIds, getOrg, subtreeDocs } from '../../server/store';

export const main = defineOrganiserFunction(
  'workbench',
  WorkbenchEvent,
  '只有社区和党组织工作人员可以查看督办台',
  async (event, { actor, org: own, now }) => {
    const orgId = event.orgId ?? actor.orgId;
    if (!inScope(actor, orgId)) return fail('AUTH.OUT_OF_SCOPE', '这个组织不在您的管辖范围内');
    const [org, below] = await Promise.all([orgId === own?._id ? own : getOrg(orgId), subtreeDocs(orgId)]);
    if (!org) return fail('ORG.NOT_FOUND');
    const children = below.filter((o) => o.parentId === orgId);
    const { day, month, year } = periodsAt(now);
    const months = lastMonths(month, 12);
    const ids = [
      ...[day, month, year, STOCK, ...months].map((p) => counterId(orgId, p)),
      ...children.flatMap((c) => [month, year, STOCK].map((p) => counterId(c._id, p))),
    ];
    const docs = new Map((await figuresByIds([...new Set(ids)])).map((d) => [d._id, d.f ?? {}]));
    const f = (id: string, p: string) => docs.get(counterId(id, p));
    const units = children
      .map((c) => {
        const stock = stockFigures(f(c._id, STOCK), day);
        const yearFigures = flowFigures(f(c._id, year));
        // 年度实事: the unit's practical things closed this year against its quota (src/core/quotas.ts).
        const quota = progress(yearFigures.practical, quotaSettings(c).org);
        return { id: c._id, name: c.name, level: c.level, stock, month: flowFigures(f(c._id, month)), year: yearFigures, quota };
      })
      .sort(laggingOrder)
      .map((u) => ({ ...u, lagging: u.stock.overdue > 0 || u.stock.staleCollected + u.stock.stalePublished > 0 }));
    return {
      org: { id: org._id, name: org.name, level: org.level, parentId: org.parentId },
      // Where the caller may go up to: their own organisation is the top of what they see.
      isOwn: orgId === actor.orgId,
      periods: { day, month, year },
      today: flowFigures(f(orgId, day)),
      month: flowFigures(f(orgId, month)),
      year: flowFigures(f(orgId, year)),
      now: stockFigures(f(orgId, STOCK), day),
      trend: months.map((m) => {
        const x = flowFigures(f(orgId, m));
        return { month: m, collected: x.counts.collected, closed: x.counts.closed };
      }),
      units,
    };
  },
);

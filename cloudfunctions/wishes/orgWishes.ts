// 组织心愿台账 orgWishes: the wishes of the organiser's organisation and its subtree — all of them, newest first; or
// one status; or one of the stock views (src/core/stockLists.ts), each exactly the wishes the workbench's stock tile of
// that name counts today (China time): `overdue` (已逾期), `dueSoon` (3天内到期), `onTrack` (按期办理中) and `open`
// (办理中（合计）: claimed, fulfilled, reviewed), soonest promised first; `staleCollected` (待登记超过3天) and
// `stalePublished` (待认领超过7天) by the instant the wish entered that status (`statusAt`: a released claim waits
// again from its release), longest waiting first; `extension` (延期申请, pending requests) and `held` (待内容审核).
// `deferred`: next review first. Every list is an index walk with a limit (database/collections.json), never a scan.
// Personal fields are shown (organisers need them); each reveal is logged. With `counts: true` the answer also
// carries how many wishes each view holds: read from the subtree's stock counter document (`<org>|now`, the same
// document and readers as the workbench's tiles: stockFigures), one read by _id whatever the size of the subtree;
// where no such document exists yet, counted from the wishes (one aggregate and a count per stock view). `orgId`
// narrows every view to one organisation of the caller's subtree and its own subtree (a row of the workbench's unit
// table). `period` (a China-time day, month or year) with a flow status lists the wishes that took that step in it
// (src/core/periodLists.ts): the list behind a workbench tile such as 本月销号.
import {
  PERIOD_FIELD,
  PERIOD_STEPS,
  periodRange,
  type PeriodStep,
  ORG_WISH_FILTERS,
  OrgWishesEvent,
  STATUSES,
  STOCK,
  STOCK_VIEWS,
  chinaDate,
  counterId,
  fail,
  inScope,
  stockCount,
  stockFigures,
  stockList,
  viewWish,
  scopeIds,
  type OrgCounts,
  type StockView,
} from '../../src/core';
import { defineOrganiserFunction } from '../../server/runner';
import { anyOf, countByStatusAndLists, figuresOf, orgWishPage, subtreeDocs } from '../../server/store';
import { logReveals } from '../../server/trust';
import { wishByNo } from '../../server/wishNo';

/** How many wishes each view holds: from the stock counter document of `root` (the subtree the list covers), or,
 * where none exists yet (nothing counted there, or wishes stored without a transition before the nightly reconcile),
 * from the wishes themselves with the lists' own filters. */
async function countsOf(root: string, orgId: unknown, today: string): Promise<OrgCounts> {
  const out = Object.fromEntries(ORG_WISH_FILTERS.map((k) => [k, 0])) as OrgCounts;
  const f = await figuresOf(counterId(root, STOCK));
  if (f) {
    const stock = stockFigures(f, today);
    for (const s of STATUSES) out[s] = stock.byStatus[s] ?? 0;
    for (const view of STOCK_VIEWS) out[view] = stockCount(view, stock);
    return out;
  }
  const counted = await countByStatusAndLists(
    orgId,
    STOCK_VIEWS.map((view) => stockList(view, today)),
  );
  for (const g of counted.byStatus) if (g._id && g._id in out) out[g._id as keyof OrgCounts] += g.n;
  STOCK_VIEWS.forEach((view, i) => (out[view] = counted.lists[i] ?? 0));
  return out;
}

export const main = defineOrganiserFunction('orgWishes', OrgWishesEvent, '只有社区工作人员可以查看台账', async (event, { actor, now }) => {
  if (event.orgId && !inScope(actor, event.orgId)) return fail('AUTH.OUT_OF_SCOPE', '这个组织不在您的管辖范围内');
  if (event.wishNo) {
    // 按心愿编号查找: by the number's reservation (primary key), in the caller's scope (or the chosen unit's).
    const found = await wishByNo(event.wishNo, actor);
    const items = found ? [found] : [];
    await logReveals(items, actor, 'orgWishes', now);
    return { items: items.map((w) => viewWish(w, actor, now)), cursor: null };
  }
  const orgIds = event.orgId ? [event.orgId, ...(await subtreeDocs(event.orgId)).map((o) => o._id)] : scopeIds(actor);
  const orgId = anyOf(orgIds);
  const today = chinaDate(now);
  const opts = { cursor: event.cursor, limit: event.limit };
  let step: { field: string; status?: string } | null = null;
  if (event.period) {
    if (!PERIOD_STEPS.includes(event.status as PeriodStep))
      return fail('INPUT.INVALID', '时间段只能和收集、登记、发布、领办、落实、销号等办理环节一起使用');
    step = PERIOD_FIELD[event.status as PeriodStep];
  }
  const range = event.period ? periodRange(event.period) : null;
  const stock =
    !step && (STOCK_VIEWS as readonly string[]).includes(event.status ?? '') ? stockList(event.status as StockView, today) : null;
  const [page, counts] = await Promise.all([
    orgWishPage(
      orgId,
      step && range
        ? { kind: 'period', field: step.field, status: step.status, from: range.from, to: range.to }
        : stock
          ? { kind: 'stock', list: stock }
          : { kind: 'status', status: event.status },
      opts,
    ),
    event.counts ? countsOf(event.orgId ?? actor.orgId, orgId, today) : Promise.resolve(undefined),
  ]);
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
  await logReveals(page.items, actor, 'orgWishes', now);
  return { items: page.items.map((w) => viewWish(w, actor, now)), cursor: page.cursor, ...(counts ? { counts } : {}) };
});

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
  type StockList,
  type StockView,
} from '../../src/core';
import { db } from '../../server/cloud';
import { FIGURES } from '../../server/effects';
import { defineOrganiserFunction } from '../../server/runner';
import { WISHES, anyOf, listWishes, subtreeDocs } from '../../server/store';
import { logReveals } from '../../server/trust';
import { wishByNo } from '../../server/wishNo';

/** The filter of a stock view's list (the wishes of `orgId`, a value or `$in`). */
function stockFilter(list: StockList, orgId: unknown): Record<string, unknown> {
  const _ = db().command;
  const r = list.range ?? {};
  const bounds = [
    r.lt !== undefined ? _.lt(r.lt) : null,
    r.lte !== undefined ? _.lte(r.lte) : null,
    r.gt !== undefined ? _.gt(r.gt) : null,
    r.gte !== undefined ? _.gte(r.gte) : null,
  ].filter((b) => b !== null);
  return {
    orgId,
    status: list.statuses.length === 1 ? list.statuses[0] : _.in([...list.statuses]),
    ...list.equals,
    // Two bounds as one range on the field (`gte(a).and(lte(b))`: {$gte, $lte}, which the index serves).
    ...(bounds.length ? { [list.sortBy]: bounds.reduce((a, b) => a.and(b) as unknown as typeof a) } : {}),
  };
}

/** How many wishes each view holds: from the stock counter document of `root` (the subtree the list covers), or,
 * where none exists yet (nothing counted there, or wishes stored without a transition before the nightly reconcile),
 * from the wishes themselves with the lists' own filters. */
async function countsOf(root: string, orgId: unknown, today: string): Promise<OrgCounts> {
  const out = Object.fromEntries(ORG_WISH_FILTERS.map((k) => [k, 0])) as OrgCounts;
  const doc = await db().collection(FIGURES).doc(counterId(root, STOCK)).get();
  const f = (doc.data[0] as { f?: Record<string, number> } | undefined)?.f;
  if (f) {
    const stock = stockFigures(f, today);
    for (const s of STATUSES) out[s] = stock.byStatus[s] ?? 0;
    for (const view of STOCK_VIEWS) out[view] = stockCount(view, stock);
    return out;
  }
  const wishes = () => db().collection(WISHES);
  const [groups, ...views] = await Promise.all([
    wishes()
      .aggregate()
      .match({ orgId })
      .group({ _id: '$status', n: db().command.aggregate.sum(1) })
      .end() as Promise<{ data: Array<{ _id?: string; n: number }> }>,
    ...STOCK_VIEWS.map((view) =>
      wishes()
        .where(stockFilter(stockList(view, today), orgId))
        .count(),
    ),
  ]);
  for (const g of groups.data) if (g._id && g._id in out) out[g._id as keyof OrgCounts] += g.n;
  STOCK_VIEWS.forEach((view, i) => (out[view] = views[i]?.total ?? 0));
  return out;
}

export const main = defineOrganiserFunction('orgWishes', OrgWishesEvent, '只有社区工作人员可以查看台账', async (event, { actor, now }) => {
  const _ = db().command;
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
    step && range
      ? listWishes(
          { orgId, ...(step.status ? { status: step.status } : {}), [step.field]: _.gte(range.from).and(_.lt(range.to)) },
          { ...opts, sortBy: step.field as 'createdAt' },
        )
      : stock
        ? listWishes(stockFilter(stock, orgId), { ...opts, sortBy: stock.sortBy, order: stock.order })
        : event.status === 'deferred'
          ? listWishes({ orgId, status: 'deferred' }, { ...opts, sortBy: 'reviewOn', order: 'asc' })
          : listWishes({ orgId, ...(event.status ? { status: event.status } : {}) }, { ...opts, sortBy: 'createdAt' }),
    event.counts ? countsOf(event.orgId ?? actor.orgId, orgId, today) : Promise.resolve(undefined),
  ]);
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
  await logReveals(page.items, actor, 'orgWishes', now);
  return { items: page.items.map((w) => viewWish(w, actor, now)), cursor: page.cursor, ...(counts ? { counts } : {}) };
});

// 组织心愿台账 orgWishes: every wish of the organiser's organisation and its subtree, newest first; or one status;
// or `overdue` (claimed, promised date before today in China time, most overdue first); or `extension` (pending
// requests). Personal fields are shown (organisers need them); each reveal is logged. With `counts: true` the
// answer also carries how many wishes each view holds: one aggregate (grouped by status and moderation state)
// and two counts, whatever the size of the subtree. `dueSoon`: claimed, promised from today to today + 3 (soonest
// first). `orgId` narrows every view to one organisation of the caller's subtree and its own subtree (a row of
// the workbench's unit table). `period` (a China-time day, month or year) with a flow status lists the wishes that
// took that step in it (src/core/periodLists.ts): the list behind a workbench tile such as 本月销号.
import {
  DUE_SOON_DAYS,
  PERIOD_FIELD,
  PERIOD_STEPS,
  periodRange,
  type PeriodStep,
  ORG_WISH_FILTERS,
  OrgWishesEvent,
  addDays,
  chinaDate,
  fail,
  inScope,
  viewWish,
  scopeIds,
  type OrgCounts,
} from '../../src/core';
import { db } from '../../server/cloud';
import { defineFunction } from '../../server/runner';
import { WISHES, anyOf, listWishes, subtreeDocs } from '../../server/store';
import { logReveals } from '../../server/trust';

async function countsOf(orgId: unknown, today: string): Promise<OrgCounts> {
  const _ = db().command;
  const $ = _.aggregate;
  const wishes = () => db().collection(WISHES);
  const [groups, overdue, dueSoon, extension] = await Promise.all([
    wishes()
      .aggregate()
      .match({ orgId })
      .group({ _id: { status: '$status', moderation: '$moderation.state' }, n: $.sum(1) })
      .end() as Promise<{ data: Array<{ _id: { status?: string; moderation?: string | null }; n: number }> }>,
    wishes()
      .where({ orgId, status: 'claimed', 'claim.promisedBy': _.lt(today) })
      .count(),
    wishes()
      .where({ orgId, status: 'claimed', 'claim.promisedBy': _.gte(today).and(_.lte(addDays(today, DUE_SOON_DAYS))) })
      .count(),
    wishes().where({ orgId, status: 'claimed', 'claim.extension.state': 'pending' }).count(),
  ]);
  const out = Object.fromEntries([...ORG_WISH_FILTERS, 'held'].map((k) => [k, 0])) as OrgCounts;
  for (const g of groups.data) {
    const status = g._id?.status as keyof OrgCounts | undefined;
    if (status && status in out) out[status] += g.n;
    if (status === 'collected' && g._id?.moderation === 'review') out.held += g.n;
  }
  out.overdue = overdue.total ?? 0;
  out.dueSoon = dueSoon.total ?? 0;
  out.extension = extension.total ?? 0;
  return out;
}

export const main = defineFunction('orgWishes', OrgWishesEvent, async (event, { actor, now }) => {
  if (actor.role !== 'organiser' || !actor.orgId) return fail('AUTH.FORBIDDEN', '只有社区工作人员可以查看台账');
  const _ = db().command;
  if (event.orgId && !inScope(actor, event.orgId)) return fail('AUTH.OUT_OF_SCOPE', '这个组织不在您的管辖范围内');
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
  const [page, counts] = await Promise.all([
    step && range
      ? listWishes(
          { orgId, ...(step.status ? { status: step.status } : {}), [step.field]: _.gte(range.from).and(_.lt(range.to)) },
          { ...opts, sortBy: step.field as 'createdAt' },
        )
      : event.status === 'overdue'
        ? listWishes({ orgId, status: 'claimed', 'claim.promisedBy': _.lt(today) }, { ...opts, sortBy: 'claim.promisedBy', order: 'asc' })
        : event.status === 'dueSoon'
          ? listWishes(
              { orgId, status: 'claimed', 'claim.promisedBy': _.gte(today).and(_.lte(addDays(today, DUE_SOON_DAYS))) },
              { ...opts, sortBy: 'claim.promisedBy', order: 'asc' },
            )
          : event.status === 'extension'
            ? listWishes({ orgId, status: 'claimed', 'claim.extension.state': 'pending' }, { ...opts, sortBy: 'updatedAt' })
            : event.status === 'deferred'
              ? listWishes({ orgId, status: 'deferred' }, { ...opts, sortBy: 'reviewOn', order: 'asc' })
              : listWishes({ orgId, ...(event.status ? { status: event.status } : {}) }, { ...opts, sortBy: 'createdAt' }),
    event.counts ? countsOf(orgId, today) : Promise.resolve(undefined),
  ]);
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
  await logReveals(page.items, actor, 'orgWishes', now);
  return { items: page.items.map((w) => viewWish(w, actor)), cursor: page.cursor, ...(counts ? { counts } : {}) };
});

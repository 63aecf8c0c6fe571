// 组织心愿台账 orgWishes: every wish of the organiser's organisation and its subtree, optionally one status,
// newest first. Personal fields are shown (organisers need them); each reveal is logged.
import { OrgWishesEvent, fail, viewWish } from '../../src/core';
import { db } from '../../server/cloud';
import { defineFunction } from '../../server/runner';
import { listWishes } from '../../server/store';
import { logReveals } from '../../server/trust';

export const main = defineFunction('orgWishes', OrgWishesEvent, async (event, { actor, now }) => {
  if (actor.role !== 'organiser' || !actor.orgId) return fail('AUTH.FORBIDDEN', '只有社区工作人员可以查看台账');
  const orgs = actor.scope?.length ? actor.scope : [actor.orgId];
  const filter = { orgId: orgs.length === 1 ? orgs[0] : db().command.in([...orgs]), ...(event.status ? { status: event.status } : {}) };
  const page = await listWishes(filter, { sortBy: 'createdAt', cursor: event.cursor, limit: event.limit });
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置:格式不对');
  await logReveals(page.items, actor, 'orgWishes', now);
  return { items: page.items.map((w) => viewWish(w, actor)), cursor: page.cursor };
});

// 组织心愿台账 orgWishes: every wish of the organiser's organisation, optionally one status, newest first.
import { OrgWishesEvent, fail, viewWish } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { listWishes } from '../../server/store';

export const main = defineFunction('orgWishes', OrgWishesEvent, async (event, { actor }) => {
  if (actor.role !== 'organiser' || !actor.orgId) return fail('AUTH.FORBIDDEN', '只有社区工作人员可以查看台账');
  const filter = { orgId: actor.orgId, ...(event.status ? { status: event.status } : {}) };
  const page = await listWishes(filter, { sortBy: 'createdAt', cursor: event.cursor, limit: event.limit });
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置:格式不对');
  return { items: page.items.map((w) => viewWish(w, actor)), cursor: page.cursor };
});

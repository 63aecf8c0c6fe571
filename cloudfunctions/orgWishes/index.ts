// 组织心愿台账 orgWishes: every wish of the organiser's organisation and its subtree, newest first; or one status;
// or `overdue` (claimed, promised date before today in China time, most overdue first); or `extension` (pending
// requests). Personal fields are shown (organisers need them); each reveal is logged.
import { OrgWishesEvent, chinaDate, fail, viewWish, scopeIds } from '../../src/core';
import { db } from '../../server/cloud';
import { defineFunction } from '../../server/runner';
import { anyOf, listWishes } from '../../server/store';
import { logReveals } from '../../server/trust';

export const main = defineFunction('orgWishes', OrgWishesEvent, async (event, { actor, now }) => {
  if (actor.role !== 'organiser' || !actor.orgId) return fail('AUTH.FORBIDDEN', '只有社区工作人员可以查看台账');
  const _ = db().command;
  const orgId = anyOf(scopeIds(actor));
  const opts = { cursor: event.cursor, limit: event.limit };
  const page =
    event.status === 'overdue'
      ? await listWishes(
          { orgId, status: 'claimed', 'claim.promisedBy': _.lt(chinaDate(now)) },
          { ...opts, sortBy: 'claim.promisedBy', order: 'asc' },
        )
      : event.status === 'extension'
        ? await listWishes({ orgId, status: 'claimed', 'claim.extension.state': 'pending' }, { ...opts, sortBy: 'updatedAt' })
        : event.status === 'deferred'
          ? await listWishes({ orgId, status: 'deferred' }, { ...opts, sortBy: 'reviewOn', order: 'asc' })
          : await listWishes({ orgId, ...(event.status ? { status: event.status } : {}) }, { ...opts, sortBy: 'createdAt' });
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
  await logReveals(page.items, actor, 'orgWishes', now);
  return { items: page.items.map((w) => viewWish(w, actor)), cursor: page.cursor };
});

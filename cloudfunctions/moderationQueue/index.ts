// 审核队列 moderationQueue: wishes the content check held (`moderation.state: 'review'`) in the organiser's
// subtree, newest first. Held wishes are never published until an organiser releases them (moderate).
import { ModerationQueueEvent, fail, viewWish } from '../../src/core';
import { db } from '../../server/cloud';
import { defineFunction } from '../../server/runner';
import { listWishes } from '../../server/store';
import { logReveals } from '../../server/trust';

export const main = defineFunction('moderationQueue', ModerationQueueEvent, async (event, { actor, now }) => {
  if (actor.role !== 'organiser' || !actor.orgId) return fail('AUTH.FORBIDDEN', '只有社区工作人员可以审核内容');
  const orgs = actor.scope?.length ? actor.scope : [actor.orgId];
  const filter = { orgId: orgs.length === 1 ? orgs[0] : db().command.in([...orgs]), 'moderation.state': 'review', status: 'collected' };
  const page = await listWishes(filter, { sortBy: 'createdAt', cursor: event.cursor, limit: event.limit });
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置:格式不对');
  await logReveals(page.items, actor, 'moderationQueue', now);
  return { items: page.items.map((w) => viewWish(w, actor)), cursor: page.cursor };
});

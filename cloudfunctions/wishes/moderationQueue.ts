// 审核队列 moderationQueue: wishes the content check held (`moderation.state: 'review'`) in the organiser's
// subtree, newest first. Held wishes are never published until an organiser releases them (moderate).
import { ModerationQueueEvent, fail, viewWish, scopeIds } from '../../src/core';
import { defineOrganiserFunction } from '../../server/runner';
import { anyOf, listWishes } from '../../server/store';
import { logReveals } from '../../server/trust';

export const main = defineOrganiserFunction(
  'moderationQueue',
  ModerationQueueEvent,
  '只有社区工作人员可以审核内容',
  async (event, { actor, now }) => {
    const filter = { orgId: anyOf(scopeIds(actor)), 'moderation.state': 'review', status: 'collected' };
    const page = await listWishes(filter, { sortBy: 'createdAt', cursor: event.cursor, limit: event.limit });
    if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
    await logReveals(page.items, actor, 'moderationQueue', now);
    return { items: page.items.map((w) => viewWish(w, actor, now)), cursor: page.cursor };
  },
);

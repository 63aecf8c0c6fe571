// 我的心愿 / 我的认领 myWishes: wishes the caller posted (scope "posted") or claimed as a member (scope "claimed"),
// newest activity first, 20 a page by cursor. A member's claims narrow with `view`: `open` (claimed, fulfilled)
// or `done` (reviewed, closed: the history of what they have done, findable after close-out). One indexed query
// on claim.memberId per page, whatever the member's history holds.
import { MyWishesEvent, fail, viewWish } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { ownWishPage } from '../../server/store';
import { logReveals } from '../../server/trust';

const VIEW_STATUSES = { open: ['claimed', 'fulfilled'], done: ['reviewed', 'closed'] } as const;

export const main = defineFunction('myWishes', MyWishesEvent, async (event, { actor, now }) => {
  const claimed = event.scope === 'claimed';
  if (event.view && !claimed) return fail('INPUT.INVALID', '范围：只有“我的认领”可以分进行中和已完成');
  const statuses = event.view ? VIEW_STATUSES[event.view] : null;
  const page = await ownWishPage(actor.id, claimed, statuses, { cursor: event.cursor, limit: event.limit });
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
  await logReveals(page.items, actor, 'myWishes', now);
  return { items: page.items.map((w) => viewWish(w, actor, now)), cursor: page.cursor };
});

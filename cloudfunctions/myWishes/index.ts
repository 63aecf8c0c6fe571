// 我的心愿 / 我的认领 myWishes: wishes the caller posted (scope "posted") or claimed as a member (scope "claimed").
import { MyWishesEvent, fail, viewWish } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { listWishes } from '../../server/store';
import { logReveals } from '../../server/trust';

export const main = defineFunction('myWishes', MyWishesEvent, async (event, { actor, now }) => {
  const claimed = event.scope === 'claimed';
  const filter = claimed ? { 'claim.memberId': actor.id } : { residentId: actor.id };
  const page = await listWishes(filter, { sortBy: claimed ? 'updatedAt' : 'createdAt', cursor: event.cursor, limit: event.limit });
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
  await logReveals(page.items, actor, 'myWishes', now);
  return { items: page.items.map((w) => viewWish(w, actor)), cursor: page.cursor };
});

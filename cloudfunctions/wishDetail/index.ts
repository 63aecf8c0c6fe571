// 心愿详情 wishDetail: one wish with its timeline; personal fields only for its resident, organisers and the active claimer.
import { WishOnlyEvent, canView, fail, viewWish } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { getWish } from '../../server/store';

export const main = defineFunction('wishDetail', WishOnlyEvent, async (event, { actor }) => {
  const wish = await getWish(event.wishId);
  if (!wish) return fail('WISH.NOT_FOUND');
  if (!canView(wish, actor)) return fail(actor.orgId === wish.orgId ? 'AUTH.FORBIDDEN' : 'AUTH.OUT_OF_SCOPE');
  return viewWish(wish, actor);
});

// 心愿详情 wishDetail: one wish with its timeline; personal fields only for its resident, organisers of its
// organisation (subtree) and the active claimer. Each such reveal to someone other than the resident is logged.
import { WishOnlyEvent, canView, fail, inScope, viewWish } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { getWish } from '../../server/store';
import { logReveals } from '../../server/trust';

export const main = defineFunction('wishDetail', WishOnlyEvent, async (event, { actor, now }) => {
  const wish = await getWish(event.wishId);
  if (!wish) return fail('WISH.NOT_FOUND');
  if (!canView(wish, actor)) return fail(inScope(actor, wish.orgId) ? 'AUTH.FORBIDDEN' : 'AUTH.OUT_OF_SCOPE');
  await logReveals([wish], actor, 'wishDetail', now);
  return viewWish(wish, actor, now);
});

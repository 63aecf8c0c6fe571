// 疑似重复 duplicates: for the registration queue, recent wishes of the same organisation that may be the same need.
import { DuplicatesEvent, fail, inScope } from '../../src/core';
import { defineOrganiserFunction } from '../../server/runner';
import { findDuplicates, getWish } from '../../server/store';

export const main = defineOrganiserFunction('duplicates', DuplicatesEvent, '只有社区工作人员可以查重', async (event, { actor, now }) => {
  const wish = await getWish(event.wishId);
  if (!wish) return fail('WISH.NOT_FOUND');
  if (!inScope(actor, wish.orgId)) return fail('AUTH.OUT_OF_SCOPE');
  return { items: await findDuplicates(wish, now) };
});

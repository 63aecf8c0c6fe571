// 当前用户 whoami: the caller's role, name and organisation (with its category list), as the server knows them.
import { EmptyEvent } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { categoriesOf } from '../../server/store';

export const main = defineFunction('whoami', EmptyEvent, async (_event, { actor, user, org }) => ({
  id: actor.id,
  role: actor.role,
  name: user?.name ?? '',
  orgId: actor.orgId,
  orgName: org?.name ?? '',
  categories: categoriesOf(org),
  // Communities the caller may filter the board by (their own for now; the org subtree comes with issue 4).
  communities: org && actor.role !== 'resident' ? [{ orgId: org._id, orgName: org.name }] : [],
}));

// 当前用户 whoami: the caller's role, name and organisation (with its category list), as the server knows
// them, and their consent state against the current privacy notice.
import { EmptyEvent, consentState } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { categoriesOf } from '../../server/store';

export const main = defineFunction('whoami', EmptyEvent, async (_event, { actor, user, org }) => ({
  id: actor.id,
  role: actor.role,
  name: user?.name ?? '',
  orgId: actor.orgId,
  orgName: org?.name ?? '',
  categories: categoriesOf(org),
  consent: consentState(user?.consent),
  pending: user?.pending ? { orgId: user.pending.orgId, name: user.pending.name } : null,
}));

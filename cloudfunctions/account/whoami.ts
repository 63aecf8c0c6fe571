// 当前用户 whoami: the caller's role, name and organisation (with its category list), as the server knows
// them, their consent state against the current privacy notice, and the organisations whose boards they see.
import { EmptyEvent, consentState } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { categoriesOf, orgNames } from '../../server/store';

/** The board filter offers at most this many organisations (an organiser high in the tree picks from these). */
const MAX_COMMUNITIES = 100;

export const main = defineFunction('whoami', EmptyEvent, async (_event, { actor, user, org }) => {
  const scope = actor.role !== 'resident' && actor.scope?.length ? actor.scope.slice(0, MAX_COMMUNITIES) : [];
  const nameOf = await orgNames(scope);
  return {
    id: actor.id,
    role: actor.role,
    name: user?.name ?? '',
    orgId: actor.orgId,
    orgName: org?.name ?? '',
    categories: categoriesOf(org),
    consent: consentState(user?.consent),
    pending: user?.pending ? { orgId: user.pending.orgId, name: user.pending.name } : null,
    // Organisations the caller may filter the board by: their own first, then the rest of their scope.
    communities: scope.filter((id) => nameOf.has(id)).map((id) => ({ orgId: id, orgName: nameOf.get(id)! })),
  };
});

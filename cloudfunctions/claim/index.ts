// 领办 claim: a party member claims a published wish and promises a completion date. Exactly one claimer wins.
// A member holds at most the organisation's maxOpenClaims (default 3) open claims; see docs/api.md for the race.
// The count of the caller's open claims is read alongside the wish (one round), and decided once the role is known.
import { ClaimEvent, fail } from '../../src/core';
import { defineStage } from '../../server/runner';
import { maxOpenClaimsOf, openClaimsOf } from '../../server/store';

export const main = defineStage('claim', ClaimEvent, (event) => ({ type: 'claim', promisedBy: event.promisedBy }), {
  lookup: (openid) => openClaimsOf(openid),
  before: (_event, { actor, org }, open) => {
    if (actor.role !== 'member') return null; // the core refuses anyone else
    const limit = maxOpenClaimsOf(org);
    return open >= limit
      ? fail('CLAIM.LIMIT_REACHED', `您已有 ${open} 个未完成的认领（最多 ${limit} 个），请先完成或放弃一个再认领`)
      : null;
  },
});

// 领办 claim: a party member claims a published wish and promises a completion date. Exactly one claimer wins.
// A member holds at most the organisation's maxOpenClaims (default 3) open claims; see docs/api.md for the race.
// The count of the caller's open claims is read alongside the wish (one round), and decided once the role is known.
import { ClaimEvent } from '../../src/core';
import { defineStage } from '../../server/runner';
import { maxOpenClaimsOf, openClaimsOf } from '../../server/store';

export const main = defineStage('claim', ClaimEvent, (event) => ({ type: 'claim', promisedBy: event.promisedBy }), {
  lookup: (openid) => openClaimsOf(openid),
  // The limit itself is the core's claim rule (wish.ts TABLE.claim): the actor carries the count.
  actor: ({ actor, org }, open) => ({ ...actor, claims: { open, limit: maxOpenClaimsOf(org) } }),
});

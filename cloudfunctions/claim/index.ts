// 领办 claim: a party member claims a published wish and promises a completion date. Exactly one claimer wins.
// A member holds at most the organisation's maxOpenClaims (default 3) open claims: a slot on the member's record is
// taken in the call's first round and decided on once the step is allowed, before the wish is written
// (server/claimSlots.ts), so claims sent at once cannot pass the limit (docs/api.md, "Claim limit").
import { ClaimEvent, maxOpenClaims } from '../../src/core';
import { EarlySlot, claimReservation } from '../../server/claimSlots';
import { defineStage } from '../../server/runner';
import { claimSlotChange } from '../../server/store';

export const main = defineStage('claim', ClaimEvent, (event) => ({ type: 'claim', promisedBy: event.promisedBy }), {
  reserve: {
    change: (event, _openid, now) => claimSlotChange(event.wishId, now),
    bind: (event, { actor, user, org, now, changed }) =>
      claimReservation(EarlySlot.of(actor.id, event.wishId, user, changed), maxOpenClaims(org), now),
  },
});

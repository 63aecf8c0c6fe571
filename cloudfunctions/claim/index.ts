// 领办 claim: a party member claims a published wish and promises a completion date. Exactly one claimer wins.
import { ClaimEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('claim', ClaimEvent, (event) => ({ type: 'claim', promisedBy: event.promisedBy }));

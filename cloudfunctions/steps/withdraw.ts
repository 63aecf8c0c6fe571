// 撤回 withdraw: the resident (or an organiser at their request) withdraws a wish nobody has claimed.
import { WithdrawEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('withdraw', WithdrawEvent, (event) => ({ type: 'withdraw', reason: event.reason }));

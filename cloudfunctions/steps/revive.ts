// 重新启用 revive: a deferred wish leaves the pending archive and goes back to the registration queue.
import { WishOnlyEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('revive', WishOnlyEvent, () => ({ type: 'revive' }));

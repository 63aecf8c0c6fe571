// 发布 publish: a registered individual wish goes on its organisation's claim board.
import { WishOnlyEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('publish', WishOnlyEvent, () => ({ type: 'publish' }));

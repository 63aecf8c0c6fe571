// 放弃认领 release: the claimer gives the wish back to the board, with a reason.
import { ReleaseEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('release', ReleaseEvent, (event) => ({ type: 'release', reason: event.reason }));

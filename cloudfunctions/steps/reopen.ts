// 重新打开 reopen: an organiser reopens a closed wish; it goes back to the same claimer for rework.
import { ReopenEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('reopen', ReopenEvent, (event) => ({ type: 'reopen', reason: event.reason }));

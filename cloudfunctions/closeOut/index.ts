// 销号 close-out: an organiser strikes a reviewed wish off the ledger.
import { CloseOutEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('closeOut', CloseOutEvent, (event) => ({ type: 'closeOut', note: event.note }));

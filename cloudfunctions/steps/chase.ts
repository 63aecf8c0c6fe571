// 催办 chase: an organiser of the wish's organisation reminds the claimer of a claimed wish (an overdue one on the
// workbench's red tile, say); the timeline records it and the claimer gets the `chased` notice.
import { ChaseEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('chase', ChaseEvent, (event) => ({ type: 'chase', note: event.note }));

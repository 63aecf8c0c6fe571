// 改派 reassign: an organiser takes a member's claim back to the board, or gives an assigned wish to a new organisation / leader.
import { ReassignEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('reassign', ReassignEvent, (event) => ({
  type: 'reassign',
  reason: event.reason,
  kind: event.kind,
  assignee: event.assignee,
  promisedBy: event.promisedBy,
}));

// 指派 assign: a common or hard wish is given to an organisation or a leader; that counts as the claim.
import { AssignEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('assign', AssignEvent, (event) => ({
  type: 'assign',
  kind: event.kind,
  assignee: event.assignee,
  promisedBy: event.promisedBy,
}));

// The lifecycle's side paths on one wish (withdraw, assign, reassign, release, extend, answerExtension, reopen, revive, progress, chase, message, moderate): each a transition of the core's table.
// One deployed function, several operations (src/core/functions.ts GROUPS): the event's `action` picks the
// operation, which keeps its own schema, rate limit and checks.
import { defineGroup } from '../../server/runner';
import { main as withdraw } from './withdraw';
import { main as assign } from './assign';
import { main as reassign } from './reassign';
import { main as release } from './release';
import { main as extend } from './extend';
import { main as answerExtension } from './answerExtension';
import { main as reopen } from './reopen';
import { main as revive } from './revive';
import { main as progress } from './progress';
import { main as chase } from './chase';
import { main as message } from './message';
import { main as moderate } from './moderate';

export const main = defineGroup('steps', {
  withdraw,
  assign,
  reassign,
  release,
  extend,
  answerExtension,
  reopen,
  revive,
  progress,
  chase,
  message,
  moderate,
});

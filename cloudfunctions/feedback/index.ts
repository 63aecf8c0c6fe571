// 反馈 feedback: the resident says whether they are satisfied; an organiser may record it after a call-back (回访).
import { FeedbackEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('feedback', FeedbackEvent, (event) => ({
  type: 'feedback',
  satisfaction: event.satisfaction,
  comment: event.comment,
}));

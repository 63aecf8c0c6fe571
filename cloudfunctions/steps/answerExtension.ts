// 审批延期 answerExtension: an organiser approves (the promise moves) or refuses a pending extension; the claimer is told.
import { AnswerExtensionEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('answerExtension', AnswerExtensionEvent, (event) => ({
  type: 'answerExtension',
  approve: event.approve,
  note: event.note,
}));

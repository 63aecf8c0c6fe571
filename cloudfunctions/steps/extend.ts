// 申请延期 extend: the active claimer asks for a later promised date, with a reason; the organiser answers.
import { ExtendEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('extend', ExtendEvent, (event) => ({ type: 'extend', until: event.until, reason: event.reason }));

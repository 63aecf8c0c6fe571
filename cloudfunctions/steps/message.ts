// 留言 message: the resident and the party member holding her wish write to each other through the app while it is
// being done: the text goes to the other side as a notice (and onto the timeline, which only they and organisers
// read). Neither learns the other's phone number from it. A wish assigned to an organisation reaches its organisers.
import { MessageEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('message', MessageEvent, (event) => ({ type: 'message', note: event.note }));

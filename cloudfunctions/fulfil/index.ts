// 落实 fulfil: the claimer records what was done, with photos as evidence.
import { FulfilEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('fulfil', FulfilEvent, (event) => ({ type: 'fulfil', note: event.note, photos: event.photos }));

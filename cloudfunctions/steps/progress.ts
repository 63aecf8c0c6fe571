// 记录进展 progress: a note (and photos) on the timeline while the wish is being done; the status stays claimed.
import { ProgressEvent } from '../../src/core';
import { defineStage } from '../../server/runner';

export const main = defineStage('progress', ProgressEvent, (event) => ({ type: 'progress', note: event.note, photos: event.photos }));

// 发布 publish: registered individual wishes go on their organisation's claim board: one (`wishId`, optionally with
// the public `summary` confirmed now) or a batch (`wishIds`, 1..20). A wish without a confirmed summary is refused
// (WISH.NO_SUMMARY): the board never shows the resident's own words by default.
import { PublishEvent, isFailure, type WishView } from '../../src/core';
import { defineFunction, runStage } from '../../server/runner';

export const main = defineFunction(
  'publish',
  PublishEvent,
  async (event, caller) => {
    if (event.wishId)
      return runStage('publish', event, event.wishId, { type: 'publish', summary: event.summary }, caller, event.requestId);
    const published: WishView[] = [];
    const failed: Array<{ wishId: string; code: string; message: string }> = [];
    for (const wishId of new Set(event.wishIds)) {
      const r = await runStage('publish', event, wishId, { type: 'publish' }, caller, event.requestId);
      if (isFailure(r)) failed.push({ wishId, code: r.code, message: r.message });
      else published.push(r);
    }
    return { published, failed };
  },
  { write: true },
);

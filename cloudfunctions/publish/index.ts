// 发布 publish: registered individual wishes go on their organisation's claim board: one (`wishId`, optionally with
// the public `summary` and `publicTitle` confirmed now) or a batch (`wishIds`, 1..20). A wish without a confirmed summary is refused
// (WISH.NO_SUMMARY): the board never shows the resident's own words by default.
// A batch reads its wishes in one request, stores each with its own conditional update (in parallel), and
// delivers all their effects together: one request per collection, one to clear them.
import { PublishEvent, isFailure, type Effect, type StoredWish, type WishView } from '../../src/core';
import { IN_WISH, dispatch } from '../../server/effects';
import { defineFunction, runStage } from '../../server/runner';
import { getWishes } from '../../server/store';

export const main = defineFunction<typeof PublishEvent, unknown, Map<string, StoredWish>>(
  'publish',
  PublishEvent,
  async (event, caller, prefetched) => {
    if (event.wishId)
      return runStage(
        'publish',
        event,
        event.wishId,
        { type: 'publish', summary: event.summary, publicTitle: event.publicTitle },
        caller,
        event.requestId,
        prefetched.get(event.wishId) ?? null,
      );
    const ids = [...new Set(event.wishIds)];
    const stored: Array<{ wishId: string; pending: Effect[]; fresh: boolean }> = [];
    const hold = async (wishId: string, pending: Effect[], fresh: boolean) => void stored.push({ wishId, pending, fresh });
    const results = await Promise.all(
      ids.map((wishId) =>
        runStage('publish', event, wishId, { type: 'publish' }, caller, event.requestId, prefetched.get(wishId) ?? null, hold),
      ),
    );
    await dispatch(
      stored.map((s) => s.wishId),
      stored.flatMap((s) => s.pending),
      IN_WISH,
      { fresh: stored.every((s) => s.fresh) },
    );
    const published: WishView[] = [];
    const failed: Array<{ wishId: string; code: string; message: string }> = [];
    results.forEach((r, i) => (isFailure(r) ? failed.push({ wishId: ids[i]!, code: r.code, message: r.message }) : published.push(r)));
    return { published, failed };
  },
  {
    write: true,
    // The wishes, read alongside the caller: one, or the batch in one request.
    prefetch: (event) => getWishes(event.wishId ? [event.wishId] : [...new Set(event.wishIds)]),
  },
);

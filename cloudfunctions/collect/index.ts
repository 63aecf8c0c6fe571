// 收集 collect: a resident posts a wish, or an organiser enters one for a resident (with its channel).
import { CollectEvent, collect, viewWish } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { getWish, insertWish, newWishId } from '../../server/store';

export const main = defineFunction('collect', CollectEvent, async (event, { actor, now }) => {
  const id = newWishId(actor.id, event.requestId);
  const created = collect(id, event, actor, now, event.requestId);
  if (!created.ok) return created;
  if (await insertWish(created.wish)) return viewWish(created.wish, actor);
  // A retry with the same requestId: answer with the wish the first call created.
  const first = await getWish(id);
  if (!first) throw new Error(`wish ${id} reported as duplicate but not found`);
  return viewWish(first, actor);
});

// 标记已读 markRead: marks some of the caller's own notifications as read (others' ids are ignored).
import { MarkReadEvent } from '../../src/core';
import { db } from '../../server/cloud';
import { defineFunction } from '../../server/runner';
import { OUTBOX } from '../../server/store';

export const main = defineFunction('markRead', MarkReadEvent, async (event, { actor }) => {
  const _ = db().command;
  const r = await db()
    .collection(OUTBOX)
    .where({ to: actor.id, _id: _.in(event.ids) })
    .update({ read: true });
  return { updated: r.updated ?? 0 };
});

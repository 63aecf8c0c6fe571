// 标记已读 markRead: marks some of the caller's own notifications as read (others' ids are ignored).
import { MarkReadEvent } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { markNoticesRead } from '../../server/store';

export const main = defineFunction('markRead', MarkReadEvent, async (event, { actor }) => {
  return { updated: await markNoticesRead(actor.id, event.ids) };
});

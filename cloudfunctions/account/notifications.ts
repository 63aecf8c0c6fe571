// 通知 notifications: the caller's own notifications, newest first, cursor-paginated.
import { NotificationsEvent, fail, type Notification } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { OUTBOX, listDocs } from '../../server/store';

export const main = defineFunction('notifications', NotificationsEvent, async (event, { actor }) => {
  const page = await listDocs<Notification>(OUTBOX, { to: actor.id }, { sortBy: 'at', cursor: event.cursor, limit: event.limit });
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
  return {
    items: page.items.map(({ _id, kind, title, body, wishId, at, read, link }) => ({
      _id,
      kind,
      title,
      body,
      wishId,
      at,
      read,
      ...(link ? { link } : {}),
    })),
    cursor: page.cursor,
  };
});

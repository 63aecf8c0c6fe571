// 通知 notifications: the caller's own notifications, newest first, cursor-paginated. Each says what is current when
// it is opened (issue 22): one batched read of the wishes the page is about marks a notice whose action was already
// taken (feedback given, wish registered, withdrawn…) `done` with a short reason, and unread notices of the same kind
// about the same wish fold into the newest with a count. Folding at read time keeps the outbox one document per
// delivery (its idempotent delivery and subscribe messages stay as they are); it folds within a page.
import { NotificationsEvent, fail, foldNotices, noticeDone, type NoticeView } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { getWishes, noticePage } from '../../server/store';

export const main = defineFunction('notifications', NotificationsEvent, async (event, { actor }) => {
  const page = await noticePage(actor.id, { cursor: event.cursor, limit: event.limit });
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
  const wishes = await getWishes([...new Set(page.items.map((n) => n.wishId).filter(Boolean))]);
  const items: NoticeView[] = page.items.map(({ _id, kind, title, body, wishId, at, read, link }) => {
    const reason = wishId ? noticeDone(kind, wishes.get(wishId) ?? null) : null;
    return {
      _id,
      kind,
      title,
      body,
      wishId,
      at,
      read,
      ...(link ? { link } : {}),
      ...(reason ? { done: true as const, doneReason: reason } : {}),
    };
  });
  return { items: foldNotices(items), cursor: page.cursor };
});

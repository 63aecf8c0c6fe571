/**
 * The subscribe-message port. In the mini-program a user must allow each template once per action
 * (WeChat asks only from a tap): call `askToNotify` right when the user claims or posts. Template ids come
 * from the build config (SUBSCRIBE_TEMPLATES, config/index.ts); H5 has no subscribe messages (the
 * notifications page shows the outbox instead).
 */
import Taro from '@tarojs/taro';
import type { NoticeKind } from '@/core';

export type { NoticeKind };

declare const SUBSCRIBE_TEMPLATES: Record<string, string>;

export function templateIds(kinds: NoticeKind[]): string[] {
  const all = typeof SUBSCRIBE_TEMPLATES === 'object' && SUBSCRIBE_TEMPLATES ? SUBSCRIBE_TEMPLATES : {};
  return kinds
    .map((k) => all[k])
    .filter((id): id is string => typeof id === 'string' && id.length > 0)
    .slice(0, 3);
}

/** Ask for permission to send these kinds of notices; never throws, never blocks the action. */
export async function askToNotify(kinds: NoticeKind[]): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp') return;
  const tmplIds = templateIds(kinds);
  if (!tmplIds.length) return;
  try {
    await Taro.requestSubscribeMessage({ tmplIds, entityIds: [] } as unknown as Parameters<typeof Taro.requestSubscribeMessage>[0]);
  } catch {
    /* refused or unsupported: the in-app notifications still work */
  }
}

/**
 * The notification port. Stage functions call `deliver` only after the wish is stored; a failed
 * notification is logged and never fails the transition.
 *
 * Adapters, chosen by the same switch as server/cloud.ts:
 *   - local cloud (TCB_SERVICE_URL set): the `outbox` collection only; the app's 通知 list reads it.
 *   - CloudBase: a WeChat subscribe message (`subscribeMessage.send`, a cloud call through wx-server-sdk: server/wx.ts),
 *     and the same `outbox` document so the in-app list works there too.
 * Template ids come from the environment: WX_TEMPLATE_<KIND> (e.g. WX_TEMPLATE_CLAIMED,
 * WX_TEMPLATE_DEADLINENEAR); a kind without a template id is not sent to WeChat (the outbox still has it).
 * See docs/api.md, "Notifications".
 */
import { randomBytes } from 'node:crypto';
import { chinaTime, type Notice, type NoticeKind, type Notification } from '../src/core';
import { wx, wxError } from './wx';
import { addNotice, nearestOrganisersOf } from './store';

export interface NoticeData {
  title: string;
  body: string;
  wishId: string;
  at: string;
  /** The mini-program page the message opens (default: the wish's page). */
  page?: string;
}

export interface Notifier {
  send(toOpenId: string, kind: NoticeKind, data: NoticeData): Promise<void>;
}

/** Local (and in-app) adapter: one outbox document per recipient. */
export const outboxNotifier: Notifier = {
  async send(to, kind, data) {
    const doc: Notification = { _id: randomBytes(12).toString('hex'), to, kind, ...data, read: false };
    await addNotice(doc);
  },
};

/** The template's fields: thing1 = title, thing2 = body (WeChat caps `thing` at 20 characters), time3 = when. */
function templateData(d: NoticeData) {
  const cut = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);
  return {
    thing1: { value: cut(d.title) },
    thing2: { value: cut(d.body) },
    time3: { value: chinaTime(d.at, 'stamp') }, // China time, wherever the server runs
  };
}

/** CloudBase adapter: a WeChat subscribe message (the user must have accepted the template in the app). */
export const wechatNotifier: Notifier = {
  async send(to, kind, data) {
    const templateId = process.env[`WX_TEMPLATE_${kind.toUpperCase()}`];
    if (!templateId) return;
    // wx-server-sdk sends the fields snake_case (template_id, miniprogram_state) and throws WeChat's refusal as
    // { errCode, errMsg }: rethrown as an Error naming it (deliver logs it and carries on).
    try {
      await wx().openapi.subscribeMessage.send({
        touser: to,
        templateId,
        page: data.page ?? `pages/wish/index?id=${data.wishId}`,
        data: templateData(data),
        miniprogramState: process.env.WX_MINIPROGRAM_STATE || 'formal',
        lang: 'zh_CN',
      });
    } catch (e) {
      throw new Error(`subscribe message ${kind} to ${to}: ${wxError(e)}`);
    }
  },
};

export function notifier(): Notifier {
  if (process.env.TCB_SERVICE_URL) return outboxNotifier;
  return {
    async send(to, kind, data) {
      const results = await Promise.allSettled([outboxNotifier.send(to, kind, data), wechatNotifier.send(to, kind, data)]);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
  };
}

/**
 * Sends `notices` (recipients resolved: 'organisers' = the organisers of `orgId`), never to `actorId`
 * itself. Never throws: a failure is logged, and the count of sent notices returned.
 */
export async function deliver(
  notices: Notice[],
  orgId: string,
  actorId: string | null,
  at: string,
  port: Notifier = notifier(),
): Promise<number> {
  let sent = 0;
  try {
    let organisers: string[] | null = null;
    for (const n of notices) {
      const to = n.to === 'organisers' ? (organisers ??= await nearestOrganisersOf(orgId)) : [n.to.openid];
      for (const id of new Set(to)) {
        if (id === actorId) continue;
        try {
          await port.send(id, n.kind, { title: n.title, body: n.body, wishId: n.wishId, at });
          sent++;
        } catch (e) {
          console.error(`[notify] ${n.kind} to ${id} for wish ${n.wishId} failed:`, e);
        }
      }
    }
  } catch (e) {
    console.error('[notify] could not resolve recipients:', e);
  }
  return sent;
}

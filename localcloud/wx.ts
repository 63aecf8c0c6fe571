/**
 * The SDK's WeChat open-API action (`callWxOpenApi` → `{"action":"wx.api","apiName","requestData":"<json>"}`):
 * one dispatcher for the APIs the functions use. requestData is parsed here once; each API answers the object
 * WeChat puts in `data.responseData` (the reply shape the SDK parses). A wire-level failure is a DbError, which
 * the wire answers as `{ code, message }` like any other action.
 * - subscribeMessage.send: the local cloud checks the fields WeChat checks (touser, template_id, data; `thing`
 *   values at most 20 characters) and keeps what was sent so tests and developers can see it
 *   (GET /_local/wx-messages).
 * - security.msgSecCheck / security.mediaCheckAsync: localcloud/contentcheck.ts.
 */
import { MediaCheckQueue, mediaCheckAsync, msgSecCheck } from './contentcheck';
import { DbError } from './db/engine';

export const SUBSCRIBE_SEND = '/cgi-bin/message/subscribe/send';

export interface WxMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  at: string;
}

export class WxOpenApi {
  readonly sent: WxMessage[] = [];
  /** Media checks submitted to mediaCheckAsync whose verdict has not been pushed yet. */
  readonly media = new MediaCheckQueue();

  handle(body: Record<string, unknown>): { data: { responseData: string } } {
    const apiName = String(body.apiName ?? '');
    let req: Record<string, unknown>;
    try {
      req = body.requestData ? ((JSON.parse(String(body.requestData)) as Record<string, unknown> | null) ?? {}) : {};
    } catch {
      throw new DbError('INVALID_PARAM', 'requestData is not JSON');
    }
    const responseData =
      apiName === SUBSCRIBE_SEND
        ? this.subscribeSend(req as Partial<WxMessage>)
        : apiName === 'security.msgSecCheck'
          ? msgSecCheck(req)
          : apiName === 'security.mediaCheckAsync'
            ? mediaCheckAsync(req, this.media)
            : null;
    if (!responseData) throw new DbError('LOCALCLOUD.NOT_IMPLEMENTED', `local cloud does not implement wx.api ${apiName}`);
    return { data: { responseData: JSON.stringify(responseData) } };
  }

  private subscribeSend(req: Partial<WxMessage>): object {
    const data = req.data && typeof req.data === 'object' ? req.data : null;
    const tooLong = data && Object.entries(data).find(([k, v]) => k.startsWith('thing') && String(v?.value ?? '').length > 20);
    const [errcode, errmsg] = !req.touser
      ? [40003, 'invalid openid']
      : !req.template_id
        ? [40037, 'invalid template_id']
        : !data || tooLong
          ? [47003, `argument invalid! data${tooLong ? `.${tooLong[0]}.value` : ''}`]
          : [0, 'ok'];
    if (errcode) return { errcode, errmsg };
    this.sent.push({ touser: req.touser!, template_id: req.template_id!, page: req.page, data: data!, at: new Date().toISOString() });
    return { errcode, errmsg, msgid: this.sent.length };
  }
}

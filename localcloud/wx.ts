/**
 * The SDK's WeChat open-API action (`callWxOpenApi` → `{"action":"wx.api","apiName","requestData":"<json>"}`),
 * for the one API the functions use: subscribeMessage.send. The local cloud checks the fields WeChat
 * checks (touser, template_id, data; `thing` values at most 20 characters) and keeps what was sent so tests
 * and developers can see it (GET /_local/wx-messages). Reply shape as the SDK parses it: `data.responseData`.
 */
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

  handle(body: Record<string, unknown>) {
    const apiName = String(body.apiName ?? '');
    if (apiName !== SUBSCRIBE_SEND) throw new DbError('LOCALCLOUD.NOT_IMPLEMENTED', `local cloud does not implement wx api ${apiName}`);
    let req: Partial<WxMessage>;
    try {
      req = JSON.parse(String(body.requestData || '{}')) as Partial<WxMessage>;
    } catch {
      throw new DbError('INVALID_PARAM', 'requestData is not JSON');
    }
    const data = req.data && typeof req.data === 'object' ? req.data : null;
    const tooLong = data && Object.entries(data).find(([k, v]) => k.startsWith('thing') && String(v?.value ?? '').length > 20);
    const [errcode, errmsg] = !req.touser
      ? [40003, 'invalid openid']
      : !req.template_id
        ? [40037, 'invalid template_id']
        : !data || tooLong
          ? [47003, `argument invalid! data${tooLong ? `.${tooLong[0]}.value` : ''}`]
          : [0, 'ok'];
    if (!errcode) this.sent.push({ touser: req.touser!, template_id: req.template_id!, page: req.page, data: data!, at: new Date().toISOString() });
    return { data: { responseData: JSON.stringify(errcode ? { errcode, errmsg } : { errcode, errmsg, msgid: this.sent.length }) } };
  }
}

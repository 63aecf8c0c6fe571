/**
 * The SDK's WeChat open-API action (`callWxOpenApi` → `{"action":"wx.api","apiName","requestData":"<json>"}`):
 * one dispatcher for the APIs the functions use. requestData is parsed here once; each API answers the object
 * WeChat puts in `data.responseData` (the reply shape the SDK parses). A wire-level failure is a DbError, which
 * the wire answers as `{ code, message }` like any other action.
 * - subscribeMessage.send: the local cloud checks the fields WeChat checks (touser, template_id, data; `thing`
 *   values at most 20 characters) and keeps what was sent so tests and developers can see it
 *   (GET /_local/wx-messages).
 * - security.msgSecCheck / security.mediaCheckAsync: localcloud/contentcheck.ts.
 *
 * The binary open APIs (`callCompatibleWxOpenApi` → `{"action":"wx.openApi","apiName","requestData":<bytes>}`, sent
 * as multipart/form-data) answer raw bytes, or JSON `{ errcode, errmsg }` on an error, as WeChat does:
 * - wxacode.getUnlimited: WeChat answers a mini-program code (小程序码) that opens `page` with `scene`; no local
 *   program can draw one that WeChat would read, so the local cloud answers a standard QR code (PNG) of the H5 page
 *   `<local cloud origin>/#/<page>?scene=<scene>` — the same page in the H5 app, which reads `scene` like the
 *   mini-program does. It checks what WeChat checks: `scene` 1..32 characters of WeChat's set, `page` without a
 *   leading slash or a query, `width` 280..1280.
 */
import QRCode from 'qrcode';
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
  /** Mini-program codes asked for (wxacode.getUnlimited), for tests and developers. */
  readonly codes: Array<{ scene: string; page: string; at: string }> = [];

  /** `origin`: the local cloud's own address, where the H5 app is served. */
  constructor(private readonly origin: () => string = () => '') {}

  async openApi(body: Record<string, unknown>): Promise<{ contentType: string; bytes: Buffer }> {
    const apiName = String(body.apiName ?? '');
    const raw = body.requestData;
    let req: Record<string, unknown>;
    try {
      req = raw ? ((JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw)) as Record<string, unknown> | null) ?? {}) : {};
    } catch {
      throw new DbError('INVALID_PARAM', 'requestData is not JSON');
    }
    if (apiName !== 'wxacode.getUnlimited')
      throw new DbError('LOCALCLOUD.NOT_IMPLEMENTED', `local cloud does not implement wx.openApi ${apiName}`);
    const json = (errcode: number, errmsg: string) => ({
      contentType: 'application/json; charset=utf-8',
      bytes: Buffer.from(JSON.stringify({ errcode, errmsg })),
    });
    const scene = typeof req.scene === 'string' ? req.scene : '';
    const page = req.page === undefined ? 'pages/index/index' : typeof req.page === 'string' ? req.page : '';
    const width = req.width === undefined ? 430 : Number(req.width);
    if (!/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/.test(scene)) return json(40129, 'invalid scene');
    if (!page || page.startsWith('/') || page.includes('?')) return json(41030, 'invalid page');
    if (!Number.isInteger(width) || width < 280 || width > 1280) return json(40159, 'invalid width');
    this.codes.push({ scene, page, at: new Date().toISOString() });
    const url = `${this.origin()}/#/${page}?scene=${encodeURIComponent(scene)}`;
    const bytes = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: Math.min(width, 430) });
    return { contentType: 'image/png', bytes };
  }

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

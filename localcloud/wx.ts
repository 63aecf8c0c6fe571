/**
 * WeChat's cloud calls (云调用) as wx-server-sdk makes them: `cloud.openapi.<api>(data)` encodes `data` as the protobuf
 * `CommApiData` and sends it with node-sdk's `callCompatibleWxOpenApi` — action `wx.openApi`, multipart/form-data,
 * `apiName` and `requestData` (the encoded bytes) — and expects the raw bytes of an encoded `CommOpenApiResp` back
 * (wx-server-sdk 4.0.2: src/api/openapi/namespace/generic.ts, src/api/cloud/provider/tcb/api/callWXOpenAPI.ts,
 * src/protobuf/openapi.js; @cloudbase/node-sdk dist/wx/index.js callCompatibleWxOpenApi). This module decodes the
 * request (each `openapiData.pairs` entry: a key and its JSON value; the SDK sends the keys snake_case) and encodes
 * the answer: `respData` the JSON WeChat answers (`application/json`) or an image, `errorCode` 0. A WeChat refusal
 * is JSON with an `errcode`, which the SDK throws as `{ errCode, errMsg }`. A wire-level failure is a DbError, which
 * the wire answers as `{ code, message }` JSON (the SDK, failing to read it as protobuf, throws that code).
 * - subscribeMessage.send: the local cloud checks the fields WeChat checks (touser, template_id, data; `thing`
 *   values at most 20 characters) and keeps what was sent so tests and developers can see it
 *   (GET /_local/wx-messages).
 * - security.msgSecCheck / security.mediaCheckAsync: localcloud/contentcheck.ts. WeChat fetches mediaCheckAsync's
 *   `media_url` itself, so it must be an http(s) URL: locally, a temporary URL of this local cloud's storage whose
 *   signature is good when it is submitted (what `GET /files/…` would serve).
 * - wxacode.getUnlimited: WeChat answers a mini-program code (小程序码) that opens `page` with `scene`; no local
 *   program can draw one that WeChat would read, so the local cloud answers a standard QR code (PNG) of the H5 page
 *   `<local cloud origin>/#/<page>?scene=<scene>` — the same page in the H5 app, which reads `scene` like the
 *   mini-program does. It checks what WeChat checks: `scene` 1..32 characters of WeChat's set, `page` without a
 *   leading slash or a query, `width` 280..1280.
 * The old JSON route (`callWxOpenApi`, action `wx.api`, which wx-server-sdk marks DEPRECATED in callOpenAPI.ts) is
 * not answered any more: no function uses it.
 */
import protobuf from 'protobufjs';
import QRCode from 'qrcode';
import { MediaCheckQueue, mediaCheckAsync, msgSecCheck } from './contentcheck';
import { DbError } from './db/engine';

/**
 * The messages of wx-server-sdk 4.0.2's src/protobuf/openapi.js (bundled in node_modules/wx-server-sdk/index.js),
 * field for field as its encode functions write them. `CommApiData.apiType` is the enum ApiType (OPEN_API = 0,
 * INNER_API, SVRKIT_API, TOKEN_API), an int32 on the wire; innerData (3), svrkitData (4) and tokenData (5) are not
 * used by `cloud.openapi` and left out.
 */
const root = protobuf.Root.fromJSON({
  nested: {
    KeyValuePair: {
      fields: {
        key: { type: 'string', id: 1 },
        value: { type: 'bytes', id: 2 },
        contenttype: { type: 'string', id: 3 },
        filename: { type: 'string', id: 4 },
      },
    },
    OpenApiData: { fields: { pairs: { rule: 'repeated', type: 'KeyValuePair', id: 1 } } },
    CommApiData: {
      fields: {
        apiType: { type: 'int32', id: 1 },
        openapiData: { type: 'OpenApiData', id: 2 },
        appid: { type: 'string', id: 6 },
      },
    },
    HttpHeader: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    CommOpenApiResp: {
      fields: {
        respData: { type: 'bytes', id: 1 },
        contentType: { type: 'string', id: 2 },
        errorCode: { type: 'int32', id: 3 },
        httpCode: { type: 'uint32', id: 4 },
        headers: { rule: 'repeated', type: 'HttpHeader', id: 5 },
        svrkitErrorCode: { type: 'int32', id: 6 },
      },
    },
  },
});
const CommApiData = root.lookupType('CommApiData');
const CommOpenApiResp = root.lookupType('CommOpenApiResp');
const OPEN_API = 0;

/** A decoded cloud call: the API, and its parameters as WeChat's HTTPS API names them (snake_case). */
export interface OpenApiRequest {
  apiName: string;
  appid: string;
  params: Record<string, unknown>;
}

/** Decodes the `requestData` of a `wx.openApi` call (CommApiData, OPEN_API): each pair's value is JSON, or a file
 * (the SDK's media converter: a pair with a content type) kept as bytes. */
export function decodeOpenApiRequest(apiName: string, requestData: unknown): OpenApiRequest {
  if (!Buffer.isBuffer(requestData)) throw new DbError('INVALID_PARAM', 'requestData is not a file part');
  let msg: {
    apiType?: number;
    openapiData?: { pairs?: Array<{ key?: string; value?: Uint8Array; contenttype?: string }> };
    appid?: string;
  };
  try {
    msg = CommApiData.toObject(CommApiData.decode(requestData), { defaults: true }) as typeof msg;
  } catch (e) {
    throw new DbError('INVALID_PARAM', `requestData is not a CommApiData: ${(e as Error).message}`);
  }
  if (msg.apiType !== OPEN_API) throw new DbError('INVALID_PARAM', `apiType ${String(msg.apiType)} is not OPEN_API`);
  const params: Record<string, unknown> = {};
  for (const p of msg.openapiData?.pairs ?? []) {
    const key = p.key ?? '';
    const bytes = Buffer.from(p.value ?? []);
    if (p.contenttype) {
      params[key] = { contentType: p.contenttype, value: bytes };
      continue;
    }
    try {
      params[key] = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new DbError('INVALID_PARAM', `requestData pair ${key} is not JSON`);
    }
  }
  return { apiName, appid: msg.appid ?? '', params };
}

/** Encodes the answer the SDK decodes: WeChat's bytes and their content type, `errorCode` 0 (WeChat reached). */
export function encodeOpenApiResponse(contentType: string, respData: Buffer): Buffer {
  return Buffer.from(CommOpenApiResp.encode(CommOpenApiResp.fromObject({ respData, contentType, errorCode: 0, httpCode: 200 })).finish());
}

/** Reads an encoded CommOpenApiResp (tests). */
export function decodeOpenApiResponse(bytes: Buffer): { respData: Buffer; contentType: string; errorCode: number; httpCode: number } {
  const o = CommOpenApiResp.toObject(CommOpenApiResp.decode(bytes), { defaults: true }) as {
    respData: Uint8Array;
    contentType: string;
    errorCode: number;
    httpCode: number;
  };
  return { ...o, respData: Buffer.from(o.respData) };
}

export interface WxMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  at: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export class WxOpenApi {
  readonly sent: WxMessage[] = [];
  /** Media checks submitted to mediaCheckAsync whose verdict has not been pushed yet. */
  readonly media = new MediaCheckQueue();
  /** Mini-program codes asked for (wxacode.getUnlimited), for tests and developers. */
  readonly codes: Array<{ scene: string; page: string; at: string }> = [];
  /** Cloud calls answered, decoded, newest last (the last 100), for tests and developers. */
  readonly calls: OpenApiRequest[] = [];

  /**
   * `origin`: the local cloud's own address, where the H5 app is served. `fileOfUrl`: the stored file a temporary
   * URL of this local cloud names, if WeChat could fetch it now (else null).
   */
  constructor(
    private readonly origin: () => string = () => '',
    private readonly fileOfUrl: (url: string) => string | null = () => null,
  ) {}

  /** A `wx.openApi` call (the multipart fields): the bytes of the encoded CommOpenApiResp. */
  async openApi(body: Record<string, unknown>): Promise<Buffer> {
    const req = decodeOpenApiRequest(String(body.apiName ?? ''), body.requestData);
    this.calls.push(req);
    if (this.calls.length > 100) this.calls.shift();
    const { contentType, bytes } = await this.answer(req);
    return encodeOpenApiResponse(contentType, bytes);
  }

  private async answer({ apiName, params }: OpenApiRequest): Promise<{ contentType: string; bytes: Buffer }> {
    const json = (o: object) => ({ contentType: JSON_TYPE, bytes: Buffer.from(JSON.stringify(o)) });
    switch (apiName) {
      case 'subscribeMessage.send':
        return json(this.subscribeSend(params as Partial<WxMessage>));
      case 'security.msgSecCheck':
        return json(msgSecCheck(params));
      case 'security.mediaCheckAsync':
        return json(mediaCheckAsync(params, this.media, this.fileOfUrl));
      case 'wxacode.getUnlimited':
        return this.getUnlimited(params);
      default:
        throw new DbError('LOCALCLOUD.NOT_IMPLEMENTED', `local cloud does not implement the cloud call ${apiName}`);
    }
  }

  private async getUnlimited(req: Record<string, unknown>): Promise<{ contentType: string; bytes: Buffer }> {
    const json = (errcode: number, errmsg: string) => ({ contentType: JSON_TYPE, bytes: Buffer.from(JSON.stringify({ errcode, errmsg })) });
    const scene = typeof req.scene === 'string' ? req.scene : '';
    const page = req.page === undefined ? 'pages/index/index' : typeof req.page === 'string' ? req.page : '';
    const width = req.width === undefined ? 430 : Number(req.width);
    if (!/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/.test(scene)) return json(40129, 'invalid scene');
    if (!page || page.startsWith('/') || page.includes('?')) return json(41030, 'invalid page');
    if (!Number.isInteger(width) || width < 280 || width > 1280) return json(40159, 'invalid width');
    // env_version: "正式版为 release，体验版为 trial，开发版为 develop", default release (getUnlimitedQRCode); any other
    // value is WeChat's 40097 invalid args.
    const envVersion = req.env_version === undefined ? 'release' : req.env_version;
    if (typeof envVersion !== 'string' || !['release', 'trial', 'develop'].includes(envVersion)) return json(40097, 'invalid args');
    this.codes.push({ scene, page, at: new Date().toISOString() });
    const url = `${this.origin()}/#/${page}?scene=${encodeURIComponent(scene)}`;
    const bytes = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: Math.min(width, 430) });
    return { contentType: 'image/png', bytes };
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

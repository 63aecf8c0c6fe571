/**
 * POST /tcb: the database, storage and cloud-call wire the functions' SDK sends to `serviceUrl`. Only requests signed
 * with this start's secret pair are read (localcloud/guard.ts); refusals and failures answer as CloudBase does,
 * 200 with a code the SDK rejects with.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { DbError, type Engine } from '../db/engine';
import { handleDatabase } from '../db/wire';
import { precheckSignature, verifySignature, type Credentials } from '../guard';
import type { Storage } from '../storage';
import type { WxOpenApi } from '../wx';
import { WIRE_BODY_LIMIT, readBody, send, type Log, type Stats } from './http';

/** What the wire needs: the secret pair it checks, where its data is, and what answers each action. */
export interface WireRoom {
  credentials: Credentials;
  dataDir: string;
  engine: Engine;
  storage: Storage;
  wx: WxOpenApi;
  stats: Stats;
  log: Log;
}

/**
 * The fields of a multipart/form-data body, each part's bytes as sent: a file part (a filename, or a content type
 * such as the `application/octet-stream` form-data gives a Buffer) as a Buffer, any other as UTF-8 text. Parsed by
 * hand: a WHATWG FormData would decode a part without a filename as text, and a cloud call's `requestData` is protobuf
 * bytes that do not survive that (nor would its signature, which covers the bytes).
 */
export function formFields(raw: Buffer, contentType: string): Record<string, unknown> {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!m) throw new Error('multipart body without a boundary');
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const between = Buffer.concat([Buffer.from('\r\n'), boundary]);
  const out: Record<string, unknown> = {};
  let pos = raw.indexOf(boundary);
  if (pos < 0) throw new Error('multipart body without its boundary');
  for (;;) {
    pos += boundary.length;
    if (raw.subarray(pos, pos + 2).toString('latin1') === '--') return out;
    const headEnd = raw.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) throw new Error('multipart part without headers');
    const head = raw.subarray(pos + 2, headEnd).toString('utf8');
    const next = raw.indexOf(between, headEnd + 4);
    if (next < 0) throw new Error('multipart part without an end');
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (!name) throw new Error('multipart part without a name');
    const value = raw.subarray(headEnd + 4, next);
    out[name] = /filename=|content-type:/i.test(head) ? Buffer.from(value) : value.toString('utf8');
    pos = next + 2;
  }
}

/** The handler of POST /tcb. */
export function wireRoom({ credentials, dataDir, engine, storage, wx, stats, log }: WireRoom) {
  /** A database request slower than LOCALCLOUD_SLOW_MS (default 2000) is printed with its collection and query, even
   * when quiet: a call that times out then says which request held it. */
  const slowMs = Number(process.env.LOCALCLOUD_SLOW_MS) || 2000;
  async function slowLogged<T>(action: string, body: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      const ms = performance.now() - t0;
      if (ms > slowMs) {
        const what = ['collectionName', 'query', 'order', 'limit', 'multi'].map((k) =>
          body[k] === undefined ? '' : ` ${k}=${String(body[k]).slice(0, 300)}`,
        );
        console.warn(`[localcloud] slow ${action} (${Math.round(ms)} ms):${what.join('')}`);
      }
    }
  }

  /** CloudBase's answer to a bad signature: 200 with a code, so the SDK rejects with it (wire notes §2). */
  function refuseWire(res: ServerResponse, why: string, requestId: string) {
    stats.wireRefused++;
    res.setHeader('connection', 'close'); // the body, up to 32 MB, is not read: the socket closes after the answer
    send(res, 200, {
      code: 'SIGN_PARAM_INVALID',
      message: `[local cloud] ${why}: sign with the secretId/secretKey of this start (${dataDir}/credentials.json)`,
      requestId,
    });
  }

  return async function wire(req: IncomingMessage, res: ServerResponse) {
    const requestId = `local-${randomBytes(6).toString('hex')}`;
    // Unsigned or foreign requests are refused before their body is read.
    const early = precheckSignature(req, credentials);
    if (early) return refuseWire(res, early, requestId);
    let body: Record<string, unknown>;
    // The SDK sends cloud calls (`wx.openApi`, callCompatibleWxOpenApi, wx-server-sdk's cloud.openapi) as
    // multipart/form-data, every other action as JSON; the signature covers the same fields either way (a file part as its bytes).
    const contentType = String(req.headers['content-type'] ?? '');
    try {
      const raw = await readBody(req, WIRE_BODY_LIMIT);
      body = contentType.startsWith('multipart/form-data') ? formFields(raw, contentType) : JSON.parse(raw.toString('utf8'));
    } catch {
      return send(res, 200, { code: 'INVALID_PARAM', message: 'request body is not JSON', requestId });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return send(res, 200, { code: 'INVALID_PARAM', message: 'request body is not an object', requestId });
    const bad = verifySignature(req, body, credentials);
    if (bad) return refuseWire(res, bad, requestId);
    const action = String(body.action ?? '');
    stats.wireTotal++;
    stats.wire[action] = (stats.wire[action] ?? 0) + 1;
    if (action === 'wx.openApi') {
      // A cloud call answers the raw bytes of a protobuf CommOpenApiResp (localcloud/wx.ts); a wire-level failure
      // answers JSON { code, message }, which wx-server-sdk throws as that code.
      try {
        return send(res, 200, await wx.openApi(body), 'application/octet-stream');
      } catch (e) {
        const code = e instanceof DbError ? e.code : 'SYS_ERR';
        return send(res, 200, { code, message: (e as Error).message, requestId });
      }
    }
    try {
      const reply = action.startsWith('storage.')
        ? storage.handle(action, body)
        : await slowLogged(action, body, () => handleDatabase(engine, action, body));
      send(res, 200, { ...reply, requestId });
    } catch (e) {
      if (e instanceof DbError) return send(res, 200, { code: e.code, message: e.message, requestId });
      log(`wire ${action} failed:`, e);
      send(res, 200, { code: 'SYS_ERR', message: (e as Error).message, requestId });
    }
  };
}

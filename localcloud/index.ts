/**
 * The local cloud: one process on 127.0.0.1 that stands in for CloudBase on a developer's machine.
 *   POST /api/<function>   runs cloudfunctions/<function>/index.js; identity from the x-wx-openid header
 *   POST /tcb              the database and storage wire protocol the SDK speaks to `serviceUrl`
 *   PUT  /cos/upload/<p>   file upload target handed out by storage.getUploadMetadata
 *   GET  /files/<p>?sign=  stored files, by the signed, expiring URL getTempFileURL hands out
 *   GET  /                 the H5 build;  GET /_local/stats  request counters;  GET /_local/wx-messages
 *   GET  /_local/media-checks      photos submitted to mediaCheckAsync, verdict not yet pushed
 *   POST /_local/media-verdicts    pushes their verdicts to mediaCheckResult, as WeChat's message push does
 * See docs/localcloud.md for what it implements and how it differs from CloudBase.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ERRORS, httpStatusOf } from '../src/core/errors';
import { GROUPS } from '../src/core/functions';
import { DbError, Engine } from './db/engine';
import { unmigrated } from './db/migrate';
import { handleDatabase } from './db/wire';
import { COLLECTIONS, strictMode, type CollectionDecl } from './db/indexes';
import { quotaBreaches } from './quotas';
import { FunctionHost, OPENID_PATTERN } from './functions';
import { mediaCheckEvent, photoVerdict, type MediaSuggest } from './contentcheck';
import { seedIfEmpty } from './seed';
import { startScheduler, timerTriggers, type Scheduler } from './cron';
import {
  assertLoopback,
  contentSecurityPolicy,
  hasToken,
  loadFunctionRules,
  newCredentials,
  ownHosts,
  ownOrigins,
  precheckSignature,
  removeCredentials,
  triggerOnly,
  verifySignature,
  writeCredentials,
  type Credentials,
} from './guard';
import { CONTENT_TYPES, Storage, UploadRefused, XLSX_TYPE, storedTypeOf } from './storage';
import { WxOpenApi, type OpenApiRequest, type WxMessage } from './wx';

export interface LocalCloudOptions {
  port?: number; // 0 = any free port
  dataDir: string;
  staticDir?: string;
  functionsDir?: string;
  seed?: boolean;
  quiet?: boolean;
  functionTimeoutMs?: number;
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost; anything else refuses to start (header identity). */
  host?: string;
  /** The 云函数安全规则 to enforce (default: the repo's functions.rules.json). */
  rulesFile?: string;
  /** Write <dataDir>/credentials.json for the local commands (default true; `npm run reset` does not). */
  writeCredentials?: boolean;
  /** More environment for the functions' instances, over the local cloud's own (read when an instance starts):
   * e.g. `TCB_SERVICE_URL` of a recording proxy in front of the wire (tests/functions/roundtrips.test.ts). */
  functionEnv?: () => Record<string, string>;
  /** Run the functions' timer triggers (config.json, CloudBase's seven-field cron, China time) when they fall due
   * (localcloud/cron.ts). `npm start` turns this on; tests run timers themselves, as of the day they choose. */
  timers?: boolean;
  /** Hold every client's call — /api/* (and /api/_health) and the /_local/ commands that run functions — with 503
   * SYSTEM.STARTING until `open()`: `npm start` seeds the demo wishes through `call` meanwhile, so no caller can
   * interleave with the seeding or find a half-seeded board. The wire (/tcb) answers throughout: the functions need
   * it, and only this start's secret pair may use it. Timers start at `open()`. Default false: open at once. */
  hold?: boolean;
}

export interface LocalCloud {
  url: string;
  port: number;
  dataDir: string;
  /** This start's wire secret pair (the functions' SDK signs with it) and /_local token. */
  credentials: Credentials;
  /** Whether this start found an empty database and seeded the demo organisation and users. */
  seeded: boolean;
  close(): Promise<void>;
  reset(): Promise<void>;
  /** Runs a function no client may call (a timer or a message push) the way the platform does: no caller. `asOf`:
   * the instant the function takes as "now" (local only: a timer run as of a date). */
  trigger(name: string, event: object, asOf?: Date): Promise<{ status: number; body: unknown }>;
  stats(): { wire: Record<string, number>; wireTotal: number; wireRefused: number; functions: Record<string, number> };
  /** Where each function that has run was loaded from (its bundle's path and build stamp). */
  bundles(): Record<string, { file: string; bundle: Record<string, unknown> }>;
  /** Subscribe messages the functions sent (subscribeMessage.send, a cloud call through wx-server-sdk). */
  wxMessages(): WxMessage[];
  /** The cloud calls answered (wx.openApi), decoded: API name and parameters as WeChat names them; the last 100. */
  wxCalls(): OpenApiRequest[];
  /** When each timer trigger fires next (only with `timers: true`). */
  timers(): Array<{ fn: string; name: string; at: Date | null }>;
  /** Pushes the verdicts of pending media checks to mediaCheckResult (see deliverMediaVerdicts). */
  deliverMediaVerdicts(opts?: MediaVerdictRequest): Promise<MediaVerdictDelivery[]>;
  /** A client's call made in-process: the same 云函数安全规则 and the same function instances as POST /api/<name>
   * with `x-wx-openid: openid`, answered even while the cloud is held (the seeding's own calls). */
  call(name: string, event: object, openid: string): Promise<{ status: number; body: unknown }>;
  /** Starts answering clients (and running timers) after a `hold: true` start; a no-op once open. */
  open(): void;
  /** Whether clients are answered (false between a `hold: true` start and `open()`). */
  readonly isOpen: boolean;
}

/** Which pending checks to answer (default: all) and, optionally, the verdict to give them (default: by file name). */
export interface MediaVerdictRequest {
  fileIds?: string[];
  suggest?: MediaSuggest;
}
export interface MediaVerdictDelivery {
  traceId: string;
  fileId: string;
  suggest: MediaSuggest;
  status: number;
  answer: unknown;
}

const ROOT = join(__dirname, '..');
const API_BODY_LIMIT = 64 * 1024;
const WIRE_BODY_LIMIT = 32 * 1024 * 1024;
const UPLOAD_LIMIT = 10 * 1024 * 1024;

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new TooLarge());
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A multipart/form-data body as the SDK's fields: text parts as strings, file parts as their bytes. */
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

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8') {
  if (res.headersSent) return;
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(status, { 'content-type': type, 'content-length': payload.length, 'x-content-type-options': 'nosniff' });
  res.end(payload);
}

const answer = (res: ServerResponse, code: string, message: string) => send(res, httpStatusOf(code), { code, message });

/**
 * Strict mode's start check: the platform quotas the declarations exceed (localcloud/quotas.ts: function folders in
 * `functionsDir`, collections and each one's declared indexes), as one message, or null. CloudBase refuses the 51st
 * function and the 21st index when they are created; the local cloud refuses to start with them.
 */
export function quotaRefusalAtStart(functionsDir: string, collections: readonly CollectionDecl[] = COLLECTIONS): string | null {
  const functions = existsSync(functionsDir)
    ? readdirSync(functionsDir).filter(
        (n) => existsSync(join(functionsDir, n, 'index.ts')) || existsSync(join(functionsDir, n, 'index.js')),
      )
    : [];
  const breaches = quotaBreaches({ functions, collections: collections.map((c) => ({ name: c.name, indexes: c.indexes.length })) });
  return breaches.length
    ? `the local cloud's strict mode (LOCALCLOUD_STRICT_INDEXES) refuses to start: ${breaches.map((b) => `${b.code}: ${b.message}`).join('; ')}`
    : null;
}

export async function startLocalCloud(opts: LocalCloudOptions): Promise<LocalCloud> {
  const dataDir = opts.dataDir;
  const bind = opts.host ?? '127.0.0.1';
  assertLoopback(bind); // before anything is opened
  if (strictMode()) {
    const refusal = quotaRefusalAtStart(opts.functionsDir ?? join(ROOT, 'cloudfunctions'));
    if (refusal) throw new Error(refusal);
  }
  const rulesFile = opts.rulesFile ?? join(ROOT, 'functions.rules.json');
  const mayInvoke = loadFunctionRules(rulesFile);
  const triggered = triggerOnly(rulesFile);
  const credentials = newCredentials();
  const staticDir = opts.staticDir ?? join(ROOT, 'dist/h5');
  const log = opts.quiet ? () => undefined : (...a: unknown[]) => console.log('[localcloud]', ...a);
  // A data folder from before the SQL engine keeps its documents in NeDB files under db/: `npm run migrate-db` moves them.
  if (!process.env.DATABASE_URL && unmigrated(dataDir) && !existsSync(join(dataDir, 'pg'))) {
    throw new Error(
      `${dataDir} holds NeDB data (db/*.db) not yet moved to the SQL engine: run \`npm run migrate-db\` (or \`npm run reset\` to start over)`,
    );
  }
  const engine = await Engine.open(dataDir);
  const seeded = opts.seed !== false && (await seedIfEmpty(engine));
  if (seeded) log('seeded the demo organisation and users');
  let url = '';
  const storage = new Storage(join(dataDir, 'files'), () => url);
  const wx = new WxOpenApi(
    () => url,
    (u) => storage.fileOfUrl(u),
  );
  const { media } = wx;
  const stats = { wire: {} as Record<string, number>, wireTotal: 0, wireRefused: 0, functions: {} as Record<string, number> };

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

  async function wire(req: IncomingMessage, res: ServerResponse) {
    const requestId = `local-${randomBytes(6).toString('hex')}`;
    // Unsigned or foreign requests are refused before their body is read.
    const early = precheckSignature(req, credentials);
    if (early) return refuseWire(req, res, early, requestId);
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
    if (bad) return refuseWire(req, res, bad, requestId);
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
  }

  /** CloudBase's answer to a bad signature: 200 with a code, so the SDK rejects with it (wire notes §2). */
  function refuseWire(req: IncomingMessage, res: ServerResponse, why: string, requestId: string) {
    stats.wireRefused++;
    res.setHeader('connection', 'close'); // the body, up to 32 MB, is not read: the socket closes after the answer
    send(res, 200, {
      code: 'SIGN_PARAM_INVALID',
      message: `[local cloud] ${why}: sign with the secretId/secretKey of this start (${dataDir}/credentials.json)`,
      requestId,
    });
  }

  // Each function in its own worker, from its bundle; timeouts from its config.json unless functionTimeoutMs says.
  // Its SDK signs with this start's secret pair (identity never travels here: it is in each call's context).
  const host = () =>
    new FunctionHost(opts.functionsDir ?? join(ROOT, 'cloudfunctions'), {
      timeoutMs: opts.functionTimeoutMs,
      env: () => ({
        TCB_SERVICE_URL: `${url}/tcb`,
        TCB_ENV: 'local',
        TCB_SECRET_ID: credentials.secretId,
        TCB_SECRET_KEY: credentials.secretKey,
        TENCENTCLOUD: 'true',
        SILENCE: 'true',
        ...opts.functionEnv?.(),
      }),
    });
  let functions = host();

  async function api(name: string, req: IncomingMessage, res: ServerResponse) {
    const header = req.headers['x-wx-openid'];
    const openid = typeof header === 'string' && OPENID_PATTERN.test(header) ? header : null;
    // An anonymous CloudBase login (web, no WeChat): `x-tcb-uuid` names its user id. It is signed in as far as the
    // rules go (auth != null, as on CloudBase); each function decides whether it serves such a caller.
    const uuidHeader = req.headers['x-tcb-uuid'];
    const anonymous = !openid && typeof uuidHeader === 'string' && OPENID_PATTERN.test(uuidHeader) ? uuidHeader : null;
    const main = functions.load(name);
    if (!main) return answer(res, 'FUNCTION.NOT_FOUND', `没有这个功能：${name}`);
    // functions.rules.json, as the platform applies it to a client's call: before the function runs.
    const denied = mayInvoke(name, openid ?? anonymous);
    if (denied) {
      req.resume();
      return answer(res, denied, denied === 'AUTH.NO_IDENTITY' ? '请先登录' : '您没有权限做这件事');
    }
    let event: unknown;
    try {
      event = JSON.parse((await readBody(req, API_BODY_LIMIT)).toString('utf8') || '{}');
    } catch (e) {
      if (e instanceof TooLarge) return answer(res, 'INPUT.TOO_LARGE', '提交的内容太大了');
      return answer(res, 'INPUT.INVALID', '请求格式不对');
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return answer(res, 'INPUT.INVALID', '请求格式不对');
    const r = await run(name, main, event, openid, anonymous);
    send(res, r.status, r.body);
  }

  /** Runs a client's call that passed the rules: the function's answer and its HTTP status. */
  async function run(
    name: string,
    main: NonNullable<ReturnType<FunctionHost['load']>>,
    event: object,
    openid: string | null,
    anonymous: string | null,
  ): Promise<{ status: number; body: unknown }> {
    stats.functions[name] = (stats.functions[name] ?? 0) + 1;
    try {
      const result = (await functions.invoke(main, name, event, openid, anonymous)) as { code?: string | number };
      return { status: httpStatusOf(result?.code ?? 'SYSTEM.ERROR'), body: result };
    } catch (e) {
      console.error(`[localcloud] function ${name} threw:`, e);
      return { status: 500, body: { code: 'SYSTEM.ERROR', message: '系统繁忙，请稍后再试' } };
    }
  }

  /** POST /api/<name> as `openid`, in-process (LocalCloud.call). */
  async function call(name: string, event: object, openid: string): Promise<{ status: number; body: unknown }> {
    const main = functions.load(name);
    if (!main) return { status: 404, body: { code: 'FUNCTION.NOT_FOUND', message: `没有这个功能：${name}` } };
    if (!OPENID_PATTERN.test(openid)) return { status: 401, body: { code: 'AUTH.NO_IDENTITY', message: '请先登录' } };
    const denied = mayInvoke(name, openid);
    if (denied) return { status: httpStatusOf(denied), body: { code: denied, message: '您没有权限做这件事' } };
    return run(name, main, event, openid, null);
  }

  /** The SDK's upload PUT (and the H5 app's, with the metadata the photoUpload function hands out). Refusals are
   * COS-shaped XML, which the SDK turns into a STORAGE_REQUEST_FAIL error; success is an empty body. */
  async function cosUpload(path: string, req: IncomingMessage, res: ServerResponse) {
    const cos = (status: number, code: string, message: string) =>
      send(
        res,
        status,
        `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>local-${randomBytes(6).toString('hex')}</RequestId><TraceId>local</TraceId></Error>`,
        'application/xml',
      );
    let bytes: Buffer;
    try {
      bytes = await readBody(req, UPLOAD_LIMIT);
    } catch {
      return cos(413, 'EntityTooLarge', 'at most 10 MB');
    }
    const auth = req.headers.authorization;
    try {
      storage.put(path, typeof auth === 'string' ? auth : undefined, bytes);
    } catch (e) {
      if (e instanceof UploadRefused) return cos(e.status, e.code, e.message);
      throw e;
    }
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  }

  /** A stored file by its temporary URL: the signature must be valid and unexpired; served as the image its bytes
   * are (anything else as an attachment), with nosniff so a browser never reads it as a page. */
  function storedFile(path: string, req: IncomingMessage, res: ServerResponse) {
    const sign = new URL(req.url ?? '', 'http://x').searchParams.get('sign');
    const abs = storage.readable(path, sign);
    if (!abs)
      return send(res, 403, 'Forbidden: a file URL needs a valid, unexpired signature (getTempFileURL)', 'text/plain; charset=utf-8');
    if (!existsSync(abs) || !statSync(abs).isFile()) return send(res, 404, 'Not found', 'text/plain; charset=utf-8');
    const type = storage.typeOf(abs);
    const body = readFileSync(abs);
    // A spreadsheet (an exported ledger) is always a download, never shown inline.
    const sheet = !type && storedTypeOf(decodeURIComponent(path), body) === XLSX_TYPE;
    res.writeHead(200, {
      'content-type': type ?? (sheet ? XLSX_TYPE : 'application/octet-stream'),
      'content-length': body.length,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      ...(type ? {} : { 'content-disposition': 'attachment' }),
    });
    res.end(body);
  }

  function serveFile(abs: string | null, res: ServerResponse) {
    if (!abs || !existsSync(abs) || !statSync(abs).isFile()) return send(res, 404, 'Not found', 'text/plain; charset=utf-8');
    send(res, 200, readFileSync(abs), CONTENT_TYPES[extname(abs).slice(1).toLowerCase()] ?? 'application/octet-stream');
  }

  function serveStatic(pathname: string, res: ServerResponse) {
    if (!existsSync(join(staticDir, 'index.html'))) {
      return send(
        res,
        200,
        'H5 版本尚未构建：请先运行 npm run build:h5（npm start 会自动构建）。\nThe H5 build is missing: run npm run build:h5.',
        'text/plain; charset=utf-8',
      );
    }
    let rel: string;
    try {
      rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      return send(res, 400, 'Bad path', 'text/plain; charset=utf-8');
    }
    const abs = normalize(join(staticDir, rel));
    const file = abs.startsWith(staticDir + sep) ? abs : null;
    // The H5 pages' Content-Security-Policy: an HTML page's inline scripts are allowed by their hash only.
    const html = file && file.endsWith('.html') && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    res.setHeader('content-security-policy', contentSecurityPolicy(html, origins));
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'no-referrer');
    serveFile(file, res);
  }

  /** A function no client may call (functions.rules.json `invoke: false`: timers, message pushes), run the way
   * the platform runs a trigger: no caller identity. Reached only in-process or through /_local/trigger. */
  async function trigger(name: string, event: object, asOf?: Date): Promise<{ status: number; body: unknown }> {
    // A timer's operation by its own name (`purge`, `weekly` …: npm run timer, tests) is the `timers` function fired by
    // that trigger, with CloudBase's timer event (src/core/functions.ts: the trigger's name is the operation's).
    if ((GROUPS.timers as readonly string[]).includes(name)) {
      event = { Type: 'Timer', Time: (asOf ?? new Date()).toISOString(), ...event, TriggerName: name };
      name = 'timers';
    }
    if (!triggered.has(name)) return { status: 403, body: { code: 'AUTH.FORBIDDEN', message: `${name} 不是定时触发或消息推送的函数` } };
    const main = functions.load(name);
    if (!main) return { status: 404, body: { code: 'FUNCTION.NOT_FOUND', message: `没有这个功能：${name}` } };
    stats.functions[name] = (stats.functions[name] ?? 0) + 1;
    try {
      const result = (await functions.invoke(main, name, event, null, null, asOf)) as { code?: string | number };
      return { status: httpStatusOf(result?.code ?? 'SYSTEM.ERROR'), body: result };
    } catch (e) {
      console.error(`[localcloud] function ${name} threw:`, e);
      return { status: 500, body: { code: 'SYSTEM.ERROR', message: '系统繁忙，请稍后再试' } };
    }
  }

  async function triggerRoute(name: string, req: IncomingMessage, res: ServerResponse) {
    // ?asOf=<ISO instant>: run the timer as of then (npm run timer -- <fn> --as-of <day>).
    const asOfParam = new URL(req.url ?? '/', 'http://local').searchParams.get('asOf');
    const asOf = asOfParam ? new Date(asOfParam) : undefined;
    if (asOf && Number.isNaN(asOf.getTime())) return answer(res, 'INPUT.INVALID', 'asOf: 时间格式不对');
    let event: unknown;
    try {
      event = JSON.parse((await readBody(req, API_BODY_LIMIT)).toString('utf8') || '{}');
    } catch (e) {
      if (e instanceof TooLarge) return answer(res, 'INPUT.TOO_LARGE', '提交的内容太大了');
      return answer(res, 'INPUT.INVALID', '请求格式不对');
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return answer(res, 'INPUT.INVALID', '请求格式不对');
    const r = await trigger(name, event, asOf);
    send(res, r.status, r.body);
  }

  /** WeChat's message push, locally: each pending media check's `wxa_media_check` event goes to the
   * mediaCheckResult function, with the submitter's openid in its context (WeChat's push-to-cloud-function example
   * reads OPENID from the context; server/runner.ts accepts a well-formed push either way). A delivery that throws
   * stays pending. */
  async function deliverMediaVerdicts(opts: MediaVerdictRequest = {}): Promise<MediaVerdictDelivery[]> {
    const main = functions.load('mediaCheckResult');
    if (!main) throw new Error('mediaCheckResult is not built (npm run build:functions)');
    const out: MediaVerdictDelivery[] = [];
    for (const t of media.take(opts.fileIds)) {
      const suggest = opts.suggest ?? photoVerdict(t.fileId, storage.bytesOf(t.fileId));
      stats.functions.mediaCheckResult = (stats.functions.mediaCheckResult ?? 0) + 1;
      try {
        const result = (await functions.invoke(main, 'mediaCheckResult', mediaCheckEvent(t, suggest), t.openid)) as {
          code?: string | number;
        };
        out.push({ traceId: t.traceId, fileId: t.fileId, suggest, status: httpStatusOf(result?.code ?? 'SYSTEM.ERROR'), answer: result });
      } catch (e) {
        media.restore(t);
        log(`media verdict ${t.traceId} failed:`, e);
        out.push({
          traceId: t.traceId,
          fileId: t.fileId,
          suggest,
          status: 500,
          answer: { code: 'SYSTEM.ERROR', message: (e as Error).message },
        });
      }
    }
    return out;
  }

  async function mediaVerdicts(req: IncomingMessage, res: ServerResponse) {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((await readBody(req, API_BODY_LIMIT)).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return answer(res, 'INPUT.INVALID', '请求格式不对');
    }
    const fileIds =
      Array.isArray(body.fileIds) && body.fileIds.every((f) => typeof f === 'string') ? (body.fileIds as string[]) : undefined;
    const suggest = body.suggest === 'pass' || body.suggest === 'review' || body.suggest === 'risky' ? body.suggest : undefined;
    if (body.suggest !== undefined && !suggest) return answer(res, 'INPUT.INVALID', 'suggest: pass, review or risky');
    send(res, 200, { delivered: await deliverMediaVerdicts({ fileIds, suggest }) });
  }

  let hosts = new Set<string>();
  let origins = new Set<string>();
  let opened = !opts.hold;
  /** While held: the client routes that reach the functions (or report readiness). */
  const held = (pathname: string) =>
    pathname.startsWith('/api/') || pathname === '/_local/media-verdicts' || pathname.startsWith('/_local/trigger/');
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://local');
    try {
      // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 still sends Host: evil.example.
      if (!hosts.has(String(req.headers.host ?? '').toLowerCase())) {
        res.setHeader('connection', 'close');
        return send(res, 403, { code: 'AUTH.FORBIDDEN', message: 'Host is not this local cloud' });
      }
      // CORS: only the app's own origin. A foreign Origin is refused outright, since a "simple" cross-site POST
      // would otherwise run before the browser hides its answer.
      const origin = req.headers.origin;
      if (origin !== undefined) {
        if (!origins.has(origin)) {
          res.setHeader('connection', 'close');
          return send(res, 403, { code: 'AUTH.FORBIDDEN', message: 'cross-origin requests are not allowed' });
        }
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('vary', 'origin');
      }
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, PUT, OPTIONS',
          'access-control-allow-headers': 'content-type, x-wx-openid, x-tcb-uuid',
          'access-control-max-age': '600',
        });
        return res.end();
      }
      if (pathname.startsWith('/_local/') && !hasToken(req, credentials)) {
        res.setHeader('connection', 'close');
        return answer(res, 'AUTH.NO_IDENTITY', '本地命令才能调用：Authorization: Bearer <credentials.json 中的 token>');
      }
      if (req.method === 'POST' && pathname === '/tcb') return await wire(req, res);
      if (!opened && held(pathname)) {
        req.resume();
        res.setHeader('retry-after', '2');
        return answer(res, 'SYSTEM.STARTING', ERRORS['SYSTEM.STARTING'].message);
      }
      if (req.method === 'GET' && pathname === '/api/_health') return send(res, 200, { ok: true });
      if (req.method === 'POST' && pathname.startsWith('/api/')) return await api(pathname.slice(5), req, res);
      if (req.method === 'PUT' && pathname.startsWith('/cos/upload/'))
        return await cosUpload(pathname.slice('/cos/upload/'.length), req, res);
      if (req.method === 'GET' && pathname.startsWith('/files/')) return storedFile(pathname.slice('/files/'.length), req, res);
      if (req.method === 'GET' && pathname === '/_local/stats') return send(res, 200, stats);
      if (req.method === 'GET' && pathname === '/_local/wx-messages') return send(res, 200, wx.sent);
      if (req.method === 'GET' && pathname === '/_local/media-checks') return send(res, 200, media.list());
      if (req.method === 'POST' && pathname === '/_local/media-verdicts') return await mediaVerdicts(req, res);
      if (req.method === 'POST' && pathname.startsWith('/_local/trigger/'))
        return await triggerRoute(pathname.slice('/_local/trigger/'.length), req, res);
      if (req.method === 'GET') return serveStatic(pathname, res);
      send(res, 404, { code: 'FUNCTION.NOT_FOUND', message: 'not found' });
    } catch (e) {
      if (e instanceof TooLarge) return answer(res, 'INPUT.TOO_LARGE', '提交的内容太大了');
      if (e instanceof DbError) return send(res, 400, { code: e.code, message: e.message });
      console.error('[localcloud]', e);
      send(res, 500, { code: 'SYSTEM.ERROR', message: '系统繁忙，请稍后再试' });
    }
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8787, bind, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${bind === '::1' ? '[::1]' : bind}:${port}`;
  hosts = ownHosts(port);
  origins = ownOrigins(port);
  if (opts.writeCredentials !== false) writeCredentials(dataDir, url, credentials);
  // What the functions' SDK init reads (server/cloud.ts): this start's secret pair. Identity never goes here.
  Object.assign(process.env, {
    TCB_SERVICE_URL: `${url}/tcb`,
    TCB_ENV: 'local',
    TCB_SECRET_ID: credentials.secretId,
    TCB_SECRET_KEY: credentials.secretKey,
    TENCENTCLOUD: 'true',
    SILENCE: 'true',
  });
  delete process.env.WX_OPENID;
  functions.warm();
  log(`listening on ${url}${opened ? '' : ' (clients wait: 503 SYSTEM.STARTING until the demo data is in)'}`);
  let scheduler: Scheduler | null = null;
  const open = () => {
    opened = true;
    if (opts.timers && !scheduler)
      scheduler = startScheduler(timerTriggers(opts.functionsDir ?? join(ROOT, 'cloudfunctions')), (fn, event) => trigger(fn, event), {
        log,
      });
  };
  if (opened) open();

  return {
    url,
    port,
    dataDir,
    credentials,
    seeded,
    trigger,
    stats: () => ({
      wire: { ...stats.wire },
      wireTotal: stats.wireTotal,
      wireRefused: stats.wireRefused,
      functions: { ...stats.functions },
    }),
    wxMessages: () => [...wx.sent],
    wxCalls: () => [...wx.calls],
    timers: () => scheduler?.next() ?? [],
    bundles: () => functions.loaded(),
    deliverMediaVerdicts,
    call,
    open,
    get isOpen() {
      return opened;
    },
    async reset() {
      await engine.clear();
      rmSync(join(dataDir, 'files'), { recursive: true, force: true });
      await seedIfEmpty(engine);
      await functions.close();
      functions = host();
      functions.warm();
    },
    close: async () => {
      scheduler?.stop();
      if (opts.writeCredentials !== false) removeCredentials(dataDir, credentials);
      await functions.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await engine.close();
    },
  };
}

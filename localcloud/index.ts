/**
 * The local cloud: one process on 127.0.0.1 that stands in for CloudBase on a developer's machine.
 *   POST /api/<function>   runs cloudfunctions/<function>/index.js; identity from the x-wx-openid header
 *   POST /tcb              the database and storage wire protocol the SDK speaks to `serviceUrl`
 *   PUT  /cos/upload/<p>   file upload target handed out by storage.getUploadMetadata
 *   GET  /files/<p>?sign=  stored files, by the signed, expiring URL getTempFileURL hands out
 *   POST /auth/v1/signin/anonymously, /auth/v1/token; GET /auth/v1/user/me; POST /v1/functions/<name>
 *                          the CloudBase gateway's wire as @cloudbase/js-sdk speaks it (localcloud/gateway.ts)
 *   GET  /                 the H5 build;  GET /_local/stats  request counters;  GET /_local/wx-messages
 *   GET  /_local/media-checks      photos submitted to mediaCheckAsync, verdict not yet pushed
 *   POST /_local/media-verdicts    pushes their verdicts to mediaCheckResult, as WeChat's message push does
 * This file starts it and routes: the checks every request passes (its Host, its Origin, the /_local/ token, the
 * hold) and then the room that answers it, each in localcloud/rooms/ with what it needs handed in:
 *   wire.ts (/tcb), functionsApi.ts (/api, the js-sdk gateway), storage.ts (/cos/upload, /files), local.ts (/_local),
 *   triggers.ts (functions no client may call), static.ts (the H5 build), http.ts (bodies and answers).
 * See docs/localcloud.md for what it implements and how it differs from CloudBase.
 */
import { createServer } from 'node:http';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ERRORS } from '../src/core/errors';
import { DbError, Engine } from './db/engine';
import type { Driver } from './db/sql';
import { unmigrated } from './db/migrate';
import { COLLECTIONS, strictMode, type CollectionDecl } from './db/indexes';
import { quotaBreaches } from './quotas';
import { FunctionHost } from './functions';
import { gatewayTokens } from './gateway';
import { seedIfEmpty } from './seed';
import { startScheduler, timerTriggers, type Scheduler } from './cron';
import {
  assertLoopback,
  hasToken,
  loadFunctionRules,
  newCredentials,
  ownHosts,
  ownOrigins,
  removeCredentials,
  triggerOnly,
  writeCredentials,
  type Credentials,
} from './guard';
import { Storage } from './storage';
import { WxOpenApi, type OpenApiRequest, type WxMessage } from './wx';
import { TooLarge, answer, send, type Stats } from './rooms/http';
import { wireRoom } from './rooms/wire';
import { functionsRoom } from './rooms/functionsApi';
import { storageRoom } from './rooms/storage';
import { triggersRoom, type MediaVerdictDelivery, type MediaVerdictRequest } from './rooms/triggers';
import { localRoom } from './rooms/local';
import { staticRoom } from './rooms/static';

export { formFields } from './rooms/wire';
export type { MediaVerdictDelivery, MediaVerdictRequest } from './rooms/triggers';

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

const ROOT = join(__dirname, '..');

/** Where a test runner's environment offers one database for all the local clouds of a process (tests/node-environment.js:
 * one PGlite per jest worker instead of one per test file; each cloud keeps a schema of its own on it, one per data
 * folder, as on a PostgreSQL server). Unset everywhere else, and DATABASE_URL wins over it. */
export const SHARED_DATABASE = Symbol.for('localcloud.sharedDatabase');
async function sharedDatabase(): Promise<Driver | undefined> {
  const offer = (globalThis as Record<symbol, unknown>)[SHARED_DATABASE];
  return !process.env.DATABASE_URL && typeof offer === 'function' ? ((await offer()) as Driver) : undefined;
}

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
  const functionsDir = opts.functionsDir ?? join(ROOT, 'cloudfunctions');
  if (strictMode()) {
    const refusal = quotaRefusalAtStart(functionsDir);
    if (refusal) throw new Error(refusal);
  }
  const rulesFile = opts.rulesFile ?? join(ROOT, 'functions.rules.json');
  const mayInvoke = loadFunctionRules(rulesFile);
  const triggered = triggerOnly(rulesFile);
  const credentials = newCredentials();
  const tokens = gatewayTokens();
  const staticDir = opts.staticDir ?? join(ROOT, 'dist/h5');
  const log = opts.quiet ? () => undefined : (...a: unknown[]) => console.log('[localcloud]', ...a);
  // A data folder from before the SQL engine keeps its documents in NeDB files under db/: `npm run migrate-db` moves them.
  if (!process.env.DATABASE_URL && unmigrated(dataDir) && !existsSync(join(dataDir, 'pg'))) {
    throw new Error(
      `${dataDir} holds NeDB data (db/*.db) not yet moved to the SQL engine: run \`npm run migrate-db\` (or \`npm run reset\` to start over)`,
    );
  }
  const engine = await Engine.open(dataDir, { shared: await sharedDatabase() });
  const seeded = opts.seed !== false && (await seedIfEmpty(engine));
  if (seeded) log('seeded the demo organisation and users');
  let url = '';
  const storage = new Storage(join(dataDir, 'files'), () => url);
  const wx = new WxOpenApi(
    () => url,
    (u) => storage.fileOfUrl(u),
  );
  const { media } = wx;
  const stats: Stats = { wire: {}, wireTotal: 0, wireRefused: 0, functions: {} };

  // Each function in its own worker, from its bundle; timeouts from its config.json unless functionTimeoutMs says.
  // Its SDK signs with this start's secret pair (identity never travels here: it is in each call's context).
  const host = () =>
    new FunctionHost(functionsDir, {
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
  let functions = host(); // a reset replaces it: the rooms ask for it each time
  let hosts = new Set<string>();
  let origins = new Set<string>();

  const wire = wireRoom({ credentials, dataDir, engine, storage, wx, stats, log });
  const fns = functionsRoom({ functions: () => functions, mayInvoke, tokens, stats });
  const files = storageRoom({ storage });
  const triggers = triggersRoom({ functions: () => functions, triggered, media, storage, stats, log });
  const local = localRoom({ stats, wxMessages: wx.sent, media, triggers });
  const serveStatic = staticRoom({ staticDir, origins: () => origins });

  let opened = !opts.hold;
  /** While held: the client routes that reach the functions (or report readiness). */
  const held = (pathname: string) =>
    pathname.startsWith('/api/') ||
    pathname.startsWith('/v1/functions/') ||
    pathname === '/_local/media-verdicts' ||
    pathname.startsWith('/_local/trigger/');
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
          'access-control-allow-headers':
            'content-type, x-wx-openid, x-tcb-uuid, authorization, x-device-id, x-request-id, x-sdk-version, x-tcb-region, x-tcb-trace',
          'access-control-max-age': '600',
        });
        return res.end();
      }
      // Each room checks the identity its route carries (the wire's signature, a caller's header or token, a file's
      // signed URL); the local commands' token is checked here, before any of them.
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
      if (req.method === 'POST' && pathname.startsWith('/api/')) return await fns.api(pathname.slice(5), req, res);
      if (req.method === 'POST' && (pathname === '/auth/v1/signin/anonymously' || pathname === '/auth/v1/token'))
        return await fns.gatewayAuth(pathname, req, res);
      if (req.method === 'GET' && pathname === '/auth/v1/user/me') return fns.gatewayUser(req, res);
      if (req.method === 'POST' && pathname.startsWith('/v1/functions/'))
        return await fns.gatewayFunction(pathname.slice('/v1/functions/'.length), req, res);
      if (req.method === 'PUT' && pathname.startsWith('/cos/upload/'))
        return await files.cosUpload(pathname.slice('/cos/upload/'.length), req, res);
      if (req.method === 'GET' && pathname.startsWith('/files/')) return files.storedFile(pathname.slice('/files/'.length), req, res);
      if (pathname.startsWith('/_local/') && (await local(pathname, req, res))) return;
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
      scheduler = startScheduler(timerTriggers(functionsDir), (fn, event) => triggers.trigger(fn, event), { log });
  };
  if (opened) open();

  return {
    url,
    port,
    dataDir,
    credentials,
    seeded,
    trigger: triggers.trigger,
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
    deliverMediaVerdicts: triggers.deliverMediaVerdicts,
    call: fns.call,
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

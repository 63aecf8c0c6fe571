/**
 * Who may talk to the local cloud (docs/localcloud.md, "Security"). A web page open in the same browser and
 * any process on the machine can reach 127.0.0.1, so:
 *  - the database wire protocol (/tcb) answers only requests signed the way @cloudbase/node-sdk signs them
 *    (TC3-HMAC-SHA256, @cloudbase/signature-nodejs) with the secret pair made at each start;
 *  - /_local/* answers only the per-start token (a local command reads it from <data>/credentials.json, 0600);
 *  - every request must name the local cloud's own address in Host (DNS rebinding) and, if it has an Origin,
 *    come from the app's own origin (CORS);
 *  - functions.rules.json is enforced as the platform does before a function runs;
 *  - it listens on loopback only: the x-wx-openid header identity is a development demo.
 */
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Signer } from '@cloudbase/signature-nodejs';

export interface Credentials {
  /** The SDK's secretId / secretKey (TC3 signature of every /tcb request). */
  secretId: string;
  secretKey: string;
  /** Bearer token of the /_local/* routes (the local commands). */
  token: string;
}

export const newCredentials = (): Credentials => ({
  secretId: `LOCAL${randomBytes(12).toString('hex')}`,
  secretKey: randomBytes(32).toString('base64url'),
  token: randomBytes(32).toString('base64url'),
});

/** Where the local commands (npm run admin / purge / media-verdicts) find the running cloud and its secrets. */
export const credentialsFile = (dataDir: string) => join(dataDir, 'credentials.json');

export function writeCredentials(dataDir: string, url: string, c: Credentials): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700); // the folder holds residents' personal data and these secrets: the user's only
  const file = credentialsFile(dataDir);
  rmSync(file, { force: true }); // a fresh file, so the mode below is the one it is created with
  writeFileSync(file, `${JSON.stringify({ url, serviceUrl: `${url}/tcb`, env: 'local', ...c }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}

/** Removes the file on close, unless another local cloud on the same folder has written its own since. */
export function removeCredentials(dataDir: string, c: Credentials): void {
  const file = credentialsFile(dataDir);
  try {
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as Credentials).token === c.token) rmSync(file, { force: true });
  } catch {
    /* unreadable: leave it */
  }
}

const same = (a: string, b: string) => {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
};

/** The SDK's X-Signature-Expires: a signature older (or newer) than this is refused. */
const SIGNATURE_TTL_S = 600;
const AUTH_RE =
  /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/tcb\/tc3_request,(?: SignedParams=[^,]*,)? SignedHeaders=([a-z0-9;_-]+), Signature=([0-9a-f]{64})$/;

/** Checks what can be checked before reading the body: the scheme, our secretId, a fresh timestamp.
 * Returns why the request is refused, or null. */
export function precheckSignature(req: IncomingMessage, c: Credentials, now = Date.now()): string | null {
  const auth = req.headers.authorization;
  const m = typeof auth === 'string' ? AUTH_RE.exec(auth) : null;
  if (!m) return 'missing or malformed TC3-HMAC-SHA256 authorization';
  if (!same(m[1]!, c.secretId)) return 'unknown secretId';
  const ts = Number(req.headers['x-timestamp']);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > SIGNATURE_TTL_S) return 'signature expired or without x-timestamp';
  return null;
}

/** One signer per secret pair, made once (the Signer holds only the pair; tc3sign keeps no state between calls). */
const signers = new WeakMap<Credentials, Signer>();
const signerOf = (c: Credentials) => {
  let s = signers.get(c);
  if (!s) signers.set(c, (s = new Signer({ secretId: c.secretId, secretKey: c.secretKey }, 'tcb')));
  return s;
};

/** Recomputes the SDK's signature over the request as received (method, URL, signed headers, body) and
 * compares it with the one sent. Returns why the request is refused, or null. */
export function verifySignature(req: IncomingMessage, body: Record<string, unknown>, c: Credentials, now = Date.now()): string | null {
  const early = precheckSignature(req, c, now);
  if (early) return early;
  const m = AUTH_RE.exec(req.headers.authorization as string)!;
  const names = m[3]!.split(';');
  if (!names.includes('host') || !names.includes('content-type')) return 'host and content-type must be signed';
  const headers: Record<string, string> = {};
  for (const n of names) {
    const v = req.headers[n];
    if (typeof v !== 'string') return `signed header ${n} is missing`;
    headers[n] = v;
  }
  let expected: string;
  try {
    const signed = signerOf(c).tc3sign(
      (req.method ?? 'POST').toLowerCase(),
      `http://${headers.host}${req.url ?? '/'}`,
      headers,
      body,
      Number(req.headers['x-timestamp']),
      { withSignedParams: true },
    );
    expected = String(signed.signature);
  } catch {
    return 'signature does not match';
  }
  return same(expected, m[4]!) ? null : 'signature does not match';
}

/** A Bearer token equal to the per-start one. */
export function hasToken(req: IncomingMessage, c: Credentials): boolean {
  const auth = req.headers.authorization;
  return typeof auth === 'string' && auth.startsWith('Bearer ') && same(auth.slice(7), c.token);
}

/** The names the local cloud may bind: loopback only (the x-wx-openid header identity is a development demo). */
export const LOOPBACK = ['127.0.0.1', '::1', 'localhost'] as const;

export function assertLoopback(host: string): void {
  if (!(LOOPBACK as readonly string[]).includes(host)) {
    throw new Error(
      `本地云只能监听本机回环地址（127.0.0.1、::1 或 localhost），不能是 ${host}。\n` +
        `The local cloud takes the caller's identity from the x-wx-openid header, a development-only demo identity: ` +
        `it refuses to listen on ${host}, only on a loopback address (127.0.0.1, ::1, localhost).`,
    );
  }
}

/** Host header values that name this local cloud (anything else is a DNS-rebinding attempt). */
export function ownHosts(port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  return new Set([...names.map((n) => `${n}:${port}`), ...(port === 80 ? names : [])]);
}

/** The app's own origins: the H5 build is served by the local cloud itself. */
export function ownOrigins(port: number): Set<string> {
  return new Set([...ownHosts(port)].map((h) => `http://${h}`));
}

/** functions.rules.json (云函数安全规则), as the platform applies it to client calls: the function's own rule,
 * else "*"; `true`, `false` or "auth != null". Anything else fails the start rather than being guessed at. */
export type Rule = boolean | 'auth != null';
export function loadFunctionRules(file: string): (name: string, openid: string | null) => 'AUTH.NO_IDENTITY' | 'AUTH.FORBIDDEN' | null {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { invoke?: unknown }>;
  const rules = new Map<string, Rule>();
  for (const [name, r] of Object.entries(raw)) {
    const v = r?.invoke;
    if (v !== true && v !== false && v !== 'auth != null') {
      throw new Error(`${file}: ${name}.invoke = ${JSON.stringify(v)}; the local cloud understands true, false and "auth != null"`);
    }
    rules.set(name, v);
  }
  return (name, openid) => {
    // No rule at all: the platform's default lets only signed-in clients call.
    const rule = rules.get(name) ?? rules.get('*') ?? 'auth != null';
    if (rule === false) return 'AUTH.FORBIDDEN';
    if (rule === 'auth != null' && !openid) return 'AUTH.NO_IDENTITY';
    return null;
  };
}

/** Functions no client may call (invoke: false): timers and message pushes, run only by the local cloud's
 * own trigger route. */
export function triggerOnly(file: string): Set<string> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { invoke?: unknown }>;
  return new Set(
    Object.entries(raw)
      .filter(([n, r]) => n !== '*' && r?.invoke === false)
      .map(([n]) => n),
  );
}

/** The Content-Security-Policy of the H5 pages. Taro's index.html has one inline script (the rem sizing);
 * its hash is added per page, so no 'unsafe-inline' script is needed. Styles: Taro injects <style> elements. */
export function contentSecurityPolicy(html?: string, own: Iterable<string> = []): string {
  // The local cloud's other names (an H5 build made with LOCAL_CLOUD_URL=http://127.0.0.1:<port>, opened as
  // localhost) are the same server: calls and images may go there too.
  // CSP source lists cannot hold IPv6 literals (Chromium ignores them with a warning); 'self' covers a page on [::1].
  const self = ["'self'", ...[...own].filter((o) => !o.includes('['))].join(' ');
  const hashes: string[] = [];
  if (html) {
    for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
      hashes.push(`'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
    }
  }
  return [
    "default-src 'self'",
    `script-src 'self'${hashes.length ? ` ${hashes.join(' ')}` : ''}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src ${self} data: blob:`,
    "font-src 'self' data:",
    `connect-src ${self} blob:`,
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

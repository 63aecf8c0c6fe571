/**
 * Integration harness: the real local cloud (functions over HTTP, the embedded database behind the
 * SDK's wire protocol) in a temp folder, and the real cloud function bundles using @cloudbase/node-sdk.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud, type LocalCloud } from '../../localcloud';
import { chinaDate, addDays, NOTICE_VERSION } from '../../src/core';

export interface Reply<T = any> {
  status: number;
  body: { code: 0; data: T } | { code: string; message: string };
  data: T;
}

/** The data of a call that must succeed; anything else fails the test with the answer it got. */
export const ok = <T = any>(r: Reply<T>): T => {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.data;
};

/** A refusal with this status and code, and a Chinese message for the user. */
export const refused = (r: Reply, status: number, code: string) => {
  expect({ status: r.status, code: (r.body as { code: string }).code }).toEqual({ status, code });
  expect((r.body as { message: string }).message).toMatch(/[\u4e00-\u9fa5]/);
};

/** `openid` accepts the current main privacy notice (which posting a wish requires). */
export async function acceptNotice(env: { call: (fn: string, event: unknown, openid?: string) => Promise<Reply> }, openid: string) {
  ok(await env.call('consent', { notice: 'main', version: NOTICE_VERSION }, openid));
}

let built = false;

export async function startCloud(opts: { functionTimeoutMs?: number } = {}): Promise<{
  cloud: LocalCloud;
  call: typeof call;
  db: ReturnType<typeof sdkDb>;
  resetRateLimits: () => Promise<void>;
  stop: () => Promise<void>;
}> {
  if (!built) {
    execSync('node scripts/build-functions.mjs', { cwd: join(__dirname, '../..'), stdio: 'ignore' });
    built = true;
  }
  const dir = mkdtempSync(join(tmpdir(), 'wish-fn-'));
  const cloud = await startLocalCloud({ port: 0, dataDir: dir, quiet: true, functionTimeoutMs: opts.functionTimeoutMs });
  async function call<T = any>(fn: string, event: unknown, openid?: string): Promise<Reply<T>> {
    const res = await fetch(`${cloud.url}/api/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
      body: typeof event === 'string' ? event : JSON.stringify(event),
    });
    const body = (await res.json()) as Reply<T>['body'];
    return { status: res.status, body, data: (body as { data: T }).data };
  }
  const db = sdkDb(cloud.url);
  return {
    cloud,
    call,
    db,
    /** Empties the per-user hourly write counters: suites that walk many wishes as one resident start each
     * test with a fresh window (the limits themselves are tested in tests/security). */
    resetRateLimits: async () => {
      await db.collection('ratelimits').where({}).remove();
    },
    stop: async () => {
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test's own SDK client on the same local cloud, for setup (e.g. more members) and for reading what was stored. */
function sdkDb(url: string) {
  process.env.TENCENTCLOUD = 'true';
  return tcb.init({ env: 'local', secretId: 'test', secretKey: 'test', serviceUrl: `${url}/tcb` }).database();
}

export const inDays = (n: number) => addDays(chinaDate(new Date()), n);

export const wishInput = {
  title: '想请人陪我聊聊天',
  content: '老伴走了，一个人在家，希望每周有人来坐坐',
  contactName: '王秀英',
  contactPhone: '13800001111',
  address: '幸福里小区 3 栋 201',
};

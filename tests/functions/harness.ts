/**
 * Integration harness: the real local cloud (functions over HTTP, the embedded database behind the
 * SDK's wire protocol) in a temp folder, and the real cloud function bundles using @cloudbase/node-sdk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud, type LocalCloud } from '../../localcloud';
import { assertBundlesFresh } from '../bundles';
import { DIRECT_ENV } from '../../localcloud/db/indexes';
import { chinaDate, addDays, NOTICE_VERSION, nonZero, recountAll, type Wish } from '../../src/core';
import { callOf } from '../../src/core/functions';

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

export async function startCloud(opts: { functionTimeoutMs?: number; functionEnv?: () => Record<string, string> } = {}): Promise<{
  cloud: LocalCloud;
  call: typeof call;
  /** Runs a timer or message-push function (functions.rules.json `invoke: false`) the way the platform does. */
  trigger: (fn: string, event: object) => Promise<Reply>;
  db: ReturnType<typeof sdkDb>;
  /** The test's own SDK client (storage: getTempFileURL, deleteFile). */
  sdk: ReturnType<typeof tcb.init>;
  resetRateLimits: () => Promise<void>;
  stop: () => Promise<void>;
}> {
  assertBundlesFresh(); // built once per run, before jest (tests/bundles.ts)
  const dir = mkdtempSync(join(tmpdir(), 'wish-fn-'));
  const cloud = await startLocalCloud({
    port: 0,
    dataDir: dir,
    quiet: true,
    functionTimeoutMs: opts.functionTimeoutMs,
    functionEnv: opts.functionEnv,
  });
  /** Runs operation `fn` as the app does (src/core/functions.ts: its deployed function, with its `action` where grouped).
   * A string event is sent as the raw body of the operation's function, as it is. */
  async function call<T = any>(fn: string, event: unknown, openid?: string): Promise<Reply<T>> {
    const target =
      typeof event === 'string'
        ? { name: callOf(fn).name, body: event }
        : ((c) => ({ name: c.name, body: JSON.stringify(c.data) }))(callOf(fn, event as object));
    const res = await fetch(`${cloud.url}/api/${target.name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
      body: target.body,
    });
    const body = (await res.json()) as Reply<T>['body'];
    return { status: res.status, body, data: (body as { data: T }).data };
  }
  const db = sdkDb(cloud);
  const trigger = async (fn: string, event: object): Promise<Reply> => {
    const { status, body } = await cloud.trigger(fn, event);
    return { status, body: body as Reply['body'], data: (body as { data: unknown }).data };
  };
  return {
    cloud,
    call,
    trigger,
    db,
    sdk: sdkApp(cloud),
    /** Empties the per-user hourly write counters: suites that walk many wishes as one resident start each
     * test with a fresh window (the limits themselves are tested in tests/security). */
    resetRateLimits: async () => {
      // Counted on the user's document (server/trust.ts loadWriter), or in `ratelimits` for someone without one.
      await Promise.all([
        db.collection('ratelimits').where({}).remove(),
        db
          .collection('users')
          .where({ rate: db.command.exists(true) })
          .update({ rate: db.command.remove() }),
      ]);
    },
    stop: async () => {
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test's own SDK client on the same local cloud, for setup (e.g. more members), for reading what was stored and
 * for storage (getTempFileURL, deleteFile). Its env is the local cloud's direct one: like a person at the console,
 * its queries are not held to the declared indexes (the functions' are, in this project:
 * LOCALCLOUD_STRICT_INDEXES=refuse in jest.config.js). It signs with this start's secret pair: any other is refused. */
function sdkApp(cloud: LocalCloud) {
  process.env.TENCENTCLOUD = 'true';
  const { secretId, secretKey } = cloud.credentials;
  return tcb.init({ env: DIRECT_ENV, secretId, secretKey, serviceUrl: `${cloud.url}/tcb` });
}
function sdkDb(cloud: LocalCloud) {
  return sdkApp(cloud).database();
}

export const inDays = (n: number) => addDays(chinaDate(new Date()), n);

export const wishInput = {
  title: '想请人陪我聊聊天',
  content: '老伴走了，一个人在家，希望每周有人来坐坐',
  contactName: '王秀英',
  contactPhone: '13800001111',
  address: '幸福里小区 3 栋 201',
};

/** The smallest valid PNG: the local cloud stores only image bytes (JPEG, PNG, WebP, GIF). */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ffa2f3b1e30000000049454e44ae426082',
  'hex',
);
/** A PNG the local "WeChat" judges by its bytes (localcloud/contentcheck.ts photoVerdict): `wish-photo:risky` etc. */
export const markedPng = (marker: 'risky' | 'review' | string) => Buffer.concat([PNG, Buffer.from(`wish-photo:${marker}`)]);

/**
 * Uploads a photo the way the apps do: the photoUpload function (the caller's identity) hands out a path and the
 * signed upload metadata; the bytes go to the local cloud's COS-style PUT. Resolves with the file id.
 */
export async function uploadPhoto(
  env: { call: (fn: string, event: unknown, openid?: string) => Promise<Reply> },
  openid: string,
  purpose: 'collect' | 'progress' | 'fulfil',
  opts: { wishId?: string; bytes?: Buffer; ext?: string } = {},
): Promise<string> {
  const ticket = ok(
    await env.call('photoUpload', { purpose, ext: opts.ext ?? 'png', ...(opts.wishId ? { wishId: opts.wishId } : {}) }, openid),
  );
  const res = await fetch(ticket.upload.url, {
    method: 'PUT',
    headers: { authorization: ticket.upload.authorization },
    body: new Uint8Array(opts.bytes ?? PNG),
  });
  if (res.status !== 200) throw new Error(`upload PUT answered ${res.status}: ${await res.text()}`);
  return ticket.upload.fileId as string;
}

type Db = { collection: (name: string) => { skip: (n: number) => { limit: (n: number) => { get: () => Promise<{ data: unknown[] }> } } } };

/** Every document of a collection, a thousand at a time (tests only: the functions never read a whole collection). */
export async function allDocs<T>(db: Db, collection: string): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    const r = await db.collection(collection).skip(out.length).limit(1000).get();
    out.push(...(r.data as T[]));
    if (r.data.length < 1000) return out;
  }
}

/** The `figures` documents that differ from a recount of the stored wishes (src/core/figures.ts): none when every
 * way a wish was entered or moved kept its organisation's figures. */
export async function figureMismatches(db: Db): Promise<string[]> {
  const orgs = await allDocs<{ _id: string; ancestors?: string[] }>(db, 'orgs');
  const paths = new Map(orgs.map((o) => [o._id, [...(o.ancestors ?? []), o._id]]));
  const expected = recountAll(await allDocs<Wish>(db, 'wishes'), (id) => paths.get(id) ?? [id]);
  const stored = new Map((await allDocs<{ _id: string; f: Record<string, number> }>(db, 'figures')).map((d) => [d._id, nonZero(d.f)]));
  const ids = new Set([...expected.keys(), ...stored.keys()]);
  const norm = (f: Record<string, number>) => JSON.stringify(Object.entries(f).sort(([a], [b]) => (a < b ? -1 : 1)));
  return [...ids].filter((id) => norm(stored.get(id) ?? {}) !== norm(expected.get(id)?.f ?? {}));
}

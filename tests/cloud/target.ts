/**
 * Where the contract suite runs. By default: the local cloud (functions over HTTP, its database behind the wire
 * protocol), so the suite itself is checked on every test run. With CLOUD_CONTRACT=1 (`npm run test:cloud`, which
 * needs TCB_ENV_ID, TCB_SECRET_ID and TCB_SECRET_KEY): a real CloudBase environment. There the same function bundles
 * run in this process as the platform would run them (main(event, context), the caller in context.environ), their
 * SDK and the suite's own client talking to the environment with the key pair; everything the suite writes carries
 * this run's prefix and is removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud } from '../../localcloud';
import { assertBundlesFresh } from '../bundles';
import { DIRECT_ENV } from '../../localcloud/db/indexes';
import { httpStatusOf, NOTICE_VERSION } from '../../src/core';
import { callOf } from '../../src/core/functions';

export const REAL = process.env.CLOUD_CONTRACT === '1';
const ROOT = join(__dirname, '../..');

export interface Reply {
  status: number;
  code: string | number;
  data: any;
  message?: string;
}
export interface Target {
  name: string;
  /** This run's prefix: ids of the people and organisations the suite makes. */
  id: (s: string) => string;
  call(fn: string, event: object, openid: string | null): Promise<Reply>;
  db: ReturnType<ReturnType<typeof tcb.init>['database']>;
  stop(): Promise<void>;
}

function context(name: string, openid: string | null) {
  return {
    request_id: randomBytes(8).toString('hex'),
    function_name: name,
    function_version: '$LATEST',
    environ: openid
      ? `WX_CONTEXT_KEYS=WX_OPENID,WX_APPID,WX_UNIONID;WX_OPENID=${openid};WX_APPID=contract;WX_UNIONID=`
      : 'WX_CONTEXT_KEYS=WX_APPID;WX_APPID=contract',
  };
}

export async function openTarget(): Promise<Target> {
  assertBundlesFresh(); // built once per run, before jest (tests/bundles.ts)
  process.env.TENCENTCLOUD = 'true';
  const run = `c${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const id = (s: string) => `${run}-${s}`;
  if (REAL) {
    const { TCB_ENV_ID, TCB_SECRET_ID, TCB_SECRET_KEY } = process.env;
    if (!TCB_ENV_ID || !TCB_SECRET_ID || !TCB_SECRET_KEY)
      throw new Error('CLOUD_CONTRACT=1 needs TCB_ENV_ID, TCB_SECRET_ID, TCB_SECRET_KEY');
    delete process.env.TCB_SERVICE_URL;
    Object.assign(process.env, { TCB_ENV: TCB_ENV_ID });
    const db = tcb.init({ env: TCB_ENV_ID, secretId: TCB_SECRET_ID, secretKey: TCB_SECRET_KEY }).database();
    const req = createRequire(__filename);
    const made: Array<[string, string]> = [];
    return {
      name: `CloudBase ${TCB_ENV_ID}`,
      id,
      db,
      async call(fn, event, openid) {
        const target = callOf(fn, event);
        const main = (req(join(ROOT, 'cloudfunctions', target.name, 'index.js')) as { main: (e: unknown, c: unknown) => Promise<any> })
          .main;
        const r = await main(target.data, context(target.name, openid));
        if (r?.code === 0 && fn === 'collect') made.push(['wishes', r.data._id]);
        return { status: httpStatusOf(r?.code ?? 'SYSTEM.ERROR'), code: r?.code, data: r?.data, message: r?.message };
      },
      async stop() {
        const _ = db.command;
        await db
          .collection('wishes')
          .where({ orgId: _.in([id('org'), id('org-2')]) })
          .remove();
        await db
          .collection('users')
          .where({ _id: _.in(PEOPLE.map((p) => id(p))) })
          .remove();
        await db
          .collection('orgs')
          .where({ _id: _.in([id('org'), id('org-2'), id('street')]) })
          .remove();
        await db
          .collection('audit')
          .where({ orgPath: _.in([id('org'), id('org-2'), id('street')]) })
          .remove();
        for (const p of PEOPLE)
          await db
            .collection('outbox')
            .where({ to: id(p) })
            .remove();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'wish-contract-'));
  const cloud = await startLocalCloud({ port: 0, dataDir: dir, quiet: true });
  return {
    name: 'local cloud',
    id,
    db: tcb.init({ env: DIRECT_ENV, ...cloud.credentials, serviceUrl: `${cloud.url}/tcb` }).database(),
    async call(fn, event, openid) {
      const target = callOf(fn, event);
      const res = await fetch(`${cloud.url}/api/${target.name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
        body: JSON.stringify(target.data),
      });
      const body = (await res.json()) as { code: string | number; data?: unknown; message?: string };
      return { status: res.status, code: body.code, data: body.data, message: body.message };
    },
    async stop() {
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const PEOPLE = ['resident', 'member', 'member-b', 'organiser', 'outsider'] as const;

/** Two communities under a street, and this run's people in them (consented to the current notice). */
export async function seedPeople(t: Target) {
  const consent = { notice: NOTICE_VERSION, noticeAt: new Date().toISOString(), sensitive: null, sensitiveAt: null };
  const street = t.id('street');
  await t.db.collection('orgs').add([
    { _id: street, name: '契约测试街道', parentId: null, level: 'street', ancestors: [] },
    { _id: t.id('org'), name: '契约测试社区', parentId: street, level: 'community', ancestors: [street] },
    { _id: t.id('org-2'), name: '契约测试二社区', parentId: street, level: 'community', ancestors: [street] },
  ]);
  await t.db.collection('users').add([
    { _id: t.id('resident'), role: 'resident', orgId: t.id('org'), name: '王测试', consent },
    { _id: t.id('member'), role: 'member', orgId: t.id('org'), name: '李测试', consent },
    { _id: t.id('member-b'), role: 'member', orgId: t.id('org'), name: '赵测试', consent },
    { _id: t.id('organiser'), role: 'organiser', orgId: t.id('org'), name: '陈测试', consent },
    { _id: t.id('outsider'), role: 'organiser', orgId: t.id('org-2'), name: '刘测试', consent },
  ]);
}

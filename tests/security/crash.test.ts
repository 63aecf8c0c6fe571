/**
 * A process killed in the middle of a transition leaves every wish and its timeline consistent.
 *
 * The design makes a partial state impossible: a wish and its timeline are one document, changed by one
 * conditional update on {_id, version}. This proves it: the local cloud (functions and database in one
 * process) runs as a child process; several wishes are driven through all seven stages concurrently while
 * the process is killed with SIGKILL at random moments and restarted. Interrupted calls are retried with the
 * same requestId. Afterwards every stored wish must have status = its last timeline entry's status,
 * version = timeline length, and each action exactly once; and every applied transition exactly its effects
 * (issue 8): its audit rows, its notices and its counter deltas, none missing and none twice, nothing left pending.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHARED_DATABASE, startLocalCloud } from '../../localcloud';

// The killed child (localcloud/main.ts, its own process) keeps its data in the folder's own PGlite: this file's clouds,
// which seed that folder and read it afterwards, must open the same, not the worker's shared database.
delete (globalThis as Record<symbol, unknown>)[SHARED_DATABASE];
import { assertBundlesFresh } from '../bundles';
import { FLOW_STATUSES, NOTICE_VERSION, addDays, chinaDate } from '../../src/core';
import { callOf } from '../../src/core/functions';

const ROOT = join(__dirname, '../..');
const WISHES = 12;
const KILLS = 12;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(`SIGKILL at random moments during ${WISHES} concurrent lifecycles: every wish and timeline stays consistent`, async () => {
  assertBundlesFresh(); // built once per run, before jest (tests/bundles.ts)
  const dataDir = mkdtempSync(join(tmpdir(), 'wish-crash-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let up = false;

  async function boot() {
    // node itself with tsx's loader (not the tsx wrapper, whose own child would survive the kill).
    child = spawn(
      process.execPath,
      [
        '--require',
        join(ROOT, 'node_modules/tsx/dist/preflight.cjs'),
        '--import',
        pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href,
        'localcloud/main.ts',
      ],
      {
        cwd: ROOT,
        // Its own wishes only: the demo seeding would hold the first boot off for its duration (SYSTEM.STARTING).
        env: { ...process.env, PORT: String(port), LOCALCLOUD_DATA: dataDir, TCB_SERVICE_URL: '', LOCALCLOUD_DEMO_WISHES: '0' },
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${url}/api/_health`)).ok) {
          up = true;
          return;
        }
      } catch {
        /* not yet */
      }
      await sleep(50);
    }
    throw new Error('local cloud did not start');
  }
  async function kill() {
    up = false;
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  }

  let interrupted = 0;
  let calls = 0;
  let inflight = 0;
  async function call(fn: string, event: object, openid: string): Promise<{ status: number; body: any }> {
    for (;;) {
      while (!up) await sleep(20);
      calls++;
      inflight++;
      try {
        const target = callOf(fn, event);
        const res = await fetch(`${url}/api/${target.name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
          body: JSON.stringify(target.data),
        });
        const body = await res.json();
        if (res.status >= 500) throw new Error(`server error ${res.status}`);
        return { status: res.status, body };
      } catch {
        interrupted++; // the process died under this call: retry the same event (same requestId)
        await sleep(30);
      } finally {
        inflight--;
      }
    }
  }
  const must = async (fn: string, event: object, openid: string) => {
    const r = await call(fn, event, openid);
    if (r.status !== 200) throw new Error(`${fn} ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.data;
  };

  const day = addDays(chinaDate(new Date()), 5);
  async function lifecycle(n: number) {
    const resident = `crash-resident-${n}`;
    const rid = (step: string) => `crash-${n}-${step}`;
    await must('consent', { notice: 'main', version: NOTICE_VERSION }, resident);
    const w = await must(
      'collect',
      {
        title: `心愿 ${n}`,
        content: '需要帮忙',
        contactName: '王秀英',
        contactPhone: '13800001111',
        address: '幸福里 1 栋',
        orgId: 'demo-community',
        requestId: rid('collect'),
      },
      resident,
    );
    const wishId = w._id;
    await must(
      'register',
      { wishId, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙', requestId: rid('register') },
      'demo-organiser',
    );
    await must('publish', { wishId, requestId: rid('publish') }, 'demo-organiser');
    await must('claim', { wishId, promisedBy: day, requestId: rid('claim') }, `crash-member-${n}`);
    await must('fulfil', { wishId, note: '已办好', requestId: rid('fulfil') }, `crash-member-${n}`);
    await must('feedback', { wishId, satisfaction: 'satisfied', requestId: rid('feedback') }, resident);
    await must('closeOut', { wishId, requestId: rid('closeOut') }, 'demo-organiser');
    return wishId as string;
  }
  // 代录: an organiser enters a wish taken on the hotline. Its audit entry travels in the wish's `pending` (issue 21):
  // a kill after the insert must not lose it — the retry (same requestId) delivers it.
  async function hotline(n: number) {
    const w = await must(
      'collect',
      {
        title: `热线心愿 ${n}`,
        content: '电话里说需要帮忙',
        contactName: '李桂兰',
        contactPhone: '13800002222',
        address: '幸福里 2 栋',
        orgId: 'demo-community',
        channel: 'hotline',
        requestId: `crash-${n}-hotline`,
      },
      'demo-organiser',
    );
    return w._id as string;
  }

  // One party member per lifecycle (a member holds at most 3 open claims): seeded before the child starts.
  {
    const setup = await startLocalCloud({ port: 0, dataDir, quiet: true });
    const tcb = (await import('@cloudbase/node-sdk')).default;
    const db = tcb
      .init({ env: 'local', secretId: setup.credentials.secretId, secretKey: setup.credentials.secretKey, serviceUrl: `${setup.url}/tcb` })
      .database();
    await db
      .collection('users')
      .add(
        Array.from({ length: WISHES }, (_, n) => ({ _id: `crash-member-${n}`, role: 'member', orgId: 'demo-community', name: `党员${n}` })),
      );
    await setup.close();
  }
  await boot();
  let kills = 0;
  let killsInFlight = 0;
  let done = false;
  const killer = (async () => {
    while (!done && kills < KILLS) {
      // Wait until calls are running, then kill at a random moment inside them (0..25 ms in).
      while (!done && inflight === 0) await sleep(1);
      await sleep(Math.floor(Math.random() * 25));
      if (done) break;
      if (inflight > 0) killsInFlight++;
      await kill();
      kills++;
      await sleep(50);
      await boot();
    }
  })();
  let ids: string[];
  let hotlineIds: string[];
  try {
    [ids, hotlineIds] = await Promise.all([
      Promise.all(Array.from({ length: WISHES }, (_, n) => lifecycle(n))),
      Promise.all(Array.from({ length: WISHES }, (_, n) => hotline(n))),
    ]);
  } finally {
    done = true;
    await killer;
    await kill(); // never leave the child running, whatever happened
  }
  await sleep(100);

  // Read what is stored with a fresh local cloud on the same data folder.
  const cloud = await startLocalCloud({ port: 0, dataDir, quiet: true, seed: false });
  try {
    const tcb = (await import('@cloudbase/node-sdk')).default;
    const db = tcb
      .init({ env: 'local', secretId: cloud.credentials.secretId, secretKey: cloud.credentials.secretKey, serviceUrl: `${cloud.url}/tcb` })
      .database();
    const stored = (await db.collection('wishes').limit(1000).get()).data as any[];
    const wishes = stored.filter((w) => w.channel !== 'hotline') as Array<{
      _id: string;
      status: string;
      version: number;
      timeline: Array<{ status: string; action: string }>;
    }>;
    let consistent = 0;
    for (const w of wishes) {
      expect({ id: w._id, status: w.status, version: w.version }).toEqual({
        id: w._id,
        status: w.timeline[w.timeline.length - 1]!.status,
        version: w.timeline.length,
      });
      consistent++;
    }
    expect(wishes.map((w) => w._id).sort()).toEqual([...ids].sort());
    for (const w of wishes) {
      expect(w.status).toBe('closed');
      expect(w.timeline.map((e) => e.action)).toEqual(['collect', 'register', 'publish', 'claim', 'fulfil', 'feedback', 'closeOut']);
    }
    // The effects: what each applied transition implies (src/core/effects.ts), each exactly once.
    const all = async (collection: string) => (await db.collection(collection).limit(1000).get()).data as any[];
    const [audit, outbox, counters] = [await all('audit'), await all('outbox'), await all('counters')];
    const organisers = ((await db.collection('users').where({ role: 'organiser', orgId: 'demo-community' }).get()).data as any[]).map(
      (u) => u._id,
    );
    let effects = 0;
    // The hotline wishes: stored once each, nothing left pending, and exactly one collect audit entry each.
    const entered = stored.filter((w) => w.channel === 'hotline');
    expect(entered.map((w) => w._id).sort()).toEqual([...hotlineIds!].sort());
    for (const w of entered) {
      expect({ id: w._id, pending: w.pending ?? [], timeline: w.timeline.map((e: any) => e.action) }).toEqual({
        id: w._id,
        pending: [],
        timeline: ['collect'],
      });
      const rows = audit.filter((a) => a.target.id === w._id).map((a) => `${a.action} by ${a.actorId}`);
      expect(rows).toEqual(['collect by demo-organiser']);
      effects += rows.length;
    }
    for (const w of wishes as any[]) {
      expect({ id: w._id, pending: w.pending ?? [] }).toEqual({ id: w._id, pending: [] });
      const rows = audit
        .filter((a) => a.target.id === w._id)
        .map((a) => `${a.action} by ${a.actorId}`)
        .sort();
      expect(rows).toEqual(
        [
          'register by demo-organiser',
          'reveal by demo-organiser', // register
          'publish by demo-organiser',
          'reveal by demo-organiser', // publish
          'reveal by ' + w.claim.memberId, // claim: the claimer sees the contact
          'closeOut by demo-organiser',
          'reveal by demo-organiser', // closeOut
        ].sort(),
      );
      const told = outbox
        .filter((n) => n.wishId === w._id)
        .map((n) => `${n.kind} to ${n.to}`)
        .sort();
      const resident = w.residentId;
      expect(told).toEqual(
        [
          `claimed to ${resident}`,
          `feedbackNeeded to ${resident}`,
          ...organisers.map((o: string) => `fulfilled to ${o}`),
          ...(w.enteredBy.id === resident ? organisers.map((o: string) => `newWish to ${o}`) : []), // collect's alert
        ].sort(),
      );
      const FLOW: readonly string[] = FLOW_STATUSES;
      // The status flows and the satisfaction answer (the full set of figures: tests/core/figures.test.ts).
      const figures = counters
        .filter(
          (c) =>
            c._id.startsWith(`${w._id}-`) &&
            !c.member &&
            c.period !== 'now' &&
            (FLOW.includes(c.figure) || c.figure.startsWith('satisfaction:')),
        )
        .map((c) => `${c.figure} ${c.delta}`)
        .sort();
      expect(figures).toEqual(
        [
          'collected 1',
          'registered 1',
          'published 1',
          'claimed 1',
          'fulfilled 1',
          'feedback 1',
          'satisfaction:satisfied 1',
          'closed 1',
        ].sort(),
      );
      // The claimer's yearly closure (quotas), once.
      expect(counters.filter((c) => c._id.startsWith(`${w._id}-`) && c.member).map((c) => `${c.figure} ${c.member}`)).toEqual([
        `closed ${w.claim.memberId}`,
      ]);
      effects += rows.length + told.length + figures.length;
    }
    console.log(
      `[security] crash\n  SIGKILL during lifecycles: wishes ${WISHES}, kills ${kills} (${killsInFlight} with calls in flight), calls ${calls}, calls interrupted and retried ${interrupted}, wishes consistent ${consistent}/${wishes.length}, duplicated steps 0; effects (audit rows, notices, counter deltas) each exactly once: ${effects}, pending 0`,
    );
    expect(kills).toBeGreaterThan(0);
  } finally {
    await cloud.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);

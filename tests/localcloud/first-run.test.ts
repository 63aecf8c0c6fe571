/**
 * A first `npm start` works as the README says (issue 19, item 1). The local cloud runs as `npm start` runs it
 * (localcloud/main.ts, a child process) on an empty data folder. While it seeds the demo wishes, clients fire reads
 * and claims at it (a claim as demo-member counts against the hourly limit the seeding's own claims need): each is
 * refused cleanly with 503 SYSTEM.STARTING, the seeding finishes, and the process serves on. Then a newcomer does the
 * README's first steps: 居民 demo-resident consents and posts, 党员 demo-member-2 claims a wish from the board, 社区
 * demo-organiser opens the workbench — none meets RATE.LIMITED, since the seeding left every limit as a fresh user
 * finds it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NOTICE_VERSION, addDays, chinaDate } from '../../src/core';
import { callOf } from '../../src/core/functions';
import { assertBundlesFresh } from '../bundles';

const ROOT = join(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

let child: ChildProcess | null = null;
let dataDir = '';
afterAll(async () => {
  const c = child;
  if (c && c.exitCode === null && c.signalCode === null) {
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a first start refuses callers cleanly while it seeds, then serves a newcomer within every limit', async () => {
  assertBundlesFresh(); // built once per run, before jest (tests/bundles.ts)
  dataDir = mkdtempSync(join(tmpdir(), 'wish-first-run-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  // node itself with tsx's loader (not the tsx wrapper, whose own child would outlive a kill).
  const proc = spawn(
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
      env: { ...process.env, PORT: String(port), LOCALCLOUD_DATA: dataDir, LOCALCLOUD_TIMERS: '0', TCB_SERVICE_URL: '', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child = proc;
  proc.stdout?.on('data', (d) => (log += d));
  proc.stderr?.on('data', (d) => (log += d));
  const ready = () => log.includes('微心愿 local cloud:');
  const exited = () => proc.exitCode !== null || proc.signalCode !== null;

  const call = async (fn: string, event: object, openid: string) => {
    const target = callOf(fn, event); // the deployed function that serves the operation
    const res = await fetch(`${url}/api/${target.name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
      body: JSON.stringify(target.data),
    });
    return { status: res.status, body: (await res.json()) as { code: number | string; message?: string; data?: any } };
  };

  // Wait for the port to open (the database is opened and the people seeded before it listens).
  for (const deadline = Date.now() + 60_000; ; await sleep(25)) {
    if (exited() || Date.now() > deadline) throw new Error(`the local cloud did not open its port:\n${log}`);
    try {
      await fetch(`${url}/api/_health`);
      break;
    } catch {
      /* not listening yet */
    }
  }

  // While it seeds: waves of reads and claims (the claims as demo-member, whose claim limit the seeding needs),
  // until the ready line is printed or the process dies.
  const answers: Array<{ what: string; status: number; code: unknown; message?: unknown; ready: boolean }> = [];
  const claim = { wishId: 'f'.repeat(32), promisedBy: addDays(chinaDate(new Date()), 3) };
  const fire = async (what: string, p: Promise<{ status: number; body: { code: unknown; message?: unknown } }>) => {
    try {
      const { status, body } = await p;
      answers.push({ what, status, code: body.code, message: body.message, ready: ready() });
    } catch (e) {
      answers.push({ what, status: 0, code: `network: ${(e as Error).message}`, ready: ready() });
    }
  };
  const started = Date.now();
  while (!ready() && !exited() && Date.now() - started < 120_000) {
    await Promise.all([
      ...Array.from({ length: 5 }, () => fire('claim', call('claim', claim, 'demo-member'))),
      fire('board', call('board', {}, 'demo-member')),
      fire('workbench', call('workbench', {}, 'demo-organiser')),
      fire(
        'health',
        fetch(`${url}/api/_health`).then(async (r) => ({ status: r.status, body: (await r.json()) as { code: unknown } })),
      ),
    ]);
    await sleep(100);
  }
  // Give a process that was going to die of the seeding's failure the moment to do so.
  await sleep(300);
  expect({ exited: exited(), ready: ready() }).toEqual({ exited: false, ready: true });
  expect(log).toMatch(/first start: 12 demo wishes in every state/);
  expect(log).not.toMatch(/RATE\.LIMITED|could not all be made/);

  // Every call made while it seeded was refused cleanly, and nothing it answered was a failure of its own.
  const held = answers.filter((a) => a.status === 503);
  expect(held.filter((a) => a.what === 'claim').length).toBeGreaterThanOrEqual(50);
  for (const a of held) expect(a).toMatchObject({ code: 'SYSTEM.STARTING', message: '正在准备演示数据，请稍候' });
  const others = answers.filter((a) => a.status !== 503);
  for (const a of others) {
    expect(a.ready || a.status === 200 || a.code === 'WISH.NOT_FOUND').toBe(true);
    expect(a.status === 0 || a.status >= 500).toBe(false);
  }

  // The newcomer's first steps.
  const consent = await call('consent', { notice: 'main', version: NOTICE_VERSION }, 'demo-resident');
  expect([consent.status, consent.body.code]).toEqual([200, 0]);
  const post = await call(
    'collect',
    {
      title: '想请人帮忙修一下门锁',
      content: '门锁坏了，钥匙插不进去',
      contactName: '王秀英',
      contactPhone: '13800001111',
      address: '幸福里小区 3 栋 201',
    },
    'demo-resident',
  );
  expect([post.status, post.body.code, post.body.message]).toEqual([200, 0, undefined]);
  expect(post.body.data).toMatchObject({ status: 'collected', title: '想请人帮忙修一下门锁' });

  const board = await call('board', {}, 'demo-member-2');
  expect(board.body.code).toBe(0);
  const open = (board.body.data.items as Array<{ _id: string; status: string }>).find((w) => w.status === 'published');
  expect(open).toBeDefined();
  const claimed = await call('claim', { wishId: open!._id, promisedBy: addDays(chinaDate(new Date()), 7) }, 'demo-member-2');
  expect([claimed.status, claimed.body.code, claimed.body.message]).toEqual([200, 0, undefined]);
  expect(claimed.body.data).toMatchObject({ status: 'claimed' });

  const workbench = await call('workbench', {}, 'demo-organiser');
  expect([workbench.status, workbench.body.code, workbench.body.message]).toEqual([200, 0, undefined]);
  expect(workbench.body.data.org).toMatchObject({ id: 'demo-community', name: '幸福里社区' });
}, 240_000);

/**
 * How the local cloud runs a function: from its built bundle, in its own worker (module scope), with the
 * caller in the context; a call past the function timeout answers an error and issues no write afterwards
 * (the worker is terminated, as the platform stops the instance); logs and errors reach the local cloud.
 * The functions here are test-only bundles (tests/localcloud/fixtures) built into a temp folder by the
 * same build script as the real ones.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud, type LocalCloud } from '../../localcloud';
import { FunctionHost } from '../../localcloud/functions';

const ROOT = join(__dirname, '../..');
const TIMEOUT_MS = 600;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
jest.setTimeout(20_000); // a loaded machine: instances start in a worker, and the tests wait past timeouts

let fnDir: string;
let dataDir: string;
let cloud: LocalCloud;
let db: ReturnType<ReturnType<typeof tcb.init>['database']>;

beforeAll(async () => {
  fnDir = mkdtempSync(join(tmpdir(), 'wish-fx-'));
  dataDir = mkdtempSync(join(tmpdir(), 'wish-fx-data-'));
  execSync(`node scripts/build-functions.mjs --from tests/localcloud/fixtures --to ${fnDir}`, { cwd: ROOT, stdio: 'ignore' });
  // The functions' one dependency, as the platform installs it next to them.
  mkdirSync(join(fnDir, 'node_modules', '@cloudbase'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules', '@cloudbase', 'node-sdk'), join(fnDir, 'node_modules', '@cloudbase', 'node-sdk'), 'dir');
  // A hand-written index.js: what tsx would hand over if it resolved index.js to the source. No build stamp.
  mkdirSync(join(fnDir, 'handmade'));
  writeFileSync(join(fnDir, 'handmade', 'index.js'), 'exports.main = async () => ({ code: 0, data: "not a bundle" });\n');
  cloud = await startLocalCloud({ port: 0, dataDir, quiet: true, functionsDir: fnDir, functionTimeoutMs: TIMEOUT_MS });
  process.env.TENCENTCLOUD = 'true';
  db = tcb.init({ env: 'local', ...cloud.credentials, serviceUrl: `${cloud.url}/tcb` }).database();
  await db.createCollection('slowwrites');
}, 60_000);

afterAll(async () => {
  await cloud?.close();
  rmSync(fnDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

// functions.rules.json lets only signed-in callers invoke a function: every call here has a caller unless it says null.
async function call(fn: string, event: object, openid: string | null = 'fx-caller'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${cloud.url}/api/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
    body: JSON.stringify(event),
  });
  return { status: res.status, body: await res.json() };
}
const written = async (tag: string) => (await db.collection('slowwrites').where({ tag }).count()).total;

describe('timeouts', () => {
  test("without an override, a function's timeout is its config.json `timeout` (seconds)", async () => {
    const host = new FunctionHost(fnDir); // report/config.json: { "timeout": 1 }; slowWrite has none: 3 s
    try {
      const report = host.load('report')!;
      expect(report.timeoutMs).toBe(1000);
      expect(host.load('slowWrite')!.timeoutMs).toBe(3000);
      expect(await host.invoke(report, 'report', { delayMs: 700 }, null)).toMatchObject({ data: { timeLimitMs: 1000 } });
      await expect(host.invoke(report, 'report', { delayMs: 1300 }, null)).rejects.toThrow(/timed out after 1000 ms/);
    } finally {
      await host.close();
    }
  });

  test('a call in time writes; a call past the timeout answers 500 and its write never lands', async () => {
    expect(await call('slowWrite', { tag: 'in-time', delayMs: 0 })).toMatchObject({ status: 200, body: { code: 0 } });
    expect(await written('in-time')).toBe(1);

    const late = await call('slowWrite', { tag: 'late', delayMs: TIMEOUT_MS + 400 });
    expect(late).toMatchObject({ status: 500, body: { code: 'SYSTEM.ERROR' } });
    await sleep(TIMEOUT_MS + 1200); // well past the moment the function would have written
    expect(await written('late')).toBe(0);
  });

  test('a function busy on the CPU is stopped too, and every call in flight in that instance answers an error', async () => {
    const [a, b] = await Promise.all([
      call('slowWrite', { tag: 'spin', delayMs: TIMEOUT_MS + 400, spin: true }),
      call('slowWrite', { tag: 'beside', delayMs: TIMEOUT_MS + 400 }),
    ]);
    expect([a.status, b.status]).toEqual([500, 500]);
    await sleep(TIMEOUT_MS + 1200);
    expect(await written('spin')).toBe(0);
    expect(await written('beside')).toBe(0);
    // A fresh instance answers the next call.
    expect(await call('slowWrite', { tag: 'after', delayMs: 0 })).toMatchObject({ status: 200 });
    expect(await written('after')).toBe(1);
  });
});

describe('calls beyond what an instance runs at once wait their turn', () => {
  test('with room for 2, a third call starts when one ends; its timeout counts from its start', async () => {
    const host = new FunctionHost(fnDir, { concurrency: 2 }); // report: timeout 1 s
    try {
      const report = host.load('report')!;
      await host.invoke(report, 'report', { delayMs: 0 }, null); // the instance is loaded
      const t = Date.now();
      const done: number[] = [];
      // Three calls of 700 ms each: run all at once they would end together; with room for two the third ends
      // ~700 ms after them, and in 1 s of its own (1.4 s after it was made) it has not timed out.
      await Promise.all([0, 1, 2].map(() => host.invoke(report, 'report', { delayMs: 700 }, null).then(() => done.push(Date.now() - t))));
      done.sort((a, b) => a - b);
      expect(done[1]! - done[0]!).toBeLessThan(300);
      expect(done[2]! - done[1]!).toBeGreaterThan(500);
    } finally {
      await host.close();
    }
  });

  test('a call that would wait longer than the timeout is refused without running', async () => {
    const host = new FunctionHost(fnDir, { concurrency: 1, timeoutMs: 2000 });
    try {
      const report = host.load('report')!;
      await host.invoke(report, 'report', { delayMs: 0 }, null); // call 1: the instance is loaded
      const first = host.invoke(report, 'report', { delayMs: 1200 }, null);
      const second = host.invoke(report, 'report', { delayMs: 1000 }, null); // waits ~1.2 s, then runs 1 s
      const third = host.invoke(report, 'report', { delayMs: 0 }, null).catch((e: Error) => e); // would wait ~2.2 s
      await expect(first).resolves.toBeDefined();
      await expect(second).resolves.toBeDefined();
      expect(String(await third)).toMatch(/busy: the call waited 2000 ms for its turn and did not run/);
      // The instance counted calls 1, 2, 3 and now this one: the refused call never reached it.
      expect(await host.invoke(report, 'report', { delayMs: 0 }, null)).toMatchObject({ data: { calls: 4 } });
    } finally {
      await host.close();
    }
  });
});

describe('where a function runs', () => {
  test('from its bundle (index.js, with the build stamp), with no TypeScript module in its scope', async () => {
    const r = await call('report', { tag: 'where' }, 'caller-1');
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({
      file: join(fnDir, 'report', 'index.js'),
      bundle: { name: 'report', builtBy: 'scripts/build-functions.mjs' },
      typescriptLoaded: [],
      timeLimitMs: TIMEOUT_MS, // LocalCloudOptions.functionTimeoutMs overrides config.json's timeout
    });
  });

  test('a module without the build stamp is refused, with the reason logged', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await call('handmade', {})).toMatchObject({ status: 500, body: { code: 'SYSTEM.ERROR' } });
      expect(errors.mock.calls.flat().map(String).join('\n')).toMatch(/handmade.*build stamp/s);
    } finally {
      errors.mockRestore();
    }
  });

  test('concurrent calls each see their own caller in the context', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `caller-${i}`);
    const answers = await Promise.all(ids.map((id, i) => call('report', { delayMs: 20 * (8 - i) }, id)));
    expect(answers.map((a) => a.body.data.openid)).toEqual(ids);
    // No caller: refused by the function rule before the function runs (no call counted for it).
    const before = cloud.stats().functions.report ?? 0;
    expect((await call('report', {}, null)).status).toBe(401);
    expect(cloud.stats().functions.report ?? 0).toBe(before);
  });

  test('one instance serves many calls (module state survives between calls), and the calls are counted', async () => {
    const before = cloud.stats().functions.report ?? 0;
    const first = (await call('report', {})).body.data.calls;
    const second = (await call('report', {})).body.data.calls;
    expect(second).toBe(first + 1);
    expect(cloud.stats().functions.report).toBe(before + 2);
  });
});

describe('logs and errors reach the local cloud', () => {
  test("a function's console output is the local cloud's console output", async () => {
    const logs = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect((await call('report', { tag: 'tag-42' })).status).toBe(200);
      expect(logs.mock.calls.flat().map(String).join('\n')).toContain('[report] hello tag-42');
      expect(errors.mock.calls.flat().map(String).join('\n')).toContain('[report] to stderr tag-42');
    } finally {
      logs.mockRestore();
      errors.mockRestore();
    }
  });

  test('a function that throws answers 500 and its error is logged; one that crashes its instance too, and the next call works', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await call('boom', {})).toMatchObject({ status: 500, body: { code: 'SYSTEM.ERROR' } });
      expect(
        errors.mock.calls
          .flat()
          .map((e) => (e instanceof Error ? e.message : String(e)))
          .join('\n'),
      ).toContain('boom-thrown');
      expect(await call('boom', { crash: true })).toMatchObject({ status: 500, body: { code: 'SYSTEM.ERROR' } });
      expect(
        errors.mock.calls
          .flat()
          .map((e) => (e instanceof Error ? e.message : String(e)))
          .join('\n'),
      ).toContain('boom-uncaught');
      expect((await call('boom', {})).status).toBe(500); // a fresh instance, answering again
    } finally {
      errors.mockRestore();
    }
  });
});

/**
 * Test what ships: the local cloud runs the real functions from the bundles that deploy
 * (cloudfunctions/<name>/index.js, with the build stamp), and each bundle is self-contained: a copy of its
 * folder, with only its own package.json dependencies installed next to it, loads and answers.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startLocalCloud } from '../../localcloud';
import { assertBundlesFresh, staleBundles } from '../bundles';

const ROOT = join(__dirname, '../..');
const FUNCTIONS = join(ROOT, 'cloudfunctions');
const names = readdirSync(FUNCTIONS).filter((n) => existsSync(join(FUNCTIONS, n, 'index.ts')));

// Built once per run, before jest: rebuilding here would rewrite bundles that the other worker's local clouds are
// loading at that moment (esbuild writes each outfile in place).
beforeAll(() => assertBundlesFresh());

test('the local cloud runs the real functions from their bundles', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wish-bundles-'));
  const cloud = await startLocalCloud({ port: 0, dataDir, quiet: true });
  try {
    const res = await fetch(`${cloud.url}/api/account`, {
      method: 'POST',
      headers: { 'x-wx-openid': 'demo-resident' },
      body: JSON.stringify({ action: 'whoami' }),
    });
    expect(res.status).toBe(200);
    expect(cloud.bundles().account).toEqual({
      file: join(FUNCTIONS, 'account', 'index.js'),
      bundle: { name: 'account', builtBy: 'scripts/build-functions.mjs', builtAt: expect.any(String) },
    });
  } finally {
    await cloud.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test(`each of the ${names.length} bundles works from a copy of its folder with only its declared dependencies`, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'wish-deploy-'));
  try {
    const declared = new Set<string>();
    for (const name of names) {
      const dir = join(tmp, name);
      mkdirSync(dir);
      for (const f of ['index.js', 'package.json']) copyFileSync(join(FUNCTIONS, name, f), join(dir, f));
      // What the platform's 云端安装依赖 puts next to the function: exactly the package.json dependencies.
      const deps = Object.keys(
        (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: object }).dependencies ?? {},
      );
      for (const dep of deps) {
        declared.add(dep);
        mkdirSync(dirname(join(dir, 'node_modules', dep)), { recursive: true });
        symlinkSync(join(ROOT, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
      }
    }
    // One plain Node process, started in the empty folder: requires each copy and calls main with an event
    // that is not an object. Every function must answer INPUT.INVALID without a database call: the SDK points
    // at a closed port, so any call would fail.
    const script = `
      const out = {};
      (async () => {
        for (const name of ${JSON.stringify(names)}) {
          try {
            const m = require(require('path').join(${JSON.stringify(tmp)}, name, 'index.js'));
            const r = await m.main('not an event', { environ: 'WX_CONTEXT_KEYS=WX_OPENID;WX_OPENID=someone' });
            out[name] = { code: r && r.code, stamp: m.__bundle && m.__bundle.name };
          } catch (e) {
            out[name] = { error: String(e && e.message || e) };
          }
        }
        process.stdout.write(JSON.stringify(out));
      })();`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      TCB_SERVICE_URL: 'http://127.0.0.1:9/tcb',
      TCB_TIMEOUT_MS: '500',
      TENCENTCLOUD: 'true',
      SILENCE: 'true',
    };
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: tmp, env, encoding: 'utf8', timeout: 60_000 })) as Record<
      string,
      unknown
    >;
    expect(out).toEqual(Object.fromEntries(names.map((n) => [n, { code: 'INPUT.INVALID', stamp: n }])));
    expect(declared.size).toBeGreaterThan(0); // the SDK, at least, came from the folder's own node_modules
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}, 60_000);

test('the copies see no other packages: a bundle that needs an undeclared package fails to load there', () => {
  // The same setting with a bundle that leaves valibot out (as a wrong `external` would): it must not load.
  const tmp = mkdtempSync(join(tmpdir(), 'wish-deploy-bad-'));
  try {
    mkdirSync(join(tmp, 'bad'));
    execFileSync(
      process.execPath,
      [
        '-e',
        `require('esbuild').buildSync({ stdin: { contents: "import * as v from 'valibot'; export const main = async () => v.is(v.string(), 1)", resolveDir: ${JSON.stringify(ROOT)} }, bundle: true, platform: 'node', format: 'cjs', external: ['valibot'], outfile: ${JSON.stringify(join(tmp, 'bad', 'index.js'))} })`,
      ],
      { cwd: ROOT },
    );
    const run = () =>
      execFileSync(process.execPath, ['-e', `require(${JSON.stringify(join(tmp, 'bad', 'index.js'))})`], {
        cwd: tmp,
        env: { PATH: process.env.PATH },
        stdio: 'pipe',
      });
    expect(run).toThrow(/Cannot find module 'valibot'/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a bundle older than its sources fails the run instead of being rebuilt (tests/bundles.ts)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'wish-stale-'));
  try {
    mkdirSync(join(tmp, 'account'));
    for (const f of ['index.ts', 'index.js']) copyFileSync(join(FUNCTIONS, 'account', f), join(tmp, 'account', f));
    expect(staleBundles(tmp)).toEqual([]); // just copied: newer than every source
    utimesSync(join(tmp, 'account', 'index.js'), new Date('2020-01-01'), new Date('2020-01-01'));
    expect(staleBundles(tmp)).toEqual([expect.stringMatching(/^account: older than /)]);
    rmSync(join(tmp, 'account', 'index.js'));
    expect(staleBundles(tmp)).toEqual(['account: no bundle']);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

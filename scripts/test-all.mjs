#!/usr/bin/env node
// `npm test`: every check the project has — the function bundles and the weapp and H5 builds, with lint and layer
// rules, types and the benchmark beside them and then beside one jest run on three workers: every project (core, local cloud, functions
// through the real SDK, security, contract, components, deploy, the weapp bundle under WeChat's compilers, the browser
// journeys in Chromium), and every project that stores data again on a PostgreSQL server. Prints where the time went;
// ends with one line: `N passed, N failed`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from './chromium.mjs';
import { startPostgres } from './postgres.mjs';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
const started = Date.now();
/** Where the run's time goes, printed at the end: each step, and each jest project (the sum of its files' times). */
const timings = [];

/** One step, run beside others: its output is held and printed whole when it ends, so two lanes do not interleave. */
function stepAsync(name, cmd, args, env = {}) {
  return new Promise((resolve) => {
    const t = Date.now();
    let out = '';
    const p = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env } });
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => {
      const ok = code === 0;
      if (ok) passed++;
      else failed++;
      console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}\n${out.trimEnd()}`);
      console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      timings.push([name, (Date.now() - t) / 1000]);
      resolve(ok);
    });
  });
}

/**
 * Where the tests' data folders go: tmpfs (/dev/shm) when it has room and TMPDIR is not set. Each local cloud copies a
 * 39 MB PGlite cluster (971 files) into a new folder and deletes it at the end, and PGlite fsyncs every commit: on this
 * ext4 disk (mounted with `discard`) that is I/O both workers wait on. A fixed folder, so the cluster template made by
 * the first PGlite start (localcloud/db/pglite-worker.cjs) serves later runs too; the tests remove their own folders.
 */
function ramTmpdir() {
  if (process.env.TMPDIR) return null;
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize < 4e9) return null;
    const dir = '/dev/shm/microwish-tests';
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  } catch {
    return null;
  }
}

function check(name, ok, detail) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? '✔' : '✘'} ${name}${detail ? `: ${detail}` : ''}`);
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

// Lanes side by side, each step's output printed whole when it ends: the builds (function bundles, then the weapp and
// H5 apps that the weapp and browser tests run), after which jest starts; and the checks (lint and layer rules, types,
// then the benchmark), which go on beside jest. The PostgreSQL cluster starts at once.
const pgReady = process.env.DATABASE_URL
  ? Promise.resolve({ url: process.env.DATABASE_URL, stop() {} })
  : startPostgres().catch((e) => (console.log(`PostgreSQL: ${e.message}`), null));
let bundlesBuilt;
const bundlesReady = new Promise((resolve) => (bundlesBuilt = resolve));
const checksLane = (async () => {
  await stepAsync('lint and layer rules', 'npm', ['run', '--silent', 'lint']);
  await stepAsync('typecheck', 'npm', ['run', '--silent', 'typecheck']);
  // The benchmark prints figures, not verdicts; here it only has to run through (small fills: its ledger export and its
  // supervision tree at their default sizes, 20,000 and 10,000 + 100,000 wishes, took over 4 minutes of every run).
  // Its figures are taken beside jest, so they are not this machine's: `npm run bench` on a quiet machine gives those.
  if (await bundlesReady)
    await stepAsync('benchmark runs (200 wishes, beside jest)', 'npm', ['run', '--silent', 'bench'], {
      BENCH_WISHES: '200',
      BENCH_LEDGER_ROWS: '400',
      BENCH_TREE_SIZES: '100,300',
      BENCH_BUILT: '1', // never rewrite a bundle under jest's running local clouds
    });
})();
// The apps build in lanes of their own: the weapp after the bundles, H5 beside it (three processes on two cores for
// a minute, which was the run's one part with a core idle).
const weappLane = (async () => {
  bundlesBuilt(await stepAsync('build cloud functions', 'npm', ['run', '--silent', 'build:functions']));
  if (await stepAsync('build weapp', 'npm', ['run', '--silent', 'build:weapp'])) {
    const leaked = filesUnder(join(root, 'dist/weapp')).filter((f) =>
      /demo-(resident|member|organiser)|x-wx-openid/.test(readFileSync(f, 'latin1')),
    );
    check('weapp build has no local-only identity picker or local cloud header', leaked.length === 0, leaked.join(', '));
  }
})();
const h5Lane = stepAsync('build h5', 'npm', ['run', '--silent', 'build:h5']);
await Promise.all([weappLane, h5Lane]);

const chromium = findChromium({ install: true });
if (!chromium)
  check('Chromium for the browser tests', false, 'not found; set CHROME_PATH or install chromium-headless-shell and fonts-noto-cjk');

// One jest run on JEST_WORKERS workers (default 3 on this two-core machine: with 2, a fifth of the cores' time went
// idle while tests waited on their browsers, servers and timers): every project, and every project that stores data
// (the local cloud, the functions, the security and contract suites, the browser journeys) a second time against a
// PostgreSQL server, as a self-hosted or government-cloud deployment runs (DATABASE_URL), through the same engine that
// runs on PGlite. The server is DATABASE_URL if set, else a throw-away cluster from Debian's packages (.ci/run installs
// them as root); without either that second engine is skipped, and said so.
let pg = await pgReady;
// Started a minute and a half ago: if the server is gone by now (it happened once, on a machine shared with other
// jobs), start another rather than fail every ·pg test with ECONNREFUSED.
if (pg?.alive && !pg.alive()) {
  console.log(`\n⚠ the PostgreSQL server at ${pg.url} stopped before jest started; starting another`);
  pg.stop();
  pg = await startPostgres().catch((e) => (console.log(`PostgreSQL: ${e.message}`), null));
}
if (!pg) console.log('\n⚠ PostgreSQL projects skipped: no DATABASE_URL and no PostgreSQL binaries (apt-get install -y postgresql)');
else console.log(`\nPostgreSQL for the ·pg projects: ${pg.url.replace(/:[^:@/]*@/, ':***@')}`);
mkdirSync(join(root, '.scratch'), { recursive: true });
const report = join(root, '.scratch/jest-report.json');
const rowsFile = join(root, '.scratch/jest-files.json');
rmSync(rowsFile, { force: true });
const workers = Number(process.env.JEST_WORKERS) || 3;
const jestArgs = ['jest', `--maxWorkers=${workers}`, '--json', `--outputFile=${report}`, ...process.argv.slice(2)];
const { DATABASE_URL: _, ...withoutDatabaseUrl } = process.env;
const tmp = ramTmpdir();
if (tmp) console.log(`Test data folders in ${tmp} (tmpfs)`);
const jestStarted = Date.now();
const jestDone = new Promise((resolve) =>
  spawn('npx', jestArgs, {
    cwd: root,
    stdio: 'inherit',
    // DATABASE_URL only where a ·pg project sets it (tests/postgres-env.js): the other projects run on PGlite.
    env: {
      ...withoutDatabaseUrl,
      CHROME_PATH: chromium ?? '',
      TIMING_REPORT: rowsFile,
      // No spare function instances: each of the ~250 local clouds a run starts would load two and never use them.
      LOCALCLOUD_SPARES: '0',
      ...(pg ? { TEST_DATABASE_URL: pg.url } : {}),
      ...(tmp ? { TMPDIR: tmp } : {}),
    },
  }).on('close', resolve),
);
await jestDone;
timings.push([`jest, every project, ${workers} workers (wall clock)`, (Date.now() - jestStarted) / 1000]);
await checksLane;
pg?.stop();
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests + j.numRuntimeErrorTestSuites;
  console.log(`\njest: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${j.numRuntimeErrorTestSuites} suites could not run`);
} else check('jest ran', false, 'no report written');
if (existsSync(rowsFile)) {
  const rows = JSON.parse(readFileSync(rowsFile, 'utf8'));
  const onPg = rows.filter((r) => r.project.endsWith('·pg'));
  if (onPg.length) {
    const sum = (k) => onPg.reduce((n, r) => n + r[k], 0);
    console.log(
      `jest on PostgreSQL (in the above): ${sum('passed')} passed, ${sum('failed')} failed, ${onPg.filter((r) => r.couldNotRun).length} files could not run`,
    );
  }
  // Each project: the sum of its files' times (on two workers, the projects' sum is about twice the wall clock).
  const by = new Map();
  for (const r of rows) {
    const [sum, files] = by.get(r.project) ?? [0, 0];
    by.set(r.project, [sum + r.seconds, files + 1]);
  }
  for (const [project, [sum, files]] of [...by].sort()) timings.push([`  jest ${project} (${files} files)`, sum]);
  const slowest = [...rows].sort((a, b) => b.seconds - a.seconds).slice(0, 5);
  for (const r of slowest) timings.push([`    slowest: ${r.file} (${r.project})`, r.seconds]);
}

console.log('\nWhere the time went (s):');
for (const [name, s] of timings) console.log(`${s.toFixed(1).padStart(8)}  ${name}`);
console.log(`\nnpm test took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

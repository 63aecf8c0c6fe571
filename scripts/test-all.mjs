#!/usr/bin/env node
// `npm test`: every check the project has, in order — lint and layer rules, types, the function
// bundles, the weapp and H5 builds, then every jest project (core, local cloud, functions through the
// real SDK, components, the browser journey in Chromium), then every project that stores data (local cloud,
// functions, security, contract, browser) again on a PostgreSQL server. Ends with one line: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from './chromium.mjs';
import { startPostgres } from './postgres.mjs';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
const started = Date.now();
/** Where the run's time goes, printed at the end: each step, and each jest project (the sum of its files' times). */
const timings = [];

function step(name, cmd, args, env = {}) {
  const t = Date.now();
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  timings.push([name, (Date.now() - t) / 1000]);
  return ok;
}

/** Each jest project's time in a jest --json report: the sum of its test files' run times, and its file count. */
function projectTimes(report, label) {
  const by = new Map();
  for (const r of report.testResults ?? []) {
    const project = /\/tests\/([^/]+)\//.exec(r.name)?.[1] ?? '?';
    const s = (r.endTime - r.startTime) / 1000 || 0; // jest --json: each test file's start and end
    const [sum, files] = by.get(project) ?? [0, 0];
    by.set(project, [sum + s, files + 1]);
  }
  for (const [project, [sum, files]] of [...by].sort()) timings.push([`  jest ${project}${label} (${files} files)`, sum]);
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

step('lint and layer rules', 'npm', ['run', '--silent', 'lint']);
step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
step('build cloud functions', 'npm', ['run', '--silent', 'build:functions']);
if (step('build weapp', 'npm', ['run', '--silent', 'build:weapp'])) {
  const leaked = filesUnder(join(root, 'dist/weapp')).filter((f) =>
    /demo-(resident|member|organiser)|x-wx-openid/.test(readFileSync(f, 'latin1')),
  );
  check('weapp build has no local-only identity picker or local cloud header', leaked.length === 0, leaked.join(', '));
}
step('build h5', 'npm', ['run', '--silent', 'build:h5']);
// The benchmark prints figures, not verdicts; here it only has to run through (small fills: its ledger export and its
// supervision tree at their default sizes, 20,000 and 10,000 + 100,000 wishes, took over 4 minutes of every run).
step('benchmark runs (200 wishes)', 'npm', ['run', '--silent', 'bench'], {
  BENCH_WISHES: '200',
  BENCH_LEDGER_ROWS: '400',
  BENCH_TREE_SIZES: '300,1000',
});

const chromium = findChromium({ install: true });
if (!chromium) check('Chromium for the browser tests', false, 'not found; set CHROME_PATH or install chromium and fonts-noto-cjk');

mkdirSync(join(root, '.scratch'), { recursive: true });
const report = join(root, '.scratch/jest-report.json');
const jestArgs = ['jest', '--json', `--outputFile=${report}`, ...process.argv.slice(2)];
const jestStarted = Date.now();
spawnSync('npx', jestArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, CHROME_PATH: chromium ?? '' } });
timings.push(['jest, every project (wall clock)', (Date.now() - jestStarted) / 1000]);
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests + j.numRuntimeErrorTestSuites;
  console.log(`\njest: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${j.numRuntimeErrorTestSuites} suites could not run`);
  projectTimes(j, '');
} else check('jest ran', false, 'no report written');

// The second pass: every project that stores data (the local cloud, the functions, the security and contract suites and
// the browser journeys) against a PostgreSQL server (DATABASE_URL, as a self-hosted or
// government-cloud deployment runs), through the same engine that runs on PGlite above. DATABASE_URL if set, else a
// throw-away cluster from Debian's packages (.ci/run installs them as root); skipped, and said so, without either.
const pg = process.env.DATABASE_URL
  ? { url: process.env.DATABASE_URL, stop() {} }
  : await startPostgres().catch((e) => (console.log(`PostgreSQL: ${e.message}`), null));
if (!pg) console.log('\n⚠ PostgreSQL pass skipped: no DATABASE_URL and no PostgreSQL binaries (apt-get install -y postgresql)');
else {
  const pgReport = join(root, '.scratch/jest-report-pg.json');
  const stored = ['localcloud', 'functions', 'security', 'contract', 'browser'];
  console.log(`\n▶ ${stored.join(', ')} on PostgreSQL (${pg.url.replace(/:[^:@/]*@/, ':***@')})`);
  const pgStarted = Date.now();
  spawnSync('npx', ['jest', '--selectProjects', ...stored, '--json', `--outputFile=${pgReport}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: pg.url, CHROME_PATH: chromium ?? '' },
  });
  timings.push(['jest on PostgreSQL (wall clock)', (Date.now() - pgStarted) / 1000]);
  pg.stop();
  if (existsSync(pgReport)) {
    const j = JSON.parse(readFileSync(pgReport, 'utf8'));
    passed += j.numPassedTests;
    failed += j.numFailedTests + j.numRuntimeErrorTestSuites;
    console.log(
      `\njest on PostgreSQL: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${j.numRuntimeErrorTestSuites} suites could not run`,
    );
    projectTimes(j, ' on PostgreSQL');
  } else check('jest on PostgreSQL ran', false, 'no report written');
}

console.log('\nWhere the time went (s):');
for (const [name, s] of timings) console.log(`${s.toFixed(1).padStart(8)}  ${name}`);
console.log(`\nnpm test took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// `npm start` and `npm run reset`: build only what changed, then run the local cloud (localcloud/main.ts).
//
// Each build has a fingerprint of its inputs (file paths and contents, and the environment it reads); a build whose
// fingerprint matches the one recorded after its last success, and whose output exists, is skipped.
//   functions: cloudfunctions/*/index.ts, server/, src/ (the core they bundle), package-lock.json, the build script
//   H5:        src/, config/, package-lock.json, babel.config.js, tsconfig.json, LOCAL_CLOUD_URL, NODE_ENV
// Fingerprints live in .build-cache/ (ignored by git). `npm start -- --rebuild` builds both regardless.
//
// Quiet (issue 22): a build's own output (webpack's progress bar alone is hundreds of lines on a first start) is kept,
// not shown; `npm start` prints one line per stage, a line every 30 s while a build runs, the ready line and the timers.
// A build that fails prints the last of its output (up to 200 lines) and the full output's file. `--verbose` shows it live.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const started = Date.now();
const args = process.argv.slice(2);
const reset = args.includes('--reset');
const rebuild = args.includes('--rebuild');
const verbose = args.includes('--verbose');
const cacheDir = join(root, '.build-cache');
const since = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function files(path) {
  const abs = join(root, path);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [abs];
  return readdirSync(abs)
    .sort()
    .flatMap((n) => files(join(path, n)));
}

function fingerprint(paths, env) {
  const h = createHash('sha256');
  for (const f of paths.flatMap(files)) h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  for (const k of env) h.update(`${k}=${process.env[k] ?? ''}\0`);
  return h.digest('hex');
}

/** Runs `command` with its output kept in memory (all of it with --verbose, shown live); resolves with the exit code. */
function run(command) {
  return new Promise((resolve) => {
    const out = [];
    const child = spawn(command[0], command.slice(1), { cwd: root, stdio: verbose ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr?.on('data', (d) => out.push(d));
    child.on('error', (e) => {
      out.push(Buffer.from(String(e)));
      resolve({ code: 1, output: Buffer.concat(out).toString('utf8') });
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output: Buffer.concat(out).toString('utf8') }));
  });
}

async function build(name, { inputs, env = [], outputs, command, note }) {
  const stamp = join(cacheDir, `${name}.sha256`);
  const hash = fingerprint(inputs, env);
  const recorded = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
  const missing = outputs().filter((o) => !existsSync(join(root, o)));
  if (!rebuild && recorded === hash && missing.length === 0) {
    console.log(`✔ ${name}: inputs unchanged, build is current (skipped)`);
    return;
  }
  const why = rebuild ? '--rebuild' : missing.length ? `${missing[0]} missing` : recorded ? 'inputs changed' : 'first build';
  console.log(`▶ ${name}: building (${why})${note ? ` — ${note}` : ''} …`);
  const t = Date.now();
  const ticker = verbose
    ? undefined
    : setInterval(() => console.log(`  … ${name}: still building, ${((Date.now() - t) / 1000).toFixed(0)} s`), 30_000);
  const r = await run(command);
  clearInterval(ticker);
  if (r.code !== 0) {
    if (!verbose) {
      // Progress bars redraw with control sequences: strip them so the failure reads as plain lines.
      // eslint-disable-next-line no-control-regex
      const plain = r.output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '\n');
      const lines = plain.split('\n').filter((l) => l.trim());
      mkdirSync(cacheDir, { recursive: true });
      const log = join(cacheDir, `${name.replace(/\W+/g, '-')}-build.log`);
      writeFileSync(log, plain);
      console.error(lines.slice(-200).join('\n'));
      console.error(`(the whole build output: ${relative(root, log)})`);
    }
    console.error(`✘ ${name} build failed (exit ${r.code})`);
    process.exit(r.code || 1);
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(stamp, `${hash}\n`);
  console.log(`✔ ${name}: built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

const functionNames = readdirSync(join(root, 'cloudfunctions')).filter((n) => existsSync(join(root, 'cloudfunctions', n, 'index.ts')));
await build('functions', {
  inputs: [
    ...functionNames.map((n) => `cloudfunctions/${n}/index.ts`),
    'server',
    'src',
    'package-lock.json',
    'scripts/build-functions.mjs',
  ],
  outputs: () => functionNames.map((n) => `cloudfunctions/${n}/index.js`),
  command: [process.execPath, 'scripts/build-functions.mjs'],
});
if (!reset) {
  await build('H5 app', {
    inputs: ['src', 'config', 'package-lock.json', 'babel.config.js', 'tsconfig.json', 'types'],
    env: ['LOCAL_CLOUD_URL', 'NODE_ENV'],
    outputs: () => ['dist/h5/index.html'],
    command: [join(root, 'node_modules/.bin/taro'), 'build', '--type', 'h5'],
    note: 'about 1½ minutes on two cores; later starts skip it until src/ or config/ change',
  });
}
console.log(`builds ready after ${since()}; ${reset ? 'resetting the demo data' : 'starting the local cloud'} …`);
const child = spawn(join(root, 'node_modules/.bin/tsx'), ['localcloud/main.ts', ...(reset ? ['--reset-only'] : [])], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, START_T0: String(started) },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));

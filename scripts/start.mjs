#!/usr/bin/env node
// `npm start` and `npm run reset`: build only what changed, then run the local cloud (localcloud/main.ts).
//
// Each build has a fingerprint of its inputs (file paths and contents, and the environment it reads); a build whose
// fingerprint matches the one recorded after its last success, and whose output exists, is skipped.
//   functions: cloudfunctions/*/index.ts, server/, src/ (the core they bundle), package-lock.json, the build script
//   H5:        src/, config/, package-lock.json, babel.config.js, tsconfig.json, LOCAL_CLOUD_URL, NODE_ENV
// Fingerprints live in .build-cache/ (ignored by git). `npm start -- --rebuild` builds both regardless.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const started = Date.now();
const args = process.argv.slice(2);
const reset = args.includes('--reset');
const rebuild = args.includes('--rebuild');
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

function build(name, { inputs, env = [], outputs, command, note }) {
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
  const r = spawnSync(command[0], command.slice(1), { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`✘ ${name} build failed`);
    process.exit(r.status ?? 1);
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(stamp, `${hash}\n`);
  console.log(`✔ ${name}: built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

const functionNames = readdirSync(join(root, 'cloudfunctions')).filter((n) => existsSync(join(root, 'cloudfunctions', n, 'index.ts')));
build('functions', {
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
  build('H5 app', {
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

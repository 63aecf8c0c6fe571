#!/usr/bin/env node
// `npm run test:quick`: the lane to run while working (issue 20) — lint and layer rules, types, and the jest projects
// that need no app build and no browser (core, components, deploy, local cloud), with lint and types beside jest on
// the second core. `npm test` stays the whole thing, and is what CI runs. Ends with `N passed, N failed`.
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const started = Date.now();

function run(name, cmd, args) {
  return new Promise((resolve) => {
    const t = Date.now();
    let out = '';
    const p = spawn(cmd, args, { cwd: root, env: process.env });
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => {
      const s = ((Date.now() - t) / 1000).toFixed(1);
      console.log(`${code === 0 ? '✔' : '✘'} ${name} (${s} s)`);
      if (code !== 0) console.log(out.split('\n').slice(-60).join('\n'));
      resolve({ name, ok: code === 0, out });
    });
  });
}

const checks = (async () => [
  await run('lint and layer rules', 'npm', ['run', '--silent', 'lint']),
  await run('typecheck', 'npm', ['run', '--silent', 'typecheck']),
])();
const tests = (async () => {
  const built = await run('build cloud functions', 'node', ['scripts/build-functions.mjs']);
  if (!built.ok) return [built];
  const jest = await run('jest: core, components, deploy, localcloud', 'npx', [
    'jest',
    '--selectProjects',
    'core',
    'components',
    'deploy',
    'localcloud',
    '--silent',
  ]);
  return [built, jest];
})();
const results = [...(await checks), ...(await tests)];
const jest = results.find((r) => r.name.startsWith('jest'));
const counts = /Tests:\s+(?:(\d+) failed, )?(?:\d+ skipped, )?(\d+) passed/.exec(jest?.out ?? '');
const jestFailed = Number(counts?.[1] ?? 0);
const jestPassed = Number(counts?.[2] ?? 0);
const stepsFailed = results.filter((r) => !r.ok && !r.name.startsWith('jest')).length;
console.log(`\ntest:quick took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(
  `${jestPassed + results.filter((r) => r.ok && !r.name.startsWith('jest')).length} passed, ${jestFailed + stepsFailed + (jest && !jest.ok && !jestFailed ? 1 : 0)} failed`,
);
process.exit(results.every((r) => r.ok) ? 0 : 1);

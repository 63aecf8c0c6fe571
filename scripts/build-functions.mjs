// Bundles each cloudfunctions/<name>/index.ts, with the shared server code and the pure core,
// into cloudfunctions/<name>/index.js so that every folder deploys on its own.
// @cloudbase/node-sdk and wx-server-sdk (cloud calls, server/wx.ts) stay external: each folder's package.json lists
// them for the platform to install.
//
// Each bundle carries a build stamp, `module.exports.__bundle = { name, builtBy, builtAt }` (not enumerable):
// the local cloud runs a function only from a module that has it, so a function that would run from its
// TypeScript source (e.g. tsx resolving index.js to index.ts) fails instead of passing the tests.
//
//   node scripts/build-functions.mjs                       every function in cloudfunctions/
//   node scripts/build-functions.mjs --from <dir> --to <dir>   every <dir>/<name>/index.ts into <to>/<name>/index.js
//                                                          (package.json and config.json copied along; tests use it)
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILT_BY = 'scripts/build-functions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (flag) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? resolve(process.argv[i + 1]) : undefined;
};
const from = arg('--from') ?? join(root, 'cloudfunctions');
const to = arg('--to') ?? from;
const names = readdirSync(from).filter((n) => existsSync(join(from, n, 'index.ts')));
const started = Date.now();
const builtAt = new Date().toISOString();
await Promise.all(
  names.map((name) => {
    mkdirSync(join(to, name), { recursive: true });
    if (to !== from) {
      for (const f of ['package.json', 'config.json'])
        if (existsSync(join(from, name, f))) copyFileSync(join(from, name, f), join(to, name, f));
    }
    const stamp = JSON.stringify({ name, builtBy: BUILT_BY, builtAt });
    return build({
      entryPoints: [join(from, name, 'index.ts')],
      outfile: join(to, name, 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node16',
      external: ['@cloudbase/node-sdk', 'wx-server-sdk'],
      sourcemap: 'linked',
      logLevel: 'warning',
      footer: { js: `Object.defineProperty(module.exports, "__bundle", { value: Object.freeze(${stamp}) });` },
    });
  }),
);
console.log(`built ${names.length} cloud functions in ${Date.now() - started} ms: ${names.join(', ')}`);

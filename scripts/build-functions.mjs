// Bundles each cloudfunctions/<name>/index.ts, with the shared server code and the pure core,
// into cloudfunctions/<name>/index.js so that every folder deploys on its own.
// @cloudbase/node-sdk stays external: each folder's package.json lists it for the platform to install.
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'cloudfunctions');
const names = readdirSync(dir).filter((n) => existsSync(join(dir, n, 'index.ts')));
const started = Date.now();
await Promise.all(
  names.map((name) =>
    build({
      entryPoints: [join(dir, name, 'index.ts')],
      outfile: join(dir, name, 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node16',
      external: ['@cloudbase/node-sdk'],
      sourcemap: 'linked',
      logLevel: 'warning',
    }),
  ),
);
console.log(`built ${names.length} cloud functions in ${Date.now() - started} ms: ${names.join(', ')}`);

/**
 * The function bundles the tests run are built once per run (`npm test` and `npm run test:quick` run
 * `npm run build:functions` before jest), not once per test file: a file that starts a local cloud checks here that
 * every bundle is at least as new as the sources bundled into it, and fails — rather than rebuilding — when one is
 * older, so a test can never pass on a stale bundle nor spend seconds rebuilding what the run already built.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
/** What scripts/build-functions.mjs bundles into every function: its own folder's sources, server/ and src/. */
const SOURCES = ['server', 'src/core'];

function newest(dir: string, test: (name: string) => boolean): { file: string; ms: number } {
  let best = { file: '', ms: 0 };
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const cand = e.isDirectory() ? newest(p, test) : test(e.name) ? { file: p, ms: statSync(p).mtimeMs } : best;
    if (cand.ms > best.ms) best = cand;
  }
  return best;
}

/** The functions under `functionsDir` whose bundle is missing or older than a source bundled into it, with the reason. */
export function staleBundles(functionsDir = join(ROOT, 'cloudfunctions')): string[] {
  const ts = (n: string) => n.endsWith('.ts') || n.endsWith('.tsx');
  const shared = SOURCES.map((d) => newest(join(ROOT, d), ts)).reduce((a, b) => (b.ms > a.ms ? b : a));
  const stale: string[] = [];
  for (const fn of readdirSync(functionsDir)) {
    if (!existsSync(join(functionsDir, fn, 'index.ts'))) continue;
    const bundle = join(functionsDir, fn, 'index.js');
    if (!existsSync(bundle)) {
      stale.push(`${fn}: no bundle`);
      continue;
    }
    const own = newest(join(functionsDir, fn), ts);
    const source = own.ms > shared.ms ? own : shared;
    if (statSync(bundle).mtimeMs < source.ms) stale.push(`${fn}: older than ${source.file.slice(ROOT.length + 1)}`);
  }
  return stale;
}

let checked = false;

/** Throws, naming the bundles and the sources, when a function's bundle is missing or stale; checked once per test file. */
export function assertBundlesFresh(): void {
  if (checked) return;
  const stale = staleBundles();
  if (stale.length)
    throw new Error(`function bundles are stale (${stale.join('; ')}): run \`npm run build:functions\` (npm test does it once per run)`);
  checked = true;
}

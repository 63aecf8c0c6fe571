/**
 * globalSetup of the weapp project: the tests run dist/weapp, the bundle `npm run build:weapp` makes. It is built here
 * when it is missing or older than its sources (the newest file under src/ or config/, or package-lock.json), so a
 * fresh clone and a changed page both test what would ship; an up-to-date bundle is used as it is (npm test builds it
 * first). The build takes a few minutes; WEAPP_NO_BUILD=1 fails instead, naming what is stale.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const BUNDLE = join(ROOT, 'dist/weapp/app.js');

function newest(path: string): { file: string; mtime: number } {
  const st = statSync(path);
  if (!st.isDirectory()) return { file: path, mtime: st.mtimeMs };
  let best = { file: path, mtime: 0 };
  for (const name of readdirSync(path)) {
    const n = newest(join(path, name));
    if (n.mtime > best.mtime) best = n;
  }
  return best;
}

/** Why dist/weapp must be rebuilt, or null when it is up to date. */
export function staleReason(): string | null {
  if (!existsSync(BUNDLE)) return 'dist/weapp is missing';
  const built = statSync(BUNDLE).mtimeMs;
  for (const src of ['src', 'config', 'package-lock.json']) {
    const n = newest(join(ROOT, src));
    if (n.mtime > built) return `${n.file.slice(ROOT.length + 1)} is newer than dist/weapp`;
  }
  return null;
}

export default async function buildWeapp(): Promise<void> {
  const why = staleReason();
  if (!why) return;
  if (process.env.WEAPP_NO_BUILD === '1') throw new Error(`${why}: run npm run build:weapp before the weapp tests`);
  process.stdout.write(`\nweapp tests: ${why}; building it (npm run build:weapp's build, a few minutes)…\n`);
  const t = Date.now();
  // The build alone: the package-size budget is its own step of npm run build:weapp / npm test.
  execFileSync(process.execPath, [join(ROOT, 'scripts/weapp-config.mjs')], { cwd: ROOT, stdio: 'ignore' });
  execFileSync(join(ROOT, 'node_modules/.bin/taro'), ['build', '--type', 'weapp'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  process.stdout.write(`weapp tests: dist/weapp built in ${Math.round((Date.now() - t) / 1000)} s\n`);
}

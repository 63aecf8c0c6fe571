#!/usr/bin/env node
// `npm run test:cloud`: the contract suite (tests/cloud) against the real CloudBase environment named in the env file
// (.env or ENV_FILE): TCB_ENV_ID with the key pair TCB_SECRET_ID / TCB_SECRET_KEY. Without them it says so in one line
// and exits 0: nothing is run against anything.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const file = join(root, process.env.ENV_FILE || '.env');
const env = { ...(existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {}), ...process.env };
const missing = ['TCB_ENV_ID', 'TCB_SECRET_ID', 'TCB_SECRET_KEY'].filter((k) => !env[k]);
if (missing.length) {
  console.log(
    `test:cloud skipped: ${missing.join(', ')} not set (in the environment or ${file.replace(root, '')}; see .env.example), so there is no CloudBase environment to test against.`,
  );
  process.exit(0);
}
console.log(`test:cloud: the contract suite against CloudBase environment ${env.TCB_ENV_ID}`);
const r = spawnSync(join(root, 'node_modules/.bin/jest'), ['--selectProjects', 'contract', '--runInBand'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...env, CLOUD_CONTRACT: '1', LOCALCLOUD_STRICT_INDEXES: '' },
});
process.exit(r.status ?? 1);

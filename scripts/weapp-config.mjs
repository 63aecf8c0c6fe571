#!/usr/bin/env node
// Before `npm run build:weapp`: points WeChat DevTools at the mini-program's real appid from the env file.
// The appid goes into project.private.config.json (ignored by git; DevTools lets its fields override
// project.config.json), so the committed project.config.json keeps `touristappid` for anyone without an env file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const file = join(root, process.env.ENV_FILE || '.env');
const env = { ...(existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {}), ...process.env };
const target = join(root, 'project.private.config.json');
const current = existsSync(target) ? JSON.parse(readFileSync(target, 'utf8')) : {};
if (env.WX_APPID) {
  writeFileSync(target, `${JSON.stringify({ ...current, appid: env.WX_APPID }, null, 2)}\n`);
  console.log(
    `project.private.config.json: appid ${env.WX_APPID}; cloud environment ${env.TCB_ENV_ID || '(TCB_ENV_ID not set: DevTools default)'}`,
  );
} else {
  if (current.appid) {
    delete current.appid;
    writeFileSync(target, `${JSON.stringify(current, null, 2)}\n`);
  }
  console.log('no WX_APPID in the env file: WeChat DevTools opens the project as touristappid (see .env.example)');
}

/**
 * `npm start` (after scripts/start.mjs has built what changed) and `npm run reset`.
 *   PORT             default 8787
 *   LOCALCLOUD_DATA  default <repo>/.localcloud
  HOST             default 127.0.0.1; only a loopback address (127.0.0.1, ::1, localhost) is accepted: the
 *                    x-wx-openid header identity is a development demo and must not be reachable from the network
 *   --reset-only     empty the data folder, seed the demo organisations, users and wishes again, and exit
 *   LOCALCLOUD_TIMERS=0       do not run the functions' timer triggers on schedule (localcloud/cron.ts)
 *   LOCALCLOUD_DEMO_WISHES=0  people and organisations only (tests that make their own wishes from an empty board)
 * A first start (a new data folder) seeds the demo wishes (localcloud/demo.ts) as well as the people. Until that is
 * done every client's call is answered 503 SYSTEM.STARTING (the seeding's own calls are made in-process), and the
 * ready line is printed after it. If the seeding fails, the reason is printed and the cloud serves anyway.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalCloud } from './index';
import { DEMO_USERS } from './seed';
import { addDemoWishes } from './demo';
import { chinaTime } from '../src/core/dates';

async function main() {
  const dataDir = process.env.LOCALCLOUD_DATA || join(__dirname, '..', '.localcloud');
  const port = process.env.PORT ? Number(process.env.PORT) : 8787;
  if (process.argv.includes('--reset-only')) {
    // The embedded database (PGlite) is one process's: a second one on the same folder would corrupt it.
    if (!process.env.DATABASE_URL && existsSync(join(dataDir, 'credentials.json'))) {
      throw new Error(
        `a local cloud is running on ${dataDir} (credentials.json): stop it, then npm run reset (if none is running, delete that file)`,
      );
    }
    // No credentials file: a local cloud already running on this folder keeps its own.
    const cloud = await startLocalCloud({ port: 0, dataDir, quiet: true, writeCredentials: false });
    await cloud.reset();
    const states = process.env.LOCALCLOUD_DEMO_WISHES === '0' ? [] : await addDemoWishes(cloud);
    await cloud.close();
    console.log(`本地云数据已重置为演示数据 (${dataDir}): ${states.length} 个演示心愿`);
    return;
  }
  const cloud = await startLocalCloud({
    port,
    dataDir,
    host: process.env.HOST || undefined,
    timers: process.env.LOCALCLOUD_TIMERS !== '0',
    hold: true,
  });
  if (cloud.seeded && process.env.LOCALCLOUD_DEMO_WISHES !== '0') {
    const t = Date.now();
    try {
      const states = await addDemoWishes(cloud);
      console.log(`first start: ${states.length} demo wishes in every state (${new Set(states).size} statuses) in ${Date.now() - t} ms`);
    } catch (e) {
      // The people and organisations are in; the board is only partly filled. Serve anyway: a newcomer can still
      // post and claim, and `npm run reset` (with this cloud stopped) tries the demo wishes again.
      console.error(
        `✘ first start: the demo wishes could not all be made (${e instanceof Error ? e.message : String(e)}); serving without them — stop and run npm run reset to try again`,
      );
    }
  }
  cloud.open();
  const t0 = Number(process.env.START_T0);
  console.log(
    `\n微心愿 local cloud: ${cloud.url}  (data: ${dataDir})${t0 ? `  — ready ${((Date.now() - t0) / 1000).toFixed(1)} s after npm start` : ''}`,
  );
  console.log('演示用户 (pick one on the home page):');
  for (const u of DEMO_USERS) console.log(`  ${u._id.padEnd(16)} ${u.role.padEnd(10)} ${u.name}`);
  console.log('定时触发器 (China time; `npm run timer -- <function> --as-of <YYYY-MM-DD>` runs one now):');
  // Each trigger by the name `npm run timer` takes, soonest first, its next run in China time as the heading says
  // ("12月1日 周一 02:00"), never the UTC ISO string.
  const timers = cloud.timers().sort((a, b) => (a.at?.getTime() ?? Infinity) - (b.at?.getTime() ?? Infinity));
  for (const t of timers) console.log(`  ${t.name.padEnd(16)} next ${t.at ? chinaTime(t.at.toISOString(), 'when') : '—'}`);
  const stop = async () => {
    await cloud.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e instanceof Error && /loopback/.test(e.message) ? e.message : e);
  process.exit(1);
});

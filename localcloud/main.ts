/**
 * `npm start` (after building the functions and the H5 app) and `npm run reset`.
 *   PORT             default 8787
 *   LOCALCLOUD_DATA  default <repo>/.localcloud
 *   HOST             default 127.0.0.1; only a loopback address (127.0.0.1, ::1, localhost) is accepted: the
 *                    x-wx-openid header identity is a development demo and must not be reachable from the network
 *   --reset-only     empty the data folder, seed the demo data again, and exit
 *   --demo-wishes    add demo wishes in varied states (through the functions) when there are none yet
 */
import { join } from 'node:path';
import { startLocalCloud } from './index';
import { DEMO_USERS } from './seed';
import { addDemoWishes } from './demo';

async function main() {
  const dataDir = process.env.LOCALCLOUD_DATA || join(__dirname, '..', '.localcloud');
  const port = process.env.PORT ? Number(process.env.PORT) : 8787;
  if (process.argv.includes('--reset-only')) {
    // No credentials file: a local cloud already running on this folder keeps its own.
    const cloud = await startLocalCloud({ port: 0, dataDir, quiet: true, writeCredentials: false });
    await cloud.reset();
    await cloud.close();
    console.log(`本地云数据已重置为演示数据 (${dataDir})`);
    return;
  }
  const cloud = await startLocalCloud({ port, dataDir, host: process.env.HOST || undefined });
  if (process.argv.includes('--demo-wishes')) {
    const any = await fetch(`${cloud.url}/api/orgWishes`, { method: 'POST', headers: { 'x-wx-openid': 'demo-organiser' }, body: '{"limit":1}' });
    const { data } = (await any.json()) as { data?: { items: unknown[] } };
    if (data && data.items.length === 0) console.log(`演示心愿: ${(await addDemoWishes(cloud.url)).join(', ')}`);
  }
  console.log(`\n微心愿 local cloud: ${cloud.url}  (data: ${dataDir})`);
  console.log('演示用户 (pick one on the home page):');
  for (const u of DEMO_USERS) console.log(`  ${u._id.padEnd(16)} ${u.role.padEnd(10)} ${u.name}`);
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

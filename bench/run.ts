/**
 * `npm run bench`: figures, not pass/fail. Starts the local cloud in a temp folder, fills it with
 * wishes, and measures what a party member's phone waits for (board pages, wish detail, claim) and
 * what the local cloud costs (RSS, restart time). Sizes: BENCH_WISHES (default 10000).
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud } from '../localcloud';
import { addDays, chinaDate, collect, type Actor } from '../src/core';
import { assertBundlesFresh } from '../tests/bundles';
import { callAs, percentile, rawTransaction, tracedCall } from './common';
import { scaleBench } from './scale';
import { supervisionBench } from './supervision';

const N = Number(process.env.BENCH_WISHES) || 10_000;
/** Rows of the ledger export timed (issue 11): the wishes are topped up to this many in the organiser's subtree. */
const LEDGER_ROWS = Number(process.env.BENCH_LEDGER_ROWS) || 20_000;
const root = join(__dirname, '..');

function sizesFrom(env: string | undefined, fallback: number[]): number[] {
  return env
    ? env
        .split(',')
        .map(Number)
        .filter((n) => n > 0)
    : fallback;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

const FULL = process.argv.includes('--full');

/** The bench runs the function bundles as built from the sources now; BENCH_BUILT=1 says they just were (npm test builds
 * them once, then runs this beside jest, whose local clouds must not see a bundle half rewritten). */
function buildFunctions() {
  if (process.env.BENCH_BUILT === '1') assertBundlesFresh();
  else execSync('node scripts/build-functions.mjs', { cwd: root, stdio: 'ignore' });
}

async function main() {
  if (FULL) {
    // The full run (issue 8's targets): the scale table at 10k / 100k / 1M, then the supervision tree at 10k / 100k.
    buildFunctions();
    // BENCH_SCALE_SIZES=0 or BENCH_TREE_SIZES=0 leaves that part out.
    const sizes = sizesFrom(process.env.BENCH_SCALE_SIZES, [10_000, 100_000, 1_000_000]);
    if (sizes.length) await scaleBench(sizes);
    if (process.env.BENCH_TREE_SIZES !== '0') await supervisionBench(() => undefined);
    return;
  }
  buildFunctions();
  const dir = mkdtempSync(join(tmpdir(), 'wish-bench-'));
  let cloud = await startLocalCloud({ port: 0, dataDir: dir, quiet: true });
  process.env.TENCENTCLOUD = 'true';
  const db = tcb
    .init({ env: 'local', secretId: cloud.credentials.secretId, secretKey: cloud.credentials.secretKey, serviceUrl: `${cloud.url}/tcb` })
    .database();
  // Database requests per function (the local cloud's wire counters around each call; calls run one at a time).
  const wire: Record<string, number[]> = {};
  const call = async (fn: string, event: object, openid: string) => {
    const before = cloud.stats().wireTotal;
    try {
      return await send(fn, event, openid);
    } finally {
      (wire[fn] ??= []).push(cloud.stats().wireTotal - before);
    }
  };
  const send = (fn: string, event: object, openid: string) => callAs(cloud.url, fn, event, openid);

  // Fill: N wishes, half published, through the SDK in batches.
  const resident: Actor = { id: 'demo-resident', role: 'resident', orgId: 'demo-community' };
  const t0 = performance.now();
  for (let i = 0; i < N; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(N, i + 500); j++) {
      const made = collect(
        `bench-${String(j).padStart(6, '0')}`,
        { title: `心愿 ${j}`, content: '需要帮助', contactName: '王', contactPhone: '13800001111', address: '幸福里' },
        resident,
        new Date(Date.now() - (N - j) * 1000),
      );
      if (!made.ok) throw new Error(made.message);
      const w = made.wish;
      if (j % 2 === 0)
        Object.assign(w, {
          status: 'published',
          track: 'individual',
          category: '生活帮扶',
          publishedAt: w.createdAt,
          boardRank: `0|${w.createdAt}`,
        });
      batch.push(w);
    }
    await db.collection('wishes').add(batch);
  }
  const fillMs = performance.now() - t0;

  const boardMs: number[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const [ms, r] = await timed(() => call('board', cursor ? { cursor } : {}, 'demo-member'));
    if (r.code !== 0) throw new Error(JSON.stringify(r));
    boardMs.push(ms);
    cursor = r.data.cursor;
  }
  const detailMs: number[] = [];
  for (let i = 0; i < 100; i++)
    detailMs.push((await timed(() => call('wishDetail', { wishId: `bench-${String(i * 2).padStart(6, '0')}` }, 'demo-member')))[0]);
  // Claims by 50 members (a member holds at most 3 open claims and 20 claims an hour).
  const claimers = Array.from({ length: 50 }, (_, i) => ({
    _id: `bench-member-${i}`,
    role: 'member',
    orgId: 'demo-community',
    name: `党员${i}`,
    openClaimIds: [] as string[], // as confirmMember makes a member: an empty claim-limit list
  }));
  await db.collection('users').add(claimers);
  const claimMs: number[] = [];
  const promisedBy = addDays(chinaDate(new Date()), 7);
  const rawMs: number[] = [];
  const statements: number[] = [];
  for (let i = 0; i < 50; i++) {
    const {
      ms,
      r,
      statements: sql,
    } = await tracedCall(() => call('claim', { wishId: `bench-${String(i * 2).padStart(6, '0')}`, promisedBy }, claimers[i]!._id));
    if (r.code !== 0) throw new Error(JSON.stringify(r));
    claimMs.push(ms);
    statements.push(sql.length);
    rawMs.push(await rawTransaction(sql));
  }
  // The seven stages of one wish, 10 wishes one call at a time: each call's database requests (`wire`, printed below).
  const walkers = Array.from({ length: 10 }, (_, i) => ({
    _id: `bench-walker-${i}`,
    role: 'member',
    orgId: 'demo-community',
    name: `走访${i}`,
    openClaimIds: [] as string[],
  }));
  await db.collection('users').add(walkers);
  const stage = async (fn: string, event: object, openid: string) => {
    const r = await call(fn, event, openid);
    if (r.code !== 0) throw new Error(`${fn}: ${JSON.stringify(r)}`);
    return r.data;
  };
  for (const m of walkers) {
    const w = await stage(
      'collect',
      { title: '想请人陪我聊聊天', content: '希望每周有人来坐坐', contactName: '王', contactPhone: '13800001111', address: '幸福里' },
      'demo-resident',
    );
    await stage('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '需要有人陪伴' }, 'demo-organiser');
    await stage('publish', { wishId: w._id }, 'demo-organiser');
    await stage('claim', { wishId: w._id, promisedBy }, m._id);
    await stage('fulfil', { wishId: w._id, note: '已办好' }, m._id);
    await stage('feedback', { wishId: w._id, satisfaction: 'satisfied' }, 'demo-resident');
    await stage('closeOut', { wishId: w._id }, 'demo-organiser');
  }
  // Throughput: distinct members claim distinct published wishes, CONCURRENCY calls in flight at a time (not
  // counted in the requests per call, which need one call at a time).
  const THROUGHPUT = Math.min(200, Math.floor(N / 2) - 50);
  const CONCURRENCY = 20;
  const racers = Array.from({ length: THROUGHPUT }, (_, i) => ({
    _id: `bench-claimer-${i}`,
    role: 'member',
    orgId: 'demo-community',
    name: `党员${i}`,
    openClaimIds: [] as string[],
  }));
  if (racers.length) await db.collection('users').add(racers);
  let next = 0;
  let failed = 0;
  const tThroughput = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < THROUGHPUT) {
        const i = next++;
        const r = await send('claim', { wishId: `bench-${String((50 + i) * 2).padStart(6, '0')}`, promisedBy }, racers[i]!._id);
        if (r.code !== 0) failed++;
      }
    }),
  );
  const throughputMs = performance.now() - tThroughput;

  // Ledger export (issue 11): top the subtree up to LEDGER_ROWS wishes of the last two months, then export the
  // 群众需求台账 (own version: every column filled) as the organiser, once warm-up-free, and read the file back.
  for (let i = N; i < LEDGER_ROWS; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(LEDGER_ROWS, i + 500); j++) {
      const made = collect(
        `bench-${String(j).padStart(6, '0')}`,
        {
          title: `心愿 ${j}`,
          content: '需要帮助',
          contactName: '王秀英',
          contactPhone: '13800001111',
          address: '幸福里小区 3 栋 201',
          channel: 'hotline',
        },
        { id: 'demo-organiser', role: 'organiser', orgId: 'demo-community' },
        new Date(Date.now() - (LEDGER_ROWS - j) * 100),
      );
      if (!made.ok) throw new Error(made.message);
      batch.push(made.wish);
    }
    await db.collection('wishes').add(batch);
  }
  const thisMonth = chinaDate(new Date()).slice(0, 7);
  const [y, m] = thisMonth.split('-').map(Number) as [number, number];
  const lastMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const [exportMs, exported] = await timed(() =>
    call('exportLedger', { ledger: 'needs', version: 'own', from: lastMonth, to: thisMonth }, 'demo-organiser'),
  );
  if (exported.code !== 0) throw new Error(JSON.stringify(exported));
  // Every wish of the subtree in the period is a row (a paging mistake shows up here as a short ledger).
  const expected = Math.max(N, LEDGER_ROWS) + walkers.length; // and the wishes walked through the seven stages
  if (exported.data.rows !== expected) throw new Error(`ledger has ${exported.data.rows} rows, expected ${expected}`);
  const [downloadMs, bytes] = await timed(async () => Buffer.from(await (await fetch(exported.data.url)).arrayBuffer()));
  const [progressMs, progress] = await timed(() =>
    call('exportLedger', { ledger: 'progress', version: 'upward', from: lastMonth, to: thisMonth }, 'demo-organiser'),
  );
  if (progress.code !== 0) throw new Error(JSON.stringify(progress));
  const rss = process.memoryUsage().rss / 1024 / 1024;
  await cloud.close();
  const [restartMs, again] = await timed(() => startLocalCloud({ port: 0, dataDir: dir, quiet: true }));
  cloud = again;
  await cloud.close();
  rmSync(dir, { recursive: true, force: true });

  const row = (name: string, xs: number[]) =>
    console.log(
      `${name.padEnd(34)} p50 ${percentile(xs, 50).toFixed(1)} ms   p95 ${percentile(xs, 95).toFixed(1)} ms   p99 ${percentile(xs, 99).toFixed(1)} ms   (${xs.length} calls)`,
    );
  console.log(`wishes in the database: ${N} (${N / 2} published); fill through the SDK: ${(fillMs / 1000).toFixed(1)} s`);
  row('board page (20, cursor)', boardMs);
  row('wishDetail', detailMs);
  row('claim (restore → transition → CAS)', claimMs);
  row('claim as one raw transaction', rawMs);
  console.log(
    `  (the same SQL statements as the claim, ${percentile(statements, 50)} at p50, in one transaction on the engine's own driver)`,
  );
  console.log(
    `claims/s (${THROUGHPUT} members, ${CONCURRENCY} in flight): ${((THROUGHPUT * 1000) / throughputMs).toFixed(0)} (${failed} failed)`,
  );
  const STAGES = ['collect', 'register', 'publish', 'claim', 'fulfil', 'feedback', 'closeOut'];
  const lifecycle = STAGES.reduce((n, fn) => n + percentile(wire[fn] ?? [0], 50), 0);
  console.log(
    `wire requests, one wish's seven stages (p50 per stage, summed; content-check cloud calls and each member's first rate-limit window included): ${lifecycle} (issue 24's target, database only: 40)`,
  );
  for (const [fn, xs] of Object.entries(wire))
    console.log(
      `${`requests to the database per ${fn}`.padEnd(34)} p50 ${percentile(xs, 50)}   max ${Math.max(...xs)}   (first call, cold caches: ${xs[0]})`,
    );
  console.log('(sequential round trips per call: tests/functions/roundtrips.test.ts measures and bounds them)');
  console.log(
    `exportLedger 群众需求台账 ${exported.data.rows} rows: ${(exportMs / 1000).toFixed(1)} s (${(bytes.length / 1024 / 1024).toFixed(1)} MB .xlsx, download ${downloadMs.toFixed(0)} ms); 进度台账 over the same wishes: ${(progressMs / 1000).toFixed(1)} s`,
  );
  console.log(`local cloud + bench process RSS: ${rss.toFixed(0)} MB; restart on ${N} wishes: ${restartMs.toFixed(0)} ms`);
  // The scale table at a tenth of N and at N (BENCH_SCALE_SIZES overrides).
  const scale = sizesFrom(process.env.BENCH_SCALE_SIZES, [Math.max(100, Math.round(N / 10)), N]);
  if (scale.length) await scaleBench(scale); // BENCH_SCALE_SIZES=0 leaves it out
  // 督办台 and 公开栏 on a city tree (BENCH_TREE_SIZES, default 10000,100000; BENCH_TREE_SIZES=0 skips it).
  if (process.env.BENCH_TREE_SIZES !== '0') await supervisionBench(() => undefined);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

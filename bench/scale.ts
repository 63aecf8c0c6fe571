/**
 * The scale table (issue 8): one local cloud filled step by step over a city tree (1 city, 5 districts, 30 streets,
 * 300 communities), one community holding a tenth of all wishes, and at each size the calls whose cost must not
 * grow with the collection: the claim board and the organiser's ledger (first pages and pages deep behind a
 * cursor), a transition (claim), 200 members claiming 200 different wishes at once, a restart, and memory.
 * Sizes: BENCH_SCALE_SIZES (comma-separated); `npm run bench -- --full` runs 10,000 / 100,000 / 1,000,000.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud, type LocalCloud } from '../localcloud';
import { addDays, chinaDate, collect, type Wish } from '../src/core';
import { callAs, percentile, rawTransaction, tracedCall } from './common';
import { tree } from './supervision';

const BIG = 'd0s0c0'; // the community holding a tenth of the wishes
const STREET = 'd0s0'; // its street (10 communities)
const DAY = 86_400_000;

/** The i-th wish of the fill: every tenth in the big community; a mix of statuses as a year leaves them. */
function wishAt(i: number, orgs: string[], start: number): Wish {
  const orgId = i % 10 === 0 ? BIG : orgs[(i * 7919) % orgs.length]!;
  const at = new Date(start + i * 20_000);
  const made = collect(
    `s${String(i).padStart(7, '0')}`,
    { title: `心愿 ${i}`, content: '需要帮助', contactName: '王', contactPhone: '13800001111', address: '某小区', orgId },
    { id: `r${i % 50_000}`, role: 'resident', orgId },
    at,
  );
  if (!made.ok) throw new Error(made.message);
  const w = made.wish as Wish & Record<string, unknown>;
  const mix = Math.floor(i / 10) % 10; // not i % 10: that picks the organisation
  const kind = mix < 4 ? 'closed' : mix < 7 ? 'published' : mix < 8 ? 'claimed' : 'collected';
  const iso = at.toISOString();
  if (kind !== 'collected')
    Object.assign(w, { status: 'published', track: 'individual', category: '生活帮扶', publishedAt: iso, boardRank: `0|${iso}` });
  if (kind === 'claimed' || kind === 'closed')
    Object.assign(w, {
      status: kind,
      boardRank: null,
      claim: { memberId: `m${i % 997}`, claimedAt: iso, promisedBy: addDays(chinaDate(at), 7 + (i % 9)) },
    });
  if (kind === 'closed') Object.assign(w, { closedAt: new Date(at.getTime() + 5 * DAY).toISOString() });
  return w;
}

/** Timings of the calls that answered, and the codes of those that did not (a failed call is reported, not fatal:
 * the table still prints). */
type Row = { p50: number; p95: number; failed: string[] };
const rowOf = (xs: number[], failed: string[]): Row => ({
  p50: xs.length ? percentile(xs, 50) : NaN,
  p95: xs.length ? percentile(xs, 95) : NaN,
  failed,
});
type Table = Map<string, Map<number, string>>;

export async function scaleBench(sizes: number[]): Promise<void> {
  const orgs = tree();
  const communities = orgs.filter((o) => o.level === 'community').map((o) => o._id);
  const start = Date.now() - Math.max(...sizes) * 20_000 - DAY;
  const dir = mkdtempSync(join(tmpdir(), 'wish-bench-scale-'));
  let cloud: LocalCloud = await startLocalCloud({ port: 0, dataDir: dir, quiet: true });
  process.env.TENCENTCLOUD = 'true';
  const dbOf = (c: LocalCloud) =>
    tcb.init({ env: 'local', secretId: c.credentials.secretId, secretKey: c.credentials.secretKey, serviceUrl: `${c.url}/tcb` }).database();
  let db = dbOf(cloud);
  const table: Table = new Map();
  const put = (name: string, size: number, value: string) => {
    if (!table.has(name)) table.set(name, new Map());
    table.get(name)!.set(size, value);
  };
  const ratios = new Map<string, Map<number, number>>();
  const putRow = (name: string, size: number, r: Row) => {
    const codes = [...new Set(r.failed)].join(', ');
    put(name, size, `${r.p50.toFixed(1)} / ${r.p95.toFixed(1)}${r.failed.length ? ` (${r.failed.length} failed: ${codes})` : ''}`);
    if (!ratios.has(name)) ratios.set(name, new Map());
    ratios.get(name)!.set(size, r.p95);
  };
  const send = (fn: string, event: object, openid: string) => callAs(cloud.url, fn, event, openid);
  const times = async (n: number, fn: (k: number) => Promise<{ code: number | string; data: any }>): Promise<Row> => {
    const ms: number[] = [];
    const failed: string[] = [];
    for (let k = 0; k < n; k++) {
      const t = performance.now();
      const r = await fn(k);
      if (r.code !== 0) failed.push(String(r.code));
      else ms.push(performance.now() - t);
    }
    return rowOf(ms, failed);
  };
  /** Walks `pages` pages from `cursor` on, timing each. */
  const walk = (fn: string, event: object, openid: string, pages: number, cursor?: string) => {
    let at = cursor;
    return times(pages, async () => {
      const r = await send(fn, at ? { ...event, cursor: at } : event, openid);
      at = r.data?.cursor ?? undefined;
      return r;
    });
  };
  const cursorAt = (v: string, id: string) => Buffer.from(JSON.stringify({ v, id })).toString('base64url');

  try {
    await db.collection('orgs').add(orgs);
    await db.collection('users').add([
      { _id: 'scale-member', role: 'member', orgId: BIG, name: '党员甲' },
      { _id: 'scale-organiser', role: 'organiser', orgId: BIG, name: '社区书记' },
      { _id: 'scale-street', role: 'organiser', orgId: STREET, name: '街道督办' },
    ]);
    let filled = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const t0 = performance.now();
      while (filled < size) {
        const batch: Wish[] = [];
        for (const end = Math.min(size, filled + 500); filled < end; filled++) batch.push(wishAt(filled, communities, start));
        await db.collection('wishes').add(batch);
      }
      put('fill through the SDK (s)', size, ((performance.now() - t0) / 1000).toFixed(1));
      // A restart on this many wishes: what `npm start` waits for once the data is there.
      await cloud.close();
      const t1 = performance.now();
      cloud = await startLocalCloud({ port: 0, dataDir: dir, quiet: true });
      put('start-up on the stored wishes (ms)', size, (performance.now() - t1).toFixed(0));
      db = dbOf(cloud);

      // The big community's published wishes (the middle one is where a deep cursor starts).
      const bigIds = (pred: (i: number) => boolean) => {
        const ids: number[] = [];
        for (let i = 0; i < size; i += 10) if (pred(i)) ids.push(i);
        return ids;
      };
      // Every tenth wish is the big community's, so its own mix repeats every 100 wishes.
      const bigPublished = bigIds((i) => {
        const k = (i / 10) % 10;
        return k >= 4 && k < 7;
      });
      const mid = bigPublished[Math.floor(bigPublished.length / 2)];
      await walk('board', {}, 'scale-member', 1); // warm the instance
      putRow('board page, first 20 pages (ms)', size, await walk('board', {}, 'scale-member', 20));
      if (mid !== undefined) {
        const iso = new Date(start + mid * 20_000).toISOString();
        putRow(
          'board page, from the middle (ms)',
          size,
          await walk('board', {}, 'scale-member', 20, cursorAt(`0|${iso}`, `s${String(mid).padStart(7, '0')}`)),
        );
      }
      await walk('orgWishes', {}, 'scale-organiser', 1);
      putRow('ledger page, community (ms)', size, await walk('orgWishes', {}, 'scale-organiser', 20));
      const midAll = Math.floor(size / 20) * 10;
      putRow(
        'ledger page, from the middle (ms)',
        size,
        await walk(
          'orgWishes',
          {},
          'scale-organiser',
          20,
          cursorAt(new Date(start + midAll * 20_000).toISOString(), `s${String(midAll).padStart(7, '0')}`),
        ),
      );
      putRow('ledger page, street of 10 communities (ms)', size, await walk('orgWishes', {}, 'scale-street', 20));
      putRow('ledger page, one status (ms)', size, await walk('orgWishes', { status: 'published' }, 'scale-organiser', 20));

      // A transition: 50 members each claim a published wish of the big community, one at a time; then 200 more
      // members claim 200 more, all at once.
      const promisedBy = addDays(chinaDate(new Date()), 7);
      // Members as confirmMember makes them: with an empty claim-limit list (server/claimSlots.ts).
      const members = Array.from({ length: 250 }, (_, k) => ({
        _id: `scale-${size}-m${k}`,
        role: 'member',
        orgId: BIG,
        name: `党员${k}`,
        openClaimIds: [] as string[],
      }));
      await db.collection('users').add(members);
      const targets = bigPublished.slice(-250).map((i) => `s${String(i).padStart(7, '0')}`);
      if (targets.length < 250) {
        put('claim, one at a time (ms)', size, `only ${targets.length} published`);
        continue;
      }
      // Each claim's SQL statements, replayed in one raw transaction right after it (issue 24: the claim within 2× of it).
      const claimMs: number[] = [];
      const raw: number[] = [];
      const refused: string[] = [];
      for (let k = 0; k < 50; k++) {
        const { ms, r, statements } = await tracedCall(() => send('claim', { wishId: targets[k], promisedBy }, members[k]!._id));
        if (r.code !== 0) refused.push(String(r.code));
        else {
          claimMs.push(ms);
          raw.push(await rawTransaction(statements));
        }
      }
      putRow('claim, one at a time (ms)', size, rowOf(claimMs, refused));
      putRow('the same claim as one raw transaction (ms)', size, rowOf(raw, []));
      const t2 = performance.now();
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, k) => send('claim', { wishId: targets[50 + k], promisedBy }, members[50 + k]!._id)),
      );
      const s = (performance.now() - t2) / 1000;
      const failed = results.filter((r) => r.code !== 0);
      put(
        'claims/s, 200 members at once',
        size,
        `${(200 / s).toFixed(0)}${failed.length ? ` (${failed.length} failed: ${[...new Set(failed.map((r) => r.code))].join(', ')})` : ''}`,
      );
      put('RSS of the process (MB)', size, (process.memoryUsage().rss / 1024 / 1024).toFixed(0));
    }
  } finally {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const cols = [...sizes].sort((a, b) => a - b);
  const head = [
    '',
    ...cols.map((n) => `${n.toLocaleString('en')} wishes`),
    cols.length > 1 ? `p95 ×, ${cols[cols.length - 1]} / ${cols[0]}` : '',
  ];
  console.log(`\nscale (p50 / p95 where two figures; one community holds a tenth of the wishes)`);
  console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
  for (const [name, bySize] of table) {
    const r = ratios.get(name);
    const ratio = r && cols.length > 1 && r.get(cols[0]!) ? `×${(r.get(cols[cols.length - 1]!)! / r.get(cols[0]!)!).toFixed(2)}` : '';
    console.log(`| ${[name, ...cols.map((n) => bySize.get(n) ?? '—'), ratio].join(' | ')} |`);
  }
}

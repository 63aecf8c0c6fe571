/**
 * The supervision bench (issue 9): a city tree (1 city, 5 districts, 30 streets, 300 communities) with wishes whose
 * timelines the core's own transitions wrote over the past year, and their `figures` documents as the functions'
 * delivery would have kept them (here written at once from `recountAll`, the same numbers the property test holds
 * the maintained counters to). Measures the workbench (city and street organisers) and the public board: p50/p95
 * and the database requests per call, at each size (default 10,000 then 100,000 wishes: BENCH_TREE_SIZES).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud } from '../localcloud';
import { callAs, percentile } from './common';
import { addDays, chinaDate, collect, recountAll, transition, type Actor, type Command, type Wish } from '../src/core';

const SIZES = (process.env.BENCH_TREE_SIZES ?? '10000,100000').split(',').map(Number);

export interface Org {
  _id: string;
  name: string;
  parentId: string | null;
  level: string;
  ancestors: string[];
}

export function tree(): Org[] {
  const orgs: Org[] = [{ _id: 'city', name: '示范市', parentId: null, level: 'city', ancestors: [] }];
  for (let d = 0; d < 5; d++) {
    const dId = `d${d}`;
    orgs.push({ _id: dId, name: `第${d + 1}区`, parentId: 'city', level: 'district', ancestors: ['city'] });
    for (let s = 0; s < 6; s++) {
      const sId = `${dId}s${s}`;
      orgs.push({ _id: sId, name: `${d + 1}区${s + 1}街道`, parentId: dId, level: 'street', ancestors: ['city', dId] });
      for (let c = 0; c < 10; c++)
        orgs.push({ _id: `${sId}c${c}`, name: `${sId}第${c + 1}社区`, parentId: sId, level: 'community', ancestors: ['city', dId, sId] });
    }
  }
  return orgs;
}

/** A wish collected `daysAgo` days ago in `orgId`, carried `depth` stages along by the core's transitions. */
function wishFor(i: number, orgId: string, daysAgo: number, depth: number, now: number): Wish {
  const at = (h: number) => new Date(now - daysAgo * 86_400_000 + h * 3_600_000);
  const resident: Actor = { id: `r${i % 5000}`, role: 'resident', orgId };
  const organiser: Actor = { id: `o-${orgId}`, role: 'organiser', orgId, scope: [orgId] };
  const member: Actor = { id: `m-${orgId}-${i % 7}`, role: 'member', orgId, scope: [orgId], name: '党员', orgName: orgId };
  const made = collect(
    `t${String(i).padStart(7, '0')}`,
    { title: `心愿 ${i}`, content: '需要帮助', contactName: '王', contactPhone: '13800001111', address: '某小区', orgId },
    resident,
    at(0),
  );
  if (!made.ok) throw new Error(made.message);
  let w = made.wish;
  const today = (h: number) => chinaDate(at(h));
  const steps: Array<[Command, Actor, number]> = [
    [
      { type: 'register', category: ['生活帮扶', '助学圆梦', '医疗健康', '精神慰藉'][i % 4]!, track: 'individual', summary: '公开摘要' },
      organiser,
      20,
    ],
    [{ type: 'publish' }, organiser, 21],
    [{ type: 'claim', promisedBy: addDays(today(40), i % 9) }, member, 40],
    [{ type: 'fulfil', note: '已办' }, member, 24 * (1 + (i % 6))],
    [{ type: 'feedback', satisfaction: i % 10 === 0 ? 'basically' : 'satisfied' }, resident, 24 * (2 + (i % 6))],
    [{ type: 'closeOut' }, organiser, 24 * (3 + (i % 6))],
  ];
  for (const [cmd, actor, h] of steps.slice(0, depth)) {
    if (at(h).getTime() > now) break;
    const r = transition(w, cmd, actor, at(h));
    if (!r.ok) throw new Error(`${cmd.type}: ${r.code}`);
    w = r.wish;
  }
  return w;
}

type Rows = Record<string, { p50: number; p95: number; requests: number }>;

export async function supervisionBench(buildFunctions: () => void): Promise<void> {
  buildFunctions();
  const results: Array<{ size: number; rows: Rows }> = [];
  for (const size of SIZES) results.push({ size, rows: await stage(size) });
  if (results.length > 1) {
    const [a, b] = [results[0]!, results[results.length - 1]!];
    console.log(`\nsupervision ratio, ${b.size} against ${a.size} wishes (p50):`);
    for (const name of Object.keys(a.rows))
      console.log(
        `${name.padEnd(36)} ×${(b.rows[name]!.p50 / a.rows[name]!.p50).toFixed(2)}   requests ${a.rows[name]!.requests} → ${b.rows[name]!.requests}`,
      );
  }
}

/** A fresh local cloud with `size` wishes on the tree and their figures; the measured calls. */
async function stage(size: number): Promise<Rows> {
  // Everything computed before the local cloud starts: it runs in this process, and a long synchronous stretch
  // between requests outlives its keep-alive timeout (a reused socket then resets).
  const t0 = performance.now();
  const orgs = tree();
  const paths = new Map(orgs.map((o) => [o._id, [...o.ancestors, o._id]]));
  const communities = orgs.filter((o) => o.level === 'community');
  const now = Date.now();
  const all: Wish[] = [];
  for (let i = 0; i < size; i++) all.push(wishFor(i, communities[i % communities.length]!._id, (i * 7919) % 365, i % 7, now));
  // The figures as delivery keeps them: written from the recount (what the reconcile job writes).
  const docs = [...recountAll(all, (id) => paths.get(id) ?? [id])].map(([_id, d]) => ({ _id, ...d }));
  const dir = mkdtempSync(join(tmpdir(), 'wish-bench-tree-'));
  const cloud = await startLocalCloud({ port: 0, dataDir: dir, quiet: true });
  try {
    process.env.TENCENTCLOUD = 'true';
    const db = tcb
      .init({ env: 'local', secretId: cloud.credentials.secretId, secretKey: cloud.credentials.secretKey, serviceUrl: `${cloud.url}/tcb` })
      .database();
    await db.collection('orgs').add(orgs);
    await db.collection('users').add([
      { _id: 'bench-city-organiser', role: 'organiser', orgId: 'city', name: '市级督办' },
      { _id: 'bench-street-organiser', role: 'organiser', orgId: 'd0s0', name: '街道督办' },
    ]);
    {
      for (let i = 0; i < all.length; i += 250) await db.collection('wishes').add(all.slice(i, i + 250));
      for (let i = 0; i < docs.length; i += 500) await db.collection('figures').add(docs.slice(i, i + 500));
      const fillS = (performance.now() - t0) / 1000;
      const rows: Rows = {};
      const measure = async (name: string, fn: string, event: object, openid: string | null) => {
        const ms: number[] = [];
        const reqs: number[] = [];
        for (let k = 0; k < 40; k++) {
          const before = cloud.stats().wireTotal;
          const t = performance.now();
          const body = await callAs(cloud.url, fn, event, openid);
          if (body.code !== 0) throw new Error(`${fn}: ${JSON.stringify(body)}`);
          ms.push(performance.now() - t);
          reqs.push(cloud.stats().wireTotal - before);
        }
        rows[name] = { p50: percentile(ms.slice(1), 50), p95: percentile(ms.slice(1), 95), requests: percentile(reqs.slice(1), 50) };
      };
      await measure('workbench, city (5 districts)', 'workbench', {}, 'bench-city-organiser');
      await measure('workbench, street (10 communities)', 'workbench', {}, 'bench-street-organiser');
      await measure('publicResults, city', 'publicResults', {}, null);
      await measure('publicResults, street', 'publicResults', { orgId: 'd0s0' }, null);
      console.log(
        `\nsupervision: ${size} wishes over ${orgs.length} organisations (${docs.length} figures documents); fill ${fillS.toFixed(1)} s`,
      );
      for (const [name, r] of Object.entries(rows))
        console.log(
          `${name.padEnd(36)} p50 ${r.p50.toFixed(1)} ms   p95 ${r.p95.toFixed(1)} ms   database requests per call ${r.requests}`,
        );
      return rows;
    }
  } finally {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

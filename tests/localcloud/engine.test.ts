/**
 * The SQL engine under the wire (localcloud/db/engine.ts): PGlite here, the PostgreSQL server at DATABASE_URL in the
 * second pass of `npm test`. SQL narrows and orders, mingo decides: every page must be the page mingo computes over
 * all documents (the reference), whatever the data holds; conditional updates are compare-and-set; duplicates answer
 * CloudBase's code; `npm run migrate-db` moves a NeDB data folder.
 */
import Datastore from '@seald-io/nedb';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { find, update } from 'mingo';
import { DbError, Engine } from '../../localcloud/db/engine';
import { migrateNedb } from '../../localcloud/db/migrate';

const ROOT = join(__dirname, '../..');
let dir: string;
let engine: Engine;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wish-engine-'));
  engine = await Engine.open(dir);
  await engine.clear(); // a PostgreSQL schema left by an earlier run of this folder name
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A seeded pseudo-random sequence (the failures reproduce). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('index-served paging returns the pages mingo computes', () => {
  const docs: Array<Record<string, unknown> & { _id: string }> = [];

  beforeAll(async () => {
    const rnd = random(42);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const MISSING = Symbol('missing');
    // Mixed types on purpose: ties, null and missing fields, numbers and strings in one field, and now and then an
    // object, array or boolean in a sort field (MongoDB orders those its own way: the engine must notice).
    const rank = () => pick<unknown>([1, 2, 2, 3, 5, 5, 8, 13, 2.5, -1, 0, 'a', 'b', 'B', '急', null, MISSING, 7, 7, 7]);
    const odd = () => pick<unknown>([true, false, { x: 1 }, [3, 1]]);
    for (let i = 0; i < 600; i++) {
      const d: Record<string, unknown> & { _id: string } = { _id: `w${String(1000 + Math.floor(rnd() * 9000))}-${i}` };
      const fields: Record<string, unknown> = {
        orgId: pick<unknown>(['o1', 'o1', 'o2', 'o3', 42, null, MISSING]),
        status: pick<unknown>(['published', 'published', 'claimed', 'closed', MISSING]),
        boardRank: i % 97 === 0 ? odd() : rank(),
        createdAt: pick<unknown>([
          `2026-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}T00:00:00.000Z`,
          '2026-05-05T00:00:00.000Z',
          MISSING,
          5,
        ]),
        updatedAt: `2026-11-${10 + Math.floor(rnd() * 20)}T0${Math.floor(rnd() * 9)}:00:00.000Z`,
        title: pick(['帮我修水管', '陪我聊天', 'fix the tap', 'read to me']),
        claim: rnd() < 0.5 ? { memberId: pick(['m1', 'm2']), promisedBy: pick(['2026-12-01', '2026-12-02']) } : undefined,
        photos: rnd() < 0.3 ? [pick(['f1', 'f2', 'f3']), pick(['f1', 'f4'])] : undefined,
      };
      for (const [k, v] of Object.entries(fields)) if (v !== MISSING && v !== undefined) d[k] = v;
      docs.push(d);
    }
    await engine.create('wishes');
    for (let i = 0; i < docs.length; i += 100) await engine.get('wishes').insert(docs.slice(i, i + 100));
  });

  const reference = (query: Record<string, unknown>, sort: Record<string, 1 | -1>, skip: number, limit: number) =>
    (find(docs, query).sort(sort).skip(skip).limit(limit).all() as Array<{ _id: string }>).map((d) => d._id);

  const cases: Array<[string, Record<string, unknown>, Record<string, 1 | -1>]> = [
    ['board: one org, published, urgent first', { orgId: 'o1', status: 'published' }, { boardRank: -1, _id: -1 }],
    ['board ascending', { orgId: 'o1', status: 'published' }, { boardRank: 1, _id: 1 }],
    ['several orgs ($in)', { orgId: { $in: ['o1', 'o2', 42] }, status: 'published' }, { boardRank: -1, _id: -1 }],
    // Split on the $in (one index walk per organisation, merged): the ledger over a subtree.
    [
      'several orgs, all statuses, newest first ($in split per value)',
      { orgId: { $in: ['o1', 'o2', 'o3', 'o1'] } },
      { createdAt: -1, _id: -1 },
    ],
    [
      'several orgs and a status, oldest first ($in split)',
      { orgId: { $in: ['o3', 'o2'] }, status: 'published' },
      { boardRank: 1, _id: 1 },
    ],
    [
      'several orgs and a residual filter ($in split, pages refilled)',
      { orgId: { $in: ['o1', 'o3'] }, title: { $regex: '^帮' } },
      { createdAt: -1, _id: -1 },
    ],
    ['an org, all statuses, newest first (numbers among the dates)', { orgId: 'o2' }, { createdAt: -1, _id: -1 }],
    ['a range on the sort field', { status: 'published', updatedAt: { $gte: '2026-11-15', $lt: '2026-11-25' } }, { updatedAt: 1, _id: 1 }],
    ['a residual filter the index cannot see (regex)', { orgId: 'o1', title: { $regex: '^帮' } }, { createdAt: -1, _id: -1 }],
    [
      'a residual filter that rejects most rows',
      { status: 'published', 'claim.memberId': 'm2', title: 'read to me' },
      { updatedAt: 1, _id: 1 },
    ],
    ['null matches missing and null', { orgId: null }, { boardRank: 1, _id: 1 }],
    ['a number in a string field', { orgId: 42 }, { createdAt: 1, _id: 1 }],
    ['an $or of two served branches', { $or: [{ orgId: 'o3' }, { status: 'closed' }] }, { createdAt: -1, _id: 1 }],
    ['an element of an array field', { photos: 'f1' }, { updatedAt: -1, _id: -1 }],
    ['a dotted path', { 'claim.memberId': 'm1' }, { 'claim.promisedBy': 1, updatedAt: -1, _id: 1 }],
    ['no filter at all', {}, { boardRank: -1, _id: 1 }],
    // server/store.ts listDocs: the next page after the cursor (boardRank 'a', _id w5000), as the board asks for it.
    [
      'a page cursor ($or of "before the key" and "same key, before the id")',
      {
        $and: [
          { orgId: { $in: ['o1', 'o2'] }, status: 'published' },
          { $or: [{ boardRank: { $lt: 'b' } }, { boardRank: 'b', _id: { $lt: 'w5000' } }] },
        ],
      },
      { boardRank: -1, _id: -1 },
    ],
    [
      'a page cursor on one org',
      {
        $and: [
          { orgId: 'o1', status: 'published' },
          { $or: [{ createdAt: { $gt: '2026-05' } }, { createdAt: '2026-05', _id: { $gt: 'w5000' } }] },
        ],
      },
      { createdAt: 1, _id: 1 },
    ],
  ];

  it.each(cases)('%s', async (_name, query, sort) => {
    const total = find(docs, query).all().length;
    expect(total).toBeGreaterThan(0); // the case tests something
    for (const [skip, limit] of [
      [0, 7],
      [7, 7],
      [0, 20],
      [14, 20],
      [total - 3, 10],
      [0, 1000],
    ] as Array<[number, number]>) {
      const page = await engine.get('wishes').find(query, { sort, skip: Math.max(0, skip), limit });
      expect(page.map((d) => d._id)).toEqual(reference(query, sort, Math.max(0, skip), limit));
    }
    expect(await engine.get('wishes').count(query)).toBe(total);
  });

  it('a board page walks the declared index: no sort step in the plan', async () => {
    // Its own folder: the random data above puts arrays in boardRank now and then, which takes it off the btree.
    await withWishes(
      Array.from({ length: 300 }, (_, i) => ({
        _id: `w${i}`,
        orgId: `o${i % 3}`,
        status: i % 2 ? 'published' : 'claimed',
        boardRank: `r${i % 17}`,
        createdAt: `2026-11-${10 + (i % 20)}`,
      })),
      expectPlans,
    );
  });

  it('a query walks the index declared for it, not another that one of its conditions matches (no statistics on PGlite)', async () => {
    // The open-claims count at claim: {claim.memberId, status: 'claimed'} is declared on (claim.memberId, updatedAt).
    // Without statistics PostgreSQL took a status index just as readily, and walked every claimed wish.
    const docs = Array.from({ length: 3000 }, (_, i) => ({
      _id: `w${i}`,
      orgId: `o${i % 3}`,
      status: i % 3 ? 'claimed' : 'published',
      claim: i % 3 ? { memberId: `m${i % 40}`, promisedBy: `2026-12-${10 + (i % 20)}` } : null,
      updatedAt: `2026-11-${10 + (i % 20)}`,
    }));
    await withWishes(docs, async (plain) => {
      const query = { 'claim.memberId': 'm7', status: 'claimed' };
      const plan = await plain.get('wishes').explain(query, {});
      expect(plan).toMatch(/Index Cond: .*\{claim,memberId\}/);
      expect(plan).not.toMatch(/Index Cond: .*\{status\}/);
      expect(plan).toMatch(/Filter: .*\{status\}/); // the other condition is still checked in SQL
      expect(await plain.get('wishes').count(query)).toBe(find(docs, query).all().length);
      expect(await plain.get('wishes').count({ 'claim.memberId': 'm7', status: 'published' })).toBe(0);
      // An $or whose branches the primary key and a declared index serve: each branch keeps its own index.
      const either = { $or: [{ _id: 'w3' }, query] };
      expect(await plain.get('wishes').explain(either, {})).not.toMatch(/Seq Scan/);
      expect(await plain.get('wishes').count(either)).toBe(find(docs, either).all().length);
    });
  });

  /** A fresh engine in its own folder holding just `docs` as wishes, for `fn`. */
  async function withWishes(docs: Array<Record<string, unknown>>, fn: (engine: Engine) => Promise<void>) {
    const own = mkdtempSync(join(tmpdir(), 'wish-plan-'));
    const plain = await Engine.open(own);
    try {
      await plain.clear();
      await plain.create('wishes');
      await plain.get('wishes').insert(docs);
      await fn(plain);
    } finally {
      await plain.close();
      rmSync(own, { recursive: true, force: true });
    }
  }

  async function expectPlans(engine: Engine) {
    const plan = await engine.get('wishes').explain({ orgId: 'o1', status: 'published' }, { sort: { boardRank: -1, _id: -1 }, limit: 20 });
    expect(plan).toMatch(/Index Scan/);
    expect(plan).not.toMatch(/Sort/);
    const cursor = {
      $and: [{ orgId: 'o1', status: 'published' }, { $or: [{ boardRank: { $lt: 'b' } }, { boardRank: 'b', _id: { $lt: 'w5000' } }] }],
    };
    const next = await engine.get('wishes').explain(cursor, { sort: { boardRank: -1, _id: -1 }, limit: 21 });
    expect(next).toMatch(/Index Scan/);
    expect(next).not.toMatch(/Sort/);
    expect(next).toMatch(/Index Cond: .*<= 'b'/); // the walk starts at the cursor, not at the top of the board
    const ledger = await engine.get('wishes').explain({ orgId: 'o2' }, { sort: { createdAt: -1 }, limit: 20 });
    expect(ledger).toMatch(/Index Scan/);
    expect(ledger).not.toMatch(/Sort/);
  }
});

describe('writes', () => {
  beforeAll(async () => {
    if (!engine.has('claims')) await engine.create('claims');
  });

  it('of two (ten) concurrent conditional updates on {_id, version}, exactly one wins', async () => {
    const c = engine.get('claims');
    for (let round = 0; round < 5; round++) {
      const _id = `race-${round}`;
      await c.insert([{ _id, version: 1, claim: null }]);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          c.modify(
            { _id, version: 1 },
            { operators: { $set: { version: 2, claim: `m${i}` }, $inc: { claims: 1 } } },
            { multi: false, upsert: false },
          ),
        ),
      );
      expect(results.filter((r) => r.updated === 1)).toHaveLength(1);
      const [stored] = await c.find({ _id });
      expect(stored).toMatchObject({ version: 2, claims: 1 });
      expect(results.find((r) => r.updated === 1)!.docs[0]!.claim).toBe(stored!.claim);
    }
  });

  it('a taken _id answers DATABASE_DUPLICATE_WRITE and writes none of the batch', async () => {
    const c = engine.get('claims');
    await c.insert([{ _id: 'dup', n: 1 }]);
    const err = await c.insert([{ _id: 'fresh-1' }, { _id: 'dup', n: 2 }]).catch((e) => e);
    expect(err).toBeInstanceOf(DbError);
    expect((err as DbError).code).toBe('DATABASE_DUPLICATE_WRITE');
    expect((err as DbError).message).toMatch(/E11000 duplicate key error collection: claims index: _id_/);
    expect(await c.find({ _id: { $in: ['fresh-1', 'dup'] } })).toEqual([{ _id: 'dup', n: 1 }]);
    // The same _id twice in one batch, too.
    await expect(c.insert([{ _id: 'twice' }, { _id: 'twice' }])).rejects.toMatchObject({ code: 'DATABASE_DUPLICATE_WRITE' });
  });

  it('a statement run again (a prepared statement on PGlite) answers as the first run did, its errors included', async () => {
    const c = engine.get('claims');
    await c.insert([{ _id: 'again', n: 0 }]);
    for (let i = 1; i <= 8; i++) {
      await expect(c.insert([{ _id: 'again', n: i }])).rejects.toMatchObject({ code: 'DATABASE_DUPLICATE_WRITE' });
      const r = await c.modify({ _id: 'again', n: i - 1 }, { operators: { $inc: { n: 1 } } }, { multi: false, upsert: false });
      expect(r.docs.map((d) => d.n)).toEqual([i]);
      expect(await c.find({ _id: 'again' })).toEqual([{ _id: 'again', n: i }]);
    }
    await engine.driver.tx(async (t) => {
      for (let i = 0; i < 3; i++) expect((await t.query('SELECT $1::int + 1 AS v', [i])).rows).toEqual([{ v: i + 1 }]);
    });
  });

  it('dates, nested documents and arrays come back as they went in; an unchanged update counts 0', async () => {
    const c = engine.get('claims');
    const at = new Date('2026-11-30T08:00:00.000Z');
    await c.insert([{ _id: 'shape', at, nested: { a: [1, { b: 'x' }], n: null }, list: ['x', 2] }]);
    expect((await c.find({ _id: 'shape' }))[0]).toEqual({ _id: 'shape', at, nested: { a: [1, { b: 'x' }], n: null }, list: ['x', 2] });
    expect((await c.find({ at: { $gt: new Date('2026-01-01') } })).map((d) => d._id)).toEqual(['shape']);
    expect((await c.modify({ _id: 'shape' }, { operators: { $set: { list: ['x', 2] } } }, { multi: false, upsert: false })).updated).toBe(
      0,
    );
  });
});

describe('an update is one statement when SQL can decide it (compileUpdate), and means what mingo means', () => {
  beforeAll(async () => {
    if (!engine.has('counters')) await engine.create('counters');
  });

  it('a conditional update and an $inc each reach the database as ONE query, with no transaction around it', async () => {
    const c = engine.get('counters');
    await c.insert([{ _id: 'one', version: 1, timeline: ['a'], f: { n: 1 } }]);
    const tx = jest.spyOn(engine.driver, 'tx');
    const query = jest.spyOn(engine.driver, 'query');
    try {
      const r = await c.modify(
        { _id: 'one', version: 1 },
        {
          operators: {
            $set: { version: 2, claim: { by: 'm1', at: new Date('2026-01-02T00:00:00.000Z') } },
            $push: { timeline: { $each: ['b'] } },
            $inc: { 'f.n': 2 },
          },
        },
        { multi: false, upsert: false },
      );
      expect(r.updated).toBe(1);
      expect(tx).not.toHaveBeenCalled();
      expect(query).toHaveBeenCalledTimes(1);
      expect(r.docs[0]).toEqual({
        _id: 'one',
        version: 2,
        claim: { by: 'm1', at: new Date('2026-01-02T00:00:00.000Z') },
        timeline: ['a', 'b'],
        f: { n: 3 },
      });
    } finally {
      tx.mockRestore();
      query.mockRestore();
    }
    expect(await c.find({ _id: 'one' })).toEqual([
      { _id: 'one', version: 2, claim: { by: 'm1', at: new Date('2026-01-02T00:00:00.000Z') }, timeline: ['a', 'b'], f: { n: 3 } },
    ]);
  });

  it('40 concurrent $inc on one document sum exactly; a conditional $inc (a PIN-try counter) stops at its bound', async () => {
    const c = engine.get('counters');
    await c.insert([
      { _id: 'sum', count: 0 },
      { _id: 'pin', failures: 0, lockedUntil: null },
    ]);
    const incs = await Promise.all(
      Array.from({ length: 40 }, () =>
        c.modify({ _id: 'sum' }, { operators: { $inc: { count: 1, 'by.day': 0.5 } } }, { multi: false, upsert: false }),
      ),
    );
    expect(incs.every((r) => r.updated === 1)).toBe(true);
    expect(incs.map((r) => r.docs[0]!.count).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await c.find({ _id: 'sum' })).toEqual([{ _id: 'sum', count: 40, by: { day: 20 } }]);
    const tries = await Promise.all(
      Array.from({ length: 12 }, () =>
        c.modify(
          { _id: 'pin', failures: { $lt: 5 }, lockedUntil: null },
          { operators: { $inc: { failures: 1 } } },
          { multi: false, upsert: false },
        ),
      ),
    );
    expect(tries.filter((r) => r.updated === 1)).toHaveLength(5);
    expect((await c.find({ _id: 'pin' }))[0]).toEqual({ _id: 'pin', failures: 5, lockedUntil: null });
  });

  it('a multi update over $in with marks ($exists false), $inc, $set and $unset: the documents mingo would change, changed as mingo would', async () => {
    const c = engine.get('counters');
    const docs = [
      { _id: 'fa', f: { n: 1 }, e: { h9: { x: true }, h2: { y: true } } },
      { _id: 'fb', f: { n: 0.1 }, e: { h10: { s: true } } }, // already marked: not matched
      { _id: 'fc' }, // nothing yet: every field made
      { _id: 'fd', f: [{ n: 1 }], e: {} }, // an array on the $inc path: mingo decides (an odd row)
      { _id: 'fe', f: { n: 'x' } }, // a string to $inc: MongoDB's refusal
      { _id: 'ff', f: { n: 2 }, e: 'marked' }, // a parent that is not an object: mingo decides
    ];
    await c.insert(docs.map((d) => structuredClone(d)));
    const ops = { $inc: { 'f.n': 0.2, 'f.m': 1 }, $set: { 'e.h10.s': true }, $unset: { 'e.h2': '' } };
    const query = { _id: { $in: ['fa', 'fb', 'fc', 'fd', 'ff'] }, 'e.h10.s': { $exists: false } };
    const r = await c.modify(query, { operators: ops }, { multi: true, upsert: false });
    // The reference: mingo over the same documents.
    const expected = structuredClone(docs).filter((d) => d._id !== 'fe');
    let changed = 0;
    for (const d of find(expected, query).all() as typeof expected) {
      const before = JSON.stringify(d);
      update(d, ops as never);
      if (JSON.stringify(d) !== before) changed++;
    }
    expect(r.updated).toBe(changed);
    expect(await c.find({ _id: { $in: expected.map((d) => d._id) } }, { sort: { _id: 1 } })).toEqual(expected);
    expect((await c.find({ _id: 'fc' }))[0]).toEqual({ _id: 'fc', f: { n: 0.2, m: 1 }, e: { h10: { s: true } } });
    expect((await c.find({ _id: 'fa' }))[0]!.f).toEqual({ n: 1.2, m: 1 });
    // A non-number under $inc: refused with MongoDB's words, and the document is left as it was.
    const err = await c.modify({ _id: 'fe' }, { operators: { $inc: { 'f.n': 1 } } }, { multi: false, upsert: false }).catch((e) => e);
    expect(err).toBeInstanceOf(DbError);
    expect(err).toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
    expect((err as Error).message).toMatch(/Cannot apply \$inc to a value of non-numeric type.*'f\.n' of non-numeric type string/);
    expect(await c.find({ _id: 'fe' })).toEqual([{ _id: 'fe', f: { n: 'x' } }]);
  });

  it('the array operators ($push with $slice, $addToSet, $pull, $pullAll) are one statement and change what mingo changes', async () => {
    const c = engine.get('counters');
    const base = {
      list: ['a', 'b', 'c', 1, 2.0],
      pending: [{ id: 'x', k: 1 }, { id: 'y' }, { id: ['x', 'z'] }, 'str', { other: 1 }, { id: null }],
      rate: { claim: { a: [7, 7, 8], b: [6] } },
    };
    const cases: Array<Record<string, unknown>> = [
      { $push: { list: { $each: ['d', 'e'], $slice: -3 } } },
      { $push: { list: { $each: ['d'], $slice: 0 } } },
      { $push: { list: { $each: ['d'], $slice: -10 } } },
      { $addToSet: { list: 'a' } },
      { $addToSet: { list: { $each: ['a', 'z', 'z', 2] } } },
      { $addToSet: { missing: 'q' } },
      { $pull: { list: 'b' } },
      { $pull: { list: { $in: ['a', 1] } } },
      { $pull: { pending: { id: { $in: ['x'] } } } },
      { $pull: { pending: { id: 'y', k: 1 } } },
      { $pull: { pending: { id: 'nothing' } } },
      { $pullAll: { list: ['a', 2] } },
      {
        $push: { 'rate.claim.a': { $each: [9], $slice: -3 } },
        $unset: { 'rate.claim.b': '' },
        $addToSet: { ids: 'w1' },
        $set: { 'at.w1': 'x' },
      },
    ];
    const query = jest.spyOn(engine.driver, 'query');
    const tx = jest.spyOn(engine.driver, 'tx');
    try {
      for (const [i, ops] of cases.entries()) {
        const _id = `arr${i}`;
        await c.insert([{ _id, ...structuredClone(base) }]);
        const expected = { _id, ...structuredClone(base) } as Record<string, unknown>;
        const before = JSON.stringify(expected);
        update(expected, ops as never);
        query.mockClear();
        tx.mockClear();
        const r = await c.modify({ _id }, { operators: ops }, { multi: false, upsert: false });
        expect([i, query.mock.calls.length, tx.mock.calls.length]).toEqual([i, 1, 0]);
        expect([i, r.updated]).toEqual([i, JSON.stringify(expected) === before ? 0 : 1]);
        expect([i, (await c.find({ _id }))[0]]).toEqual([i, expected]);
      }
    } finally {
      query.mockRestore();
      tx.mockRestore();
    }
    // On a missing field MongoDB creates the array and then slices it ($push: "If the field is absent … $push adds the
    // array field with the value as its element"; $slice applies to the result); mingo 7 leaves all three there.
    await c.insert([{ _id: 'arr-missing' }]);
    await c.modify(
      { _id: 'arr-missing' },
      { operators: { $push: { missing: { $each: [1, 2, 3], $slice: -2 } } } },
      { multi: false, upsert: false },
    );
    expect((await c.find({ _id: 'arr-missing' }))[0]).toEqual({ _id: 'arr-missing', missing: [2, 3] });
    // Forms SQL does not decide ($position, a positive $slice, a dotted $pull condition, a document to $addToSet) take the read path, with mingo's result.
    for (const ops of [
      { $push: { list: { $each: ['d'], $position: 0 } } },
      { $push: { list: { $each: ['d'], $slice: 2 } } },
      { $pull: { pending: { 'id.x': 'y' } } },
      { $addToSet: { pending: { id: 'y' } } },
    ]) {
      const _id = `arr-read-${JSON.stringify(ops).length}`;
      await c.insert([{ _id, ...structuredClone(base) }]);
      const expected = { _id, ...structuredClone(base) } as Record<string, unknown>;
      update(expected, ops as never);
      await c.modify({ _id }, { operators: ops }, { multi: false, upsert: false });
      expect((await c.find({ _id }))[0]).toEqual(expected);
    }
  });

  it("the figures' keys (`:`, `-`, Chinese) and the delivery marks' effect ids are one statement; a quote in a key takes the read path", async () => {
    const c = engine.get('counters');
    const doc = { _id: 'keys', f: { 'status:claimed': 1 }, e: { h10: { 'w-1': true } }, openClaimIds: ['w0'] };
    await c.insert([structuredClone(doc)]);
    const query = { _id: 'keys', 'e.h11.w-2': { $exists: false }, openClaimIds: { $exists: true } };
    const ops = { $inc: { 'f.status:claimed': 1, 'f.category:生活帮扶': 1 }, $set: { 'e.h11.w-2': true }, $unset: { 'e.h9': '' } };
    const expected = structuredClone(doc) as Record<string, unknown>;
    update(expected, ops as never);
    const spy = jest.spyOn(engine.driver, 'query');
    try {
      expect((await c.modify(query, { operators: ops }, { multi: false, upsert: false })).updated).toBe(1);
      expect(spy).toHaveBeenCalledTimes(1); // `$exists` on an array field (openClaimIds) is decided in SQL too
    } finally {
      spy.mockRestore();
    }
    expect((await c.find({ _id: 'keys' }))[0]).toEqual(expected);
    const quoted = { $inc: { "f.it's": 1 } };
    update(expected, quoted as never);
    const tx = jest.spyOn(engine.driver, 'tx');
    try {
      await c.modify({ _id: 'keys' }, { operators: quoted }, { multi: false, upsert: false });
      expect(tx).toHaveBeenCalledTimes(1); // the read path: a transaction of its own
    } finally {
      tx.mockRestore();
    }
    expect((await c.find({ _id: 'keys' }))[0]).toEqual(expected);
  });

  it('filters SQL decides match what mingo matches: arrays on the path, null and missing, numbers of both kinds', async () => {
    const c = engine.get('counters');
    const docs = [
      { _id: 'q1', s: 'a', n: 1, b: true },
      { _id: 'q2', s: ['a', 'b'], n: 1.0, b: false }, // an array: mingo matches {s: 'a'} against its elements
      { _id: 'q3', s: null, n: 2 },
      { _id: 'q4', n: '1' },
      { _id: 'q5', s: { a: 1 }, n: 0.5, nested: { v: null } },
    ];
    await c.insert(docs.map((d) => structuredClone(d)));
    const ids = docs.map((d) => d._id);
    const filters: Array<Record<string, unknown>> = [
      { s: 'a' },
      { s: null },
      { n: 1 },
      { n: { $gte: 1, $lt: 2 } },
      { b: false },
      { s: { $exists: false } },
      { 'nested.v': null },
      { 'nested.v': { $exists: true } },
      { s: { $eq: 'b' } },
    ];
    for (const [i, f] of filters.entries()) {
      const query = { _id: { $in: ids }, ...f };
      const want = (find(docs, query).all() as Array<{ _id: string }>).map((d) => d._id).sort();
      const r = await c.modify(query, { operators: { $inc: { [`hit${i}`]: 1 } } }, { multi: true, upsert: false });
      expect([JSON.stringify(f), r.docs.map((d) => d._id).sort()]).toEqual([JSON.stringify(f), want]);
    }
  });
});

describe('npm run migrate-db', () => {
  async function nedbFolder() {
    const data = mkdtempSync(join(tmpdir(), 'wish-migrate-'));
    const wishes = new Datastore({ filename: join(data, 'db', 'wishes.db') });
    await wishes.loadDatabaseAsync();
    await wishes.insertAsync([
      { _id: 'a', orgId: 'o1', status: 'published', boardRank: 3, at: new Date('2026-10-01T00:00:00.000Z'), photos: ['f1'] },
      { _id: 'b', orgId: 'o1', status: 'published', boardRank: 5 },
      { _id: 'gone', orgId: 'o1' },
    ]);
    await wishes.updateAsync({ _id: 'b' }, { $set: { status: 'claimed' } }, {});
    await wishes.removeAsync({ _id: 'gone' }, {});
    const users = new Datastore({ filename: join(data, 'db', 'users.db') });
    await users.loadDatabaseAsync();
    await users.insertAsync({ _id: 'u1', role: 'member', orgId: 'o1' });
    return data;
  }

  it('moves every live document of a NeDB data folder, once', async () => {
    const data = await nedbFolder();
    const target = await Engine.open(data);
    try {
      await target.clear();
      expect(await migrateNedb(data, target)).toEqual({ wishes: 2, users: 1 });
      expect(await target.get('wishes').find({}, { sort: { _id: 1 } })).toEqual([
        { _id: 'a', orgId: 'o1', status: 'published', boardRank: 3, at: new Date('2026-10-01T00:00:00.000Z'), photos: ['f1'] },
        { _id: 'b', orgId: 'o1', status: 'claimed', boardRank: 5 },
      ]);
      expect((await target.get('wishes').find({ photos: 'f1' })).map((d) => d._id)).toEqual(['a']);
      expect(await target.get('users').find({ orgId: 'o1', role: 'member' })).toEqual([{ _id: 'u1', role: 'member', orgId: 'o1' }]);
      expect(existsSync(join(data, 'db'))).toBe(false);
      expect(existsSync(join(data, 'db.nedb-migrated', 'wishes.db'))).toBe(true);
    } finally {
      await target.close();
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('the command refuses to overwrite documents already in the engine, and --replace does', async () => {
    const data = await nedbFolder();
    try {
      const first = await Engine.open(data);
      await first.clear();
      await first.create('wishes');
      await first.get('wishes').insert([{ _id: 'already' }]);
      await first.close();
      const run = (...args: string[]) =>
        // env: this file's own (jest's per-file copy), so the command sees the DATABASE_URL a ·pg project sets.
        spawnSync('npx', ['tsx', 'scripts/migrate-db.ts', '--data', data, ...args], { cwd: ROOT, encoding: 'utf8', env: process.env });
      const refused = run();
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/already holds documents in wishes/);
      const moved = run('--replace');
      expect(moved.stdout).toMatch(/moved 3 documents/);
      expect(moved.status).toBe(0);
      const after = await Engine.open(data);
      expect((await after.get('wishes').find({}, { sort: { _id: 1 } })).map((d) => d._id)).toEqual(['a', 'b']);
      await after.close();
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);
});

// PGlite has no checkpointer (single-user PostgreSQL): without the driver's periodic CHECKPOINT its write-ahead log
// grows without end, and an unclean stop replays all of it. A PostgreSQL server checkpoints by itself.
(process.env.DATABASE_URL ? describe.skip : describe)('PGlite checkpoints what was written', () => {
  it('a checkpoint follows writes within the interval, and none is made while nothing is written', async () => {
    const data = mkdtempSync(join(tmpdir(), 'wish-ckpt-'));
    process.env.PGLITE_CHECKPOINT_MS = '300';
    const e = await Engine.open(data);
    delete process.env.PGLITE_CHECKPOINT_MS;
    try {
      const redo = async () =>
        (await e.driver.query<{ redo_lsn: string }>('SELECT redo_lsn::text FROM pg_control_checkpoint()')).rows[0]!.redo_lsn;
      const lsn = (s: string) => s.split('/').reduce((a, h) => a * 2 ** 32 + parseInt(h, 16), 0);
      await e.create('wishes');
      // The log position right after the write, read in its transaction (no checkpoint can come between them).
      const wrote = await e.driver.tx(async (c) => {
        await c.query(`INSERT INTO localcloud.wishes (_id, doc) SELECT 'w' || g, '{"status":"published"}' FROM generate_series(1, 50) g`);
        return (await c.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]!.lsn;
      });
      await new Promise((r) => setTimeout(r, 1200));
      const after = await redo();
      expect(lsn(after)).toBeGreaterThanOrEqual(lsn(wrote));
      await new Promise((r) => setTimeout(r, 900));
      expect(await redo()).toBe(after); // reads only: no checkpoint
    } finally {
      await e.close();
      rmSync(data, { recursive: true, force: true });
    }
  }, 60_000);
});

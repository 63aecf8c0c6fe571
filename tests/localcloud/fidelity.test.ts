/**
 * Fidelity of the local cloud to CloudBase, through the real @cloudbase/node-sdk (the same client the
 * functions use). Each test states what the SDK gets back from CloudBase (shared/cloudbase-wire.md and
 * docs/localcloud.md) and checks the local cloud answers the same way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud, type LocalCloud } from '../../localcloud';
import { signedHeaders } from './signed';

let cloud: LocalCloud;
let dir: string;
let app: ReturnType<typeof tcb.init>;
let db: ReturnType<ReturnType<typeof tcb.init>['database']>;

async function open(port = 0) {
  cloud = await startLocalCloud({ port, dataDir: dir, quiet: true, seed: false });
  app = tcb.init({
    env: 'local',
    secretId: cloud.credentials.secretId,
    secretKey: cloud.credentials.secretKey,
    serviceUrl: `${cloud.url}/tcb`,
    timeout: 5000,
  });
  db = app.database();
}

/** The error an SDK call rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<{ code?: unknown; message?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: unknown; message?: string };
  }
  throw new Error('expected the call to reject');
}

beforeAll(async () => {
  process.env.TENCENTCLOUD = 'true'; // skips the SDK's metadata probes (see the wire notes, §6)
  dir = mkdtempSync(join(tmpdir(), 'wish-fidelity-'));
  await open();
  await db.createCollection('things');
  await db.createCollection('race');
});

afterAll(async () => {
  await cloud.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('collections', () => {
  test('a missing collection is DATABASE_COLLECTION_NOT_EXIST; creating one twice is DATABASE_COLLECTION_ALREADY_EXIST', async () => {
    expect((await rejection(db.collection('nope').get())).code).toBe('DATABASE_COLLECTION_NOT_EXIST');
    expect((await rejection(db.collection('nope').add({ a: 1 }))).code).toBe('DATABASE_COLLECTION_NOT_EXIST');
    expect((await rejection(db.createCollection('things'))).code).toBe('DATABASE_COLLECTION_ALREADY_EXIST');
  });
});

describe('insert and read', () => {
  test('add returns a server-made 32-hex id; values, dates and nulls come back as they went in', async () => {
    const when = new Date('2026-11-24T08:00:00.000Z');
    const r = (await db.collection('things').add({ title: '陪聊', n: 3, x: 1.5, big: 2 ** 40, when, nul: null, tags: ['a', 'b'] })) as {
      id: string;
    };
    expect(r.id).toMatch(/^[0-9a-f]{32}$/);
    const got = await db.collection('things').doc(r.id).get();
    expect(got.data).toHaveLength(1);
    const doc = got.data[0];
    expect(doc).toEqual({ _id: r.id, title: '陪聊', n: 3, x: 1.5, big: 2 ** 40, when, nul: null, tags: ['a', 'b'] });
    expect(doc.when).toBeInstanceOf(Date);
  });

  test('an array add returns ids in order; a duplicate _id is DATABASE_DUPLICATE_WRITE and writes nothing', async () => {
    const r = (await db.collection('things').add([
      { _id: 'dup-1', k: 'first' },
      { _id: 'dup-2', k: 'second' },
    ])) as unknown as { ids: string[] };
    expect(r.ids).toEqual(['dup-1', 'dup-2']);
    const e = await rejection(db.collection('things').add({ _id: 'dup-1', k: 'again' }));
    expect(e.code).toBe('DATABASE_DUPLICATE_WRITE');
    expect(e.message).toMatch(/E11000/);
    expect((await db.collection('things').doc('dup-1').get()).data[0].k).toBe('first');
  });

  test('serverDate is the server clock', async () => {
    const before = Date.now();
    const { id } = (await db.collection('things').add({ stamped: db.serverDate() })) as { id: string };
    const doc = (await db.collection('things').doc(id).get()).data[0];
    expect(doc.stamped).toBeInstanceOf(Date);
    expect(doc.stamped.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(doc.stamped.getTime()).toBeLessThanOrEqual(Date.now() + 5);
  });

  test('a missing document reads as an empty list, not an error', async () => {
    expect((await db.collection('things').doc('no-such-doc').get()).data).toEqual([]);
  });
});

describe('queries', () => {
  beforeAll(async () => {
    const docs = Array.from({ length: 12 }, (_, i) => ({
      _id: `q-${String(i).padStart(2, '0')}`,
      group: 'q',
      n: i,
      cat: i % 3 === 0 ? '生活帮扶' : '助学圆梦',
      at: `2026-11-${String(10 + i).padStart(2, '0')}`,
      owner: { id: i % 2 ? 'odd' : 'even', name: `人${i}` },
      tags: i % 4 === 0 ? ['urgent', 'elderly'] : ['elderly'],
    }));
    await db.collection('things').add(docs);
  });

  test('comparison, set, logical, regex, nested-object and array operators filter like MongoDB', async () => {
    const _ = db.command;
    const ids = async (q: object) => (await db.collection('things').where(q).orderBy('n', 'asc').get()).data.map((d: { n: number }) => d.n);
    expect(await ids({ group: 'q', n: _.gt(8) })).toEqual([9, 10, 11]);
    expect(await ids({ group: 'q', n: _.gte(2).and(_.lt(5)) })).toEqual([2, 3, 4]);
    expect(await ids({ group: 'q', n: _.in([1, 5, 99]) })).toEqual([1, 5]);
    expect(await ids({ group: 'q', n: _.nin([0, 1, 2, 3, 4, 5, 6, 7, 8]) })).toEqual([9, 10, 11]);
    expect(
      await ids(
        _.or([
          { group: 'q', n: 0 },
          { group: 'q', n: _.gte(11) },
        ]),
      ),
    ).toEqual([0, 11]);
    expect(await ids({ group: 'q', cat: db.RegExp({ regexp: '^生活', options: '' }) })).toEqual([0, 3, 6, 9]);
    expect(await ids({ group: 'q', owner: { id: 'odd' }, n: _.lt(6) })).toEqual([1, 3, 5]); // nested object = dotted match
    expect(await ids({ group: 'q', 'owner.name': '人7' })).toEqual([7]);
    expect(await ids({ group: 'q', tags: 'urgent' })).toEqual([0, 4, 8]); // a scalar matches array elements
    expect(await ids({ group: 'q', tags: _.size(2), n: _.neq(0) })).toEqual([4, 8]);
    expect(await ids({ group: 'q', missing: _.exists(false), n: 3 })).toEqual([3]);
  });

  test('orderBy keys in priority order, skip, limit and field projections (include, exclude, nested)', async () => {
    const r = await db
      .collection('things')
      .where({ group: 'q' })
      .orderBy('cat', 'asc')
      .orderBy('n', 'desc')
      .skip(1)
      .limit(3)
      .field({ n: true, cat: true, 'owner.id': true })
      .get();
    // 助学圆梦 sorts before 生活帮扶 by code point; inside it n descends: 11, 10, 8, 7 … — skip 1.
    expect(r.data).toEqual([
      { _id: 'q-10', n: 10, cat: '助学圆梦', owner: { id: 'even' } },
      { _id: 'q-08', n: 8, cat: '助学圆梦', owner: { id: 'even' } },
      { _id: 'q-07', n: 7, cat: '助学圆梦', owner: { id: 'odd' } },
    ]);
    const excluded = await db.collection('things').where({ _id: 'q-01' }).field({ owner: false, tags: false }).get();
    expect(excluded.data).toEqual([{ _id: 'q-01', group: 'q', n: 1, cat: '助学圆梦', at: '2026-11-11' }]);
    const noId = await db.collection('things').where({ _id: 'q-01' }).field({ _id: false, n: true }).get();
    expect(noId.data).toEqual([{ n: 1 }]);
  });

  test('count, and the default limit of 100 a read', async () => {
    expect(
      (
        await db
          .collection('things')
          .where({ group: 'q', n: db.command.lt(4) })
          .count()
      ).total,
    ).toBe(4);
    await db.collection('things').add(Array.from({ length: 130 }, (_, i) => ({ group: 'many', i })));
    expect((await db.collection('things').where({ group: 'many' }).get()).data).toHaveLength(100);
    expect((await db.collection('things').where({ group: 'many' }).limit(1000).get()).data).toHaveLength(130);
    expect((await db.collection('things').where({ group: 'many' }).count()).total).toBe(130);
  });

  test('aggregate: match, group, sort, project', async () => {
    const $ = db.command.aggregate;
    const r = await db
      .collection('things')
      .aggregate()
      .match({ group: 'q' })
      .group({ _id: '$cat', total: $.sum('$n'), count: $.sum(1) })
      .sort({ total: -1 })
      .end();
    expect(r.data).toEqual([
      { _id: '助学圆梦', total: 48, count: 8 },
      { _id: '生活帮扶', total: 18, count: 4 },
    ]);
  });
});

describe('updates', () => {
  test('operators: inc, push, addToSet, pull, remove (unset), set (whole object) versus plain object (merge)', async () => {
    const _ = db.command;
    const { id } = (await db.collection('things').add({ n: 1, tags: ['a'], obj: { k: 1, keep: true }, gone: 'x' })) as { id: string };
    const r = await db
      .collection('things')
      .doc(id)
      .update({ n: _.inc(2), tags: _.push(['b', 'c']), gone: _.remove(), obj: { k: 2 } });
    expect(r.updated).toBe(1);
    let doc = (await db.collection('things').doc(id).get()).data[0];
    expect(doc).toEqual({ _id: id, n: 3, tags: ['a', 'b', 'c'], obj: { k: 2, keep: true } });
    await db
      .collection('things')
      .doc(id)
      .update({ obj: _.set({ only: 1 }), tags: _.pull('a') });
    await db
      .collection('things')
      .doc(id)
      .update({ tags: _.addToSet('b') });
    doc = (await db.collection('things').doc(id).get()).data[0];
    expect(doc).toEqual({ _id: id, n: 3, tags: ['b', 'c'], obj: { only: 1 } });
  });

  test('updated counts documents that changed: 0 for a missing document and for a write of equal values', async () => {
    const { id } = (await db.collection('things').add({ v: 1 })) as { id: string };
    expect((await db.collection('things').doc(id).update({ v: 1 })).updated).toBe(0);
    expect((await db.collection('things').doc('missing').update({ v: 2 })).updated).toBe(0);
    expect(
      (
        await db
          .collection('things')
          .where({ group: 'q', n: db.command.lt(3) })
          .update({ seen: true })
      ).updated,
    ).toBe(3);
  });

  test('a conditional update on {_id, version} lets exactly one of 30 concurrent writers through', async () => {
    const { id } = (await db.collection('race').add({ version: 1, winner: null })) as { id: string };
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        db
          .collection('race')
          .where({ _id: id, version: 1 })
          .update({ version: 2, winner: `w${i}` }),
      ),
    );
    const winners = results.map((r, i) => (r.updated === 1 ? i : -1)).filter((i) => i >= 0);
    expect(winners).toHaveLength(1);
    const doc = (await db.collection('race').doc(id).get()).data[0];
    expect(doc).toMatchObject({ version: 2, winner: `w${winners[0]}` });
  });

  test('doc().set replaces the document and upserts a missing one; an operator in set is refused', async () => {
    const { id } = (await db.collection('things').add({ a: 1, b: 2 })) as { id: string };
    const replaced = await db.collection('things').doc(id).set({ c: 3 });
    expect(replaced.updated).toBe(1);
    expect((await db.collection('things').doc(id).get()).data[0]).toEqual({ _id: id, c: 3 });
    const upserted = (await db.collection('things').doc('made-by-set').set({ d: 4 })) as { updated: number; upsertedId?: string };
    expect(upserted).toMatchObject({ updated: 0, upsertedId: 'made-by-set' });
    expect((await db.collection('things').doc('made-by-set').get()).data[0]).toEqual({ _id: 'made-by-set', d: 4 });
    expect(
      (
        await rejection(
          db
            .collection('things')
            .doc(id)
            .set({ c: db.command.inc(1) }),
        )
      ).code,
    ).toBe('DATABASE_REQUEST_FAILED');
  });

  test('updateAndReturn gives the updated document', async () => {
    const { id } = (await db.collection('things').add({ counter: 5 })) as { id: string };
    const r = (await db
      .collection('things')
      .where({ _id: id })
      .updateAndReturn({ counter: db.command.inc(1) })) as { updated: number; doc: { counter: number } };
    expect(r.updated).toBe(1);
    expect(r.doc).toMatchObject({ _id: id, counter: 6 });
  });

  test('remove: one document, a query, and reports how many', async () => {
    await db.collection('things').add([
      { group: 'rm', i: 1 },
      { group: 'rm', i: 2 },
      { group: 'rm', i: 3 },
    ]);
    const one = (await db.collection('things').where({ group: 'rm', i: 1 }).get()).data[0];
    expect((await db.collection('things').doc(one._id).remove()).deleted).toBe(1);
    expect((await db.collection('things').where({ group: 'rm' }).remove()).deleted).toBe(2);
    expect((await db.collection('things').where({ group: 'rm' }).count()).total).toBe(0);
  });
});

describe('what the local cloud does not implement says so', () => {
  test('transactions are refused with LOCALCLOUD.NOT_IMPLEMENTED, not silently run outside a transaction', async () => {
    const e = await rejection(
      db.runTransaction(async (t: { collection(n: string): { doc(id: string): { get(): Promise<unknown> } } }) =>
        t.collection('things').doc('x').get(),
      ),
    );
    expect(e.code).toBe('LOCALCLOUD.NOT_IMPLEMENTED');
  });

  test('an unknown wire action is refused with LOCALCLOUD.NOT_IMPLEMENTED', async () => {
    const params = { action: 'database.dropEverything' };
    // Signed with this start's pair, as the SDK would sign it (an unsigned request is refused: security.test.ts).
    const res = await fetch(`${cloud.url}/tcb`, { method: 'POST', headers: signedHeaders(cloud, params), body: JSON.stringify(params) });
    expect(res.status).toBe(200); // the SDK reads errors from the body, as CloudBase sends them
    const body = (await res.json()) as { code: string; message: string; requestId: string };
    expect(body.code).toBe('LOCALCLOUD.NOT_IMPLEMENTED');
    expect(body.message).toContain('database.dropEverything');
    expect(body.requestId).toBeTruthy();
  });

  test('a malformed query is INVALID_PARAM and changes nothing', async () => {
    const params = { action: 'database.removeDocument', collectionName: 'things', query: '{not json', multi: true };
    // Signed with this start's pair, as the SDK would sign it (an unsigned request is refused: security.test.ts).
    const res = await fetch(`${cloud.url}/tcb`, { method: 'POST', headers: signedHeaders(cloud, params), body: JSON.stringify(params) });
    expect(((await res.json()) as { code: string }).code).toBe('INVALID_PARAM');
    expect((await db.collection('things').where({ group: 'q' }).count()).total).toBe(12);
  });
});

const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');

describe('storage', () => {
  test('upload, temporary URL, download and delete through the SDK', async () => {
    const bytes = Buffer.concat([GIF, Buffer.from('照片的字节 photo bytes')]); // the local cloud stores only images
    const up = await app.uploadFile({ cloudPath: 'evidence/w1/a.jpg', fileContent: bytes });
    expect(up.fileID).toBe('cloud://local.bucket/evidence/w1/a.jpg');
    const urls = await app.getTempFileURL({ fileList: [up.fileID, 'cloud://local.bucket/evidence/none.jpg'] });
    const list = urls.fileList as Array<{ code: string; tempFileURL: string }>;
    expect(list.map((f) => f.code)).toEqual(['SUCCESS', 'STORAGE_FILE_NONEXIST']);
    const served = await fetch(list[0]!.tempFileURL);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    const down = await app.downloadFile({ fileID: up.fileID });
    expect(Buffer.from(down.fileContent as Buffer).equals(bytes)).toBe(true);
    const del = await app.deleteFile({ fileList: [up.fileID] });
    expect(del.fileList[0]?.code).toBe('SUCCESS');
    expect((await app.getTempFileURL({ fileList: [up.fileID] })).fileList[0]?.code).toBe('STORAGE_FILE_NONEXIST');
  });

  test('a path that would leave the storage folder is refused', async () => {
    expect((await rejection(app.uploadFile({ cloudPath: '../../escape.txt', fileContent: Buffer.from('x') }))).code).toBe('INVALID_PARAM');
  });
});

describe('persistence', () => {
  test('documents and indexes survive a restart of the local cloud', async () => {
    await db.collection('things').add({ _id: 'survivor', status: 'published', n: 42 });
    await cloud.close();
    await open();
    expect((await db.collection('things').doc('survivor').get()).data[0]).toEqual({ _id: 'survivor', status: 'published', n: 42 });
    expect((await db.collection('things').where({ group: 'q' }).count()).total).toBe(12);
  });
});

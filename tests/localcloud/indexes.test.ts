/**
 * The declared indexes (database/collections.json) and the local cloud's strict mode, which records or refuses a
 * query no declared index serves. The functions project runs every suite in refuse mode (jest.config.js); here the
 * rule itself is pinned, and the refusal is checked through the real SDK.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud } from '../../localcloud';
import { COLLECTIONS, DIRECT_ENV, indexName, servingIndex, takeUnindexed } from '../../localcloud/db/indexes';
import { COLLECTIONS as SEEDED } from '../../localcloud/seed';
import rules from '../../database.rules.json';

describe('which declared index serves a query', () => {
  test('equalities then the sort key, in the index order and direction (or all reversed)', () => {
    const board = { orgId: { $in: ['a', 'b'] }, status: 'published', category: '助学圆梦' };
    expect(servingIndex('wishes', board, { boardRank: -1, _id: -1 })).toBe('orgId_1_status_1_boardRank_-1');
    expect(servingIndex('wishes', { orgId: 'a', status: 'deferred' }, { reviewOn: -1, _id: -1 })).toBe('orgId_1_status_1_reviewOn_1');
    // The sort key has no index after these equalities: a full sort of the organisation's rows.
    expect(servingIndex('wishes', { orgId: 'a', status: 'published' }, { title: 1 })).toBeNull();
    // A gap: orgId, then the index wants status before createdAt; orgId_1_createdAt_-1 serves it instead.
    expect(servingIndex('wishes', { orgId: 'a' }, { createdAt: -1 })).toBe('orgId_1_createdAt_-1');
  });

  test('the primary key serves a range on _id sorted by _id (paging a whole collection), not another sort', () => {
    expect(servingIndex('figures', { _id: { $gt: 'x' } }, { _id: 1 })).toBe('_id');
    expect(servingIndex('figures', { _id: { $gt: 'x' } })).toBe('_id');
    expect(servingIndex('figures', {}, { _id: 1 })).toBeNull();
    expect(servingIndex('wishes', { _id: { $gt: 'x' } }, { createdAt: -1 })).toBeNull();
  });

  test('a range only on the field after the equalities; the index must be narrowed by its first field', () => {
    expect(
      servingIndex('wishes', { orgId: 'a', status: 'claimed', 'claim.promisedBy': { $lt: '2026-12-01' } }, { 'claim.promisedBy': 1 }),
    ).toBe('orgId_1_status_1_claim_promisedBy_1');
    expect(servingIndex('wishes', { status: 'published' }, { boardRank: -1 })).toBeNull();
    expect(servingIndex('wishes', { title: '修水龙头' })).toBeNull();
    expect(servingIndex('wishes', {})).toBeNull();
    expect(servingIndex('audit', { orgPath: { $ne: 'x' } }, { at: -1 })).toBeNull();
  });

  test('by _id is the primary key; an $or is served when every branch is', () => {
    expect(servingIndex('wishes', { _id: 'w1', version: 3 })).toBe('_id');
    expect(servingIndex('outbox', { to: 'u', _id: { $in: ['a', 'b'] } })).toBe('_id');
    const files = { $or: [{ photos: { $in: ['f'] } }, { 'fulfilment.photos': { $in: ['f'] } }, { 'timeline.photos': { $in: ['f'] } }] };
    expect(servingIndex('wishes', files)).toBe('photos_1 | fulfilment_photos_1 | timeline_photos_1');
    expect(servingIndex('wishes', { $or: [{ photos: 'f' }, { title: 'x' }] })).toBeNull();
    // A cursor page: the base filter is served, the $or on the sort key is checked on its rows.
    const page = { $and: [{ orgPath: 'o' }, { $or: [{ at: { $lt: 't' } }, { at: 't', _id: { $lt: 'i' } }] }] };
    expect(servingIndex('audit', page, { at: -1, _id: -1 })).toBe('orgPath_1_at_-1');
  });

  test('the declaration names every collection the local cloud creates and the database rules cover, and index names are unique', () => {
    expect(COLLECTIONS.map((c) => c.name).sort()).toEqual([...SEEDED].sort());
    expect(
      Object.keys(rules)
        .filter((k) => k !== '//')
        .sort(),
    ).toEqual(COLLECTIONS.map((c) => c.name).sort());
    for (const c of COLLECTIONS) {
      const names = c.indexes.map(indexName);
      expect(new Set(names).size).toBe(names.length);
      for (const i of c.indexes)
        for (const [field, dir] of i.fields)
          expect({ field, ok: typeof field === 'string' && (dir === 1 || dir === -1) }).toEqual({ field, ok: true });
    }
  });
});

describe('strict mode through the SDK', () => {
  const saved = process.env.LOCALCLOUD_STRICT_INDEXES;
  let dir: string;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOCALCLOUD_STRICT_INDEXES;
    else process.env.LOCALCLOUD_STRICT_INDEXES = saved;
    takeUnindexed();
  });

  test('refuse: an unindexed query fails with LOCALCLOUD.UNINDEXED_QUERY, an indexed one runs, the direct client is not checked', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wish-strict-'));
    const cloud = await startLocalCloud({ port: 0, dataDir: dir, quiet: true });
    try {
      process.env.TENCENTCLOUD = 'true';
      process.env.LOCALCLOUD_STRICT_INDEXES = 'refuse';
      const fn = tcb.init({ env: 'local', ...cloud.credentials, serviceUrl: `${cloud.url}/tcb` }).database();
      const direct = tcb.init({ env: DIRECT_ENV, ...cloud.credentials, serviceUrl: `${cloud.url}/tcb` }).database();
      await direct.collection('wishes').add({ _id: 'w1', orgId: 'o', status: 'published', boardRank: '0|x', title: '修水龙头' });
      const err = await fn
        .collection('wishes')
        .where({ title: '修水龙头' })
        .get()
        .then(
          () => null,
          (e: { code?: string; message?: string }) => e,
        );
      expect(err).toMatchObject({ code: 'LOCALCLOUD.UNINDEXED_QUERY' });
      expect(err!.message).toMatch(/database\/collections\.json/);
      const served = await fn.collection('wishes').where({ orgId: 'o', status: 'published' }).orderBy('boardRank', 'desc').get();
      expect(served.data.map((w: { _id: string }) => w._id)).toEqual(['w1']);
      expect((await direct.collection('wishes').where({ title: '修水龙头' }).get()).data).toHaveLength(1);
      // Updates and counts are checked too.
      await expect(fn.collection('wishes').where({ title: '修水龙头' }).update({ title: 'x' })).rejects.toMatchObject({
        code: 'LOCALCLOUD.UNINDEXED_QUERY',
      });
      await expect(fn.collection('wishes').where({ title: '修水龙头' }).count()).rejects.toMatchObject({
        code: 'LOCALCLOUD.UNINDEXED_QUERY',
      });
      expect((await direct.collection('wishes').doc('w1').get()).data[0].title).toBe('修水龙头');

      process.env.LOCALCLOUD_STRICT_INDEXES = 'record';
      takeUnindexed();
      expect((await fn.collection('wishes').where({ title: '修水龙头' }).get()).data).toHaveLength(1);
      expect(takeUnindexed()).toEqual([
        { collection: 'wishes', action: 'database.getDocument', query: { title: '修水龙头' }, order: undefined },
      ]);
    } finally {
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

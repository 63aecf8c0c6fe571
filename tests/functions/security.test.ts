import { startCloud, inDays, wishInput } from './harness';

// This suite edits organisations in the database directly: the functions must not keep them in their
// instance cache (server/store.ts ORG_TTL_MS).
process.env.ORG_CACHE_MS = '0';

let env: Awaited<ReturnType<typeof startCloud>>;
beforeAll(async () => {
  env = await startCloud();
}, 60_000);
afterAll(() => env.stop());

test('identity comes from the context: openid, role and userInfo in the event are ignored', async () => {
  const spoof = { openid: 'demo-organiser', role: 'organiser', userInfo: { openId: 'demo-organiser' }, OPENID: 'demo-organiser' };
  const w = (await env.call('collect', { ...wishInput, ...spoof }, 'demo-resident')).data;
  const stored = (await env.db.collection('wishes').doc(w._id).get()).data[0];
  expect(stored.residentId).toBe('demo-resident');
  expect(stored.enteredBy).toEqual({ role: 'resident', id: 'demo-resident' });
  expect(stored).not.toHaveProperty('openid');
  expect(stored).not.toHaveProperty('role');

  const asResident = await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', ...spoof }, 'demo-resident');
  expect(asResident.status).toBe(403);
  expect(asResident.body.code).toBe('AUTH.FORBIDDEN');
  expect((await env.db.collection('wishes').doc(w._id).get()).data[0].status).toBe('collected');

  const noIdentity = await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', ...spoof });
  expect(noIdentity.status).toBe(401);
  expect(noIdentity.body.code).toBe('AUTH.NO_IDENTITY');
  const whoami = await env.call('whoami', { ...spoof }, 'demo-resident');
  expect(whoami.data).toMatchObject({ id: 'demo-resident', role: 'resident' });
});

const BAD_EVENTS: Array<[string, string, unknown]> = [
  ['collect', 'an empty event', {}],
  ['collect', 'a JSON array', []],
  ['collect', 'a JSON string', '"hello"'],
  ['collect', 'oversized content', { ...wishInput, content: '很'.repeat(501) }],
  ['collect', 'a number as a title', { ...wishInput, title: 7 }],
  ['collect', 'an operator object as a phone', { ...wishInput, contactPhone: { $ne: null } }],
  ['claim', 'an operator object as the wish id', { wishId: { $ne: null }, promisedBy: inDays(3) }],
  ['claim', 'a regex operator as the wish id', { wishId: { $regex: '.*' }, promisedBy: inDays(3) }],
  ['claim', 'a date that does not exist', { wishId: 'abc', promisedBy: '2026-02-30' }],
  ['claim', 'no date', { wishId: 'abc' }],
  ['fulfil', 'a note that is an object', { wishId: 'abc', note: { $gt: '' } }],
  ['fulfil', 'photos that are not cloud file ids', { wishId: 'abc', note: '好', photos: ['file:///etc/passwd'] }],
  ['feedback', 'an unknown satisfaction', { wishId: 'abc', satisfaction: 'ecstatic' }],
  ['register', 'a reject without a reason', { wishId: 'abc', decision: 'reject' }],
  ['board', 'a limit over 20', { limit: 1000 }],
  ['wishDetail', 'an id with path characters', { wishId: '../users/demo-organiser' }],
  ['extend', 'no reason', { wishId: 'abc', until: inDays(10) }],
  ['extend', 'a date that does not exist', { wishId: 'abc', until: '2026-13-01', reason: '等配件' }],
  ['answerExtension', 'a string for approve', { wishId: 'abc', approve: 'yes' }],
  ['answerExtension', 'no decision', { wishId: 'abc' }],
  ['progress', 'an empty note', { wishId: 'abc', note: '   ' }],
  [
    'progress',
    'ten photos',
    { wishId: 'abc', note: '好', photos: Array.from({ length: 10 }, (_, i) => `cloud://local.bucket/p/${i}.jpg`) },
  ],
  ['reassign', 'no reason', { wishId: 'abc' }],
  ['reassign', 'an assignee without a kind and date', { wishId: 'abc', reason: '调整', assignee: '王书记' }],
  ['reopen', 'no reason', { wishId: 'abc' }],
  ['publish', 'neither wishId nor wishIds', {}],
  ['publish', 'an empty batch', { wishIds: [] }],
  ['publish', 'an operator in the batch', { wishIds: [{ $ne: null }] }],
  ['register', 'urgent as a string', { wishId: 'abc', category: '生活帮扶', track: 'individual', urgent: 'yes' }],
  ['duplicates', 'no wish id', {}],
  ['board', 'an operator as the community', { orgId: { $ne: null } }],
  ['orgWishes', 'an unknown status filter', { status: 'late' }],
  ['notifications', 'a limit of 0', { limit: 0 }],
  ['markRead', 'no ids', { ids: [] }],
  ['markRead', 'an operator as an id', { ids: [{ $ne: null }] }],
  ['fileUrls', 'a path that is not a cloud file id', { fileIds: ['/etc/passwd'] }],
  ['fileUrls', 'no files', { fileIds: [] }],
  ['collect', 'photos that are not cloud file ids', { ...wishInput, photos: ['http://evil/x.jpg'] }],
];

test.each(BAD_EVENTS)('%s refuses %s with 400 before any database call', async (fn, _what, event) => {
  const before = env.cloud.stats().wireTotal;
  const r = await env.call(fn, event, 'demo-organiser');
  expect(r.status).toBe(400);
  expect(r.body.code).toBe('INPUT.INVALID');
  expect((r.body as { message: string }).message).toMatch(/[\u4e00-\u9fa5]/);
  expect(env.cloud.stats().wireTotal).toBe(before);
});

test('a body that is not JSON, or too large, is refused by the local cloud without running the function', async () => {
  const before = env.cloud.stats().wireTotal;
  expect((await env.call('collect', '{not json', 'demo-resident')).status).toBe(400);
  const huge = await env.call('collect', { ...wishInput, content: 'x'.repeat(200_000) }, 'demo-resident');
  expect(huge.status).toBe(413);
  expect(huge.body.code).toBe('INPUT.TOO_LARGE');
  expect(env.cloud.stats().wireTotal).toBe(before);
});

test('an organiser cannot act on another organisation’s wish', async () => {
  await env.db.collection('orgs').add({ _id: 'other-community', name: '别的社区', parentId: 'demo-street', level: 'community' });
  await env.db.collection('users').add({ _id: 'other-organiser', role: 'organiser', orgId: 'other-community', name: '外社区' });
  const w = (await env.call('collect', wishInput, 'demo-resident')).data;
  const r = await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual' }, 'other-organiser');
  expect(r.status).toBe(403);
  expect(r.body.code).toBe('AUTH.OUT_OF_SCOPE');
  expect((await env.call('wishDetail', { wishId: w._id }, 'other-organiser')).status).toBe(403);
  expect((await env.db.collection('wishes').doc(w._id).get()).data[0].version).toBe(1);
});

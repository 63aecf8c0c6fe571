/**
 * Identity and scope: spoofed identity, no identity, a resident calling organiser functions, an organiser
 * acting on another organisation's wish, a member claiming on another organisation's board, joining and
 * appointment rules. Every refusal is checked for its answer AND that nothing was written.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOYED, OPERATIONS, callOf } from '../../src/core/functions';
import { acceptNotice, inDays, ok, snapshot, stages, validEvents, wishInput, type Env, suite } from './setup';

// This suite edits organisations in the database directly: the functions must not keep them in their
// instance cache (server/store.ts ORG_TTL_MS).
process.env.ORG_CACHE_MS = '0';

const { extra, ready } = suite('access');
let env: Env;
let s: ReturnType<typeof stages>;
beforeAll(() => ({ env, s } = ready()));

/** Every operation of every deployed function (src/core/functions.ts). */
const FUNCTIONS: readonly string[] = OPERATIONS;

async function refused(fn: string, event: object, openid: string | undefined, status: number, code: string) {
  const before = await snapshot(env);
  const r = await env.call(fn, event, openid);
  expect({ fn, status: r.status, code: r.body.code }).toEqual({ fn, status, code });
  expect(await snapshot(env)).toBe(before);
  return r;
}

test('no identity: every function but the platform-only purge, remind and mediaCheckResult and the public board answers 401 and writes nothing', async () => {
  const wishId = await s.collected();
  const events = validEvents(wishId);
  for (const fn of FUNCTIONS) {
    expect({ fn, covered: fn in events }).toEqual({ fn, covered: true }); // a new function must be added to validEvents
    if (
      ['purge', 'remind', 'mediaCheckResult', 'publicResults', 'reconcile', 'overdueAlerts', 'weekly', 'bulletin', 'monthly'].includes(fn)
    )
      continue;
    await refused(fn, events[fn]!, undefined, 401, 'AUTH.NO_IDENTITY');
  }
  // 公开栏 answers anyone (functions.rules.json invoke: true), and writes nothing (its privacy: tests/functions/workbench.test.ts).
  const before = await snapshot(env);
  expect((await env.call('publicResults', {}, undefined)).status).toBe(200);
  expect(await snapshot(env)).toBe(before);
  // The timer-only functions are the opposite: the timer has no identity, so any caller with one is refused
  // (and functions.rules.json keeps clients from invoking them on CloudBase).
  await refused('purge', events.purge!, 'demo-organiser', 403, 'AUTH.FORBIDDEN');
  await refused('remind', events.remind!, 'demo-organiser', 403, 'AUTH.FORBIDDEN');
  await refused('reconcile', events.reconcile!, 'demo-organiser', 403, 'AUTH.FORBIDDEN');
  await refused('overdueAlerts', events.overdueAlerts!, 'demo-organiser', 403, 'AUTH.FORBIDDEN');
  for (const timer of ['weekly', 'bulletin', 'monthly']) {
    await refused(timer, events[timer]!, 'demo-organiser', 403, 'AUTH.FORBIDDEN');
    await refused(timer, events[timer]!, undefined, 403, 'AUTH.FORBIDDEN');
  }
  // WeChat's media check verdict arrives by message push, with no caller: a user sending one is refused.
  await refused('mediaCheckResult', events.mediaCheckResult!, 'demo-member', 403, 'AUTH.FORBIDDEN');
  extra('no identity', { functions: FUNCTIONS.length });
}, 120_000); // the first call of every function starts its instance (a worker loading the SDK): 39 cold starts

/** A call as an anonymous CloudBase login (web, signed in with signInAnonymously: a user id, no WeChat openid). */
async function asAnonymous(fn: string, event: object, uuid = 'anon-user-1') {
  const target = callOf(fn, event);
  const res = await fetch(`${env.cloud.url}/api/${target.name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tcb-uuid': uuid },
    body: JSON.stringify(target.data),
  });
  return { status: res.status, body: (await res.json()) as { code: string | number; data?: any } };
}

test('anonymous login: passes the rules like any login, but only the card page (wishCards progress and feedback) serves it; nothing else answers or writes', async () => {
  const wishId = await s.collected();
  const events = validEvents(wishId);
  for (const fn of FUNCTIONS) {
    if (fn === 'publicResults') continue;
    const before = await snapshot(env);
    const r = await asAnonymous(fn, events[fn]!);
    // Timers and pushes: functions.rules.json invoke false, refused before they run; every other: no identity.
    const want = ['purge', 'remind', 'mediaCheckResult', 'reconcile', 'overdueAlerts', 'weekly', 'bulletin', 'monthly'].includes(fn)
      ? [403, 'AUTH.FORBIDDEN']
      : [401, 'AUTH.NO_IDENTITY'];
    expect({ fn, status: r.status, code: r.body.code }).toEqual({ fn, status: want[0], code: want[1] });
    expect(await snapshot(env)).toBe(before);
  }
  // The card page: progress and feedback by card number and PIN.
  const [card] = ok(await env.call('wishCards', { mode: 'issue', count: 1 }, 'demo-organiser')).cards as Array<{
    cardNo: string;
    pin: string;
  }>;
  const progress = await asAnonymous('wishCards', { mode: 'progress', cardNo: card!.cardNo });
  expect(progress).toMatchObject({ status: 200, body: { code: 0, data: { cardNo: card!.cardNo, linked: false, orgName: '幸福里社区' } } });
  const before = await snapshot(env);
  const wrong = card!.pin === '000000' ? '000001' : '000000';
  expect(
    (await asAnonymous('wishCards', { mode: 'feedback', cardNo: card!.cardNo, pin: wrong, satisfaction: 'satisfied' })).body.code,
  ).toBe('CARD.PIN_WRONG');
  // The organiser's card modes stay closed to it, whatever the event.
  for (const e of [
    { mode: 'issue', count: 1 },
    { mode: 'link', cardNo: card!.cardNo, wishId },
    { mode: 'receipt', wishId },
  ]) {
    expect((await asAnonymous('wishCards', e)).body.code).toBe('AUTH.NO_IDENTITY');
  }
  expect(await snapshot(env)).toBe(before);
  // A made-up or malformed anonymous id is no identity at all.
  expect((await asAnonymous('wishCards', { mode: 'progress', cardNo: card!.cardNo }, 'bad id!')).status).toBe(401);
}, 120_000);

test('spoofed identity in the event (openid, role, userInfo, orgId) is ignored everywhere', async () => {
  const spoof = {
    openid: 'demo-organiser',
    OPENID: 'demo-organiser',
    role: 'organiser',
    userInfo: { openId: 'demo-organiser', appId: 'x' },
    scope: ['demo-street'],
  };
  const wishId = await s.collected();
  // A resident pretending to be the organiser: refused as a resident.
  await refused('register', { wishId, category: '生活帮扶', track: 'individual', ...spoof }, 'demo-resident', 403, 'AUTH.FORBIDDEN');
  await refused('orgWishes', { ...spoof }, 'demo-resident', 403, 'AUTH.FORBIDDEN');
  await refused('invite', { ...spoof }, 'demo-resident', 403, 'AUTH.FORBIDDEN');
  await refused(
    'appoint',
    { ...spoof, openid: 'demo-resident', orgId: 'demo-grid-1', name: '王秀英' },
    'demo-resident',
    403,
    'AUTH.FORBIDDEN',
  );
  // No identity but a spoofed one in the event: still no identity.
  await refused('register', { wishId, category: '生活帮扶', track: 'individual', ...spoof }, undefined, 401, 'AUTH.NO_IDENTITY');
  // The x-wx-openid header with a malformed openid counts as no identity.
  const r = await fetch(`${env.cloud.url}/api/account`, {
    method: 'POST',
    headers: { 'x-wx-openid': '{"$ne":null}' },
    body: JSON.stringify({ action: 'whoami' }),
  });
  expect(r.status).toBe(401);
  // A spoofed role in a write is not stored.
  const w = ok(await env.call('collect', { ...wishInput, ...spoof }, 'demo-resident'));
  const stored = (await env.db.collection('wishes').doc(w._id).get()).data[0];
  expect(stored.enteredBy).toEqual({ role: 'resident', id: 'demo-resident' });
  expect(stored.residentId).toBe('demo-resident');
  expect(JSON.stringify(stored)).not.toMatch(/userInfo|"scope"|OPENID/);
  const me = ok(await env.call('whoami', spoof, 'demo-resident'));
  expect(me).toMatchObject({ id: 'demo-resident', role: 'resident', orgId: 'demo-community' });
});

test('a resident calling organiser functions is refused, nothing written', async () => {
  const collected = await s.collected();
  const registered = await s.registered();
  const common = await s.registered('common');
  const deferred = await s.deferred();
  const reviewed = await s.reviewed();
  const calls: Array<[string, object]> = [
    ['register', { wishId: collected, category: '生活帮扶', track: 'individual' }],
    ['register', { wishId: collected, decision: 'reject', reason: '不受理' }],
    ['publish', { wishId: registered }],
    ['assign', { wishId: common, kind: 'org', assignee: '物业', promisedBy: inDays(5) }],
    ['revive', { wishId: deferred }],
    ['closeOut', { wishId: reviewed }],
    ['orgWishes', {}],
    ['board', {}],
    ['invite', {}],
    ['confirmMember', { openid: 'demo-member', approve: true }],
    ['appoint', { openid: 'demo-resident', orgId: 'demo-grid-1', name: '王秀英' }],
    ['moderate', { wishId: collected, approve: true }],
    ['moderationQueue', {}],
    ['auditLog', {}],
  ];
  for (const [fn, event] of calls) await refused(fn, event, 'demo-resident', 403, 'AUTH.FORBIDDEN');
  // Members are not organisers either.
  for (const [fn, event] of calls.filter(([f]) => f !== 'board')) await refused(fn, event, 'demo-member', 403, 'AUTH.FORBIDDEN');
}, 90_000); // 28 refusals with two snapshots each and five stage set-ups: 32.8 s alone at a load average of 14 on two cores

test('an organiser of another community cannot act on this community’s wishes', async () => {
  const wishes = {
    collected: await s.collected(),
    registered: await s.registered(),
    common: await s.registered('common'),
    deferred: await s.deferred(),
    claimed: await s.claimed(),
    reviewed: await s.reviewed(),
  };
  const calls: Array<[string, object]> = [
    ['register', { wishId: wishes.collected, category: '生活帮扶', track: 'individual' }],
    ['publish', { wishId: wishes.registered }],
    ['assign', { wishId: wishes.common, kind: 'org', assignee: '物业', promisedBy: inDays(5) }],
    ['revive', { wishId: wishes.deferred }],
    ['withdraw', { wishId: wishes.collected }],
    ['feedback', { wishId: wishes.reviewed, satisfaction: 'satisfied' }],
    ['closeOut', { wishId: wishes.reviewed }],
    ['wishDetail', { wishId: wishes.claimed }],
    ['moderate', { wishId: wishes.collected, approve: true }],
    ['invite', { orgId: 'demo-community' }],
  ];
  for (const [fn, event] of calls) await refused(fn, event, 'demo-organiser-2', 403, 'AUTH.OUT_OF_SCOPE');
  const ledger = ok(await env.call('orgWishes', {}, 'demo-organiser-2'));
  expect(ledger.items.map((w: { _id: string }) => w._id)).not.toEqual(expect.arrayContaining([wishes.collected]));
  // The street's organiser sees both communities (subtree) and may act on them.
  await env.db.collection('users').add({ _id: 'street-organiser', role: 'organiser', orgId: 'demo-street', name: '街道 周' });
  await acceptNotice(env, 'street-organiser');
  const street = ok(await env.call('orgWishes', { limit: 20 }, 'street-organiser'));
  expect(street.items.length).toBeGreaterThan(0);
  expect(
    ok(await env.call('register', { wishId: wishes.collected, category: '生活帮扶', track: 'individual' }, 'street-organiser')).status,
  ).toBe('registered');
  // …but a community organiser has no say over the street.
  const streetWish = ok(await env.call('collect', { ...wishInput, orgId: 'demo-street', channel: 'visit' }, 'street-organiser'))._id;
  await refused('register', { wishId: streetWish, category: '生活帮扶', track: 'individual' }, 'demo-organiser', 403, 'AUTH.OUT_OF_SCOPE');
});

test('a member cannot claim, or even see, another community’s board', async () => {
  const wishId = await s.published();
  await refused('claim', { wishId, promisedBy: inDays(3) }, 'demo-member-3', 403, 'AUTH.OUT_OF_SCOPE');
  await refused('wishDetail', { wishId }, 'demo-member-3', 403, 'AUTH.OUT_OF_SCOPE');
  const board = ok(await env.call('board', {}, 'demo-member-3'));
  expect(board.items.map((x: { _id: string }) => x._id)).not.toContain(wishId);
  expect(ok(await env.call('board', {}, 'demo-member')).items.map((x: { _id: string }) => x._id)).toContain(wishId);
  // Where configured, members also see the parent's board.
  const streetWish = ok(await env.call('collect', { ...wishInput, orgId: 'demo-street', channel: 'visit' }, 'street-organiser'))._id;
  ok(
    await env.call(
      'register',
      { wishId: streetWish, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' },
      'street-organiser',
    ),
  );
  ok(await env.call('publish', { wishId: streetWish }, 'street-organiser'));
  expect(ok(await env.call('board', {}, 'demo-member-3')).items.map((x: { _id: string }) => x._id)).not.toContain(streetWish);
  await env.db.collection('orgs').doc('demo-community-2').update({ boardIncludesParent: true });
  expect(ok(await env.call('board', {}, 'demo-member-3')).items.map((x: { _id: string }) => x._id)).toContain(streetWish);
  expect(ok(await env.call('claim', { wishId: streetWish, promisedBy: inDays(3) }, 'demo-member-3')).status).toBe('claimed');
});

test('joining: residents need no approval; a party member joins with a code and is confirmed by that organisation', async () => {
  // A resident joins a community on their own.
  await acceptNotice(env, 'new-resident');
  expect(ok(await env.call('join', { orgId: 'demo-community-2' }, 'new-resident'))).toMatchObject({ status: 'joined' });
  expect(ok(await env.call('whoami', {}, 'new-resident'))).toMatchObject({ role: 'resident', orgId: 'demo-community-2' });
  // A made-up code is refused; a real one makes the caller pending, still a resident.
  await refused('join', { code: 'ABCDEFGH', name: '钱七' }, 'new-member', 404, 'INVITE.INVALID');
  const invite = ok(await env.call('invite', {}, 'demo-organiser'));
  expect(invite.code).toMatch(/^[A-Z0-9]{8}$/);
  expect(ok(await env.call('join', { code: invite.code, name: '钱七' }, 'new-member'))).toMatchObject({
    status: 'pending',
    orgId: 'demo-community',
  });
  expect(ok(await env.call('whoami', {}, 'new-member'))).toMatchObject({
    role: 'resident',
    pending: { orgId: 'demo-community', name: '钱七' },
  });
  await refused('claim', { wishId: await s.published(), promisedBy: inDays(3) }, 'new-member', 403, 'AUTH.FORBIDDEN');
  // The request waits in that organisation's list of pending members, and only there.
  const pending = ok(await env.call('pendingMembers', {}, 'demo-organiser'));
  expect(pending.items).toEqual([
    expect.objectContaining({ openid: 'new-member', name: '钱七', orgId: 'demo-community', orgName: '幸福里社区' }),
  ]);
  expect(ok(await env.call('pendingMembers', {}, 'demo-organiser-2')).items).toEqual([]);
  await refused('pendingMembers', {}, 'new-member', 403, 'AUTH.FORBIDDEN');
  // Another community's organiser cannot confirm them; their own can.
  await refused('confirmMember', { openid: 'new-member', approve: true }, 'demo-organiser-2', 403, 'AUTH.OUT_OF_SCOPE');
  expect(ok(await env.call('confirmMember', { openid: 'new-member', approve: true }, 'demo-organiser'))).toMatchObject({
    role: 'member',
    orgId: 'demo-community',
    name: '钱七',
  });
  expect(ok(await env.call('whoami', {}, 'new-member'))).toMatchObject({
    role: 'member',
    orgId: 'demo-community',
    name: '钱七',
    pending: null,
  });
  expect(ok(await env.call('pendingMembers', {}, 'demo-organiser')).items).toEqual([]);
  // A new member starts with an empty claim-limit list: their first claim costs what every later one does.
  expect((await env.db.collection('users').doc('new-member').get()).data[0].openClaimIds).toEqual([]);
  // Confirming twice does nothing more.
  await refused('confirmMember', { openid: 'new-member', approve: true }, 'demo-organiser', 404, 'USER.NOT_FOUND');
  // A member cannot "join" again to move organisation.
  await refused('join', { orgId: 'demo-community-2' }, 'new-member', 403, 'AUTH.FORBIDDEN');
});

test('appointment: only an organiser of a parent organisation appoints organisers below it', async () => {
  await refused('appoint', { openid: 'grid-keeper', orgId: 'demo-community', name: '网格员' }, 'demo-organiser', 403, 'AUTH.OUT_OF_SCOPE'); // own org, not below
  await refused(
    'appoint',
    { openid: 'grid-keeper', orgId: 'demo-community-2', name: '网格员' },
    'demo-organiser',
    403,
    'AUTH.OUT_OF_SCOPE',
  ); // a sibling
  await refused('appoint', { openid: 'grid-keeper', orgId: 'demo-street', name: '网格员' }, 'demo-organiser', 403, 'AUTH.OUT_OF_SCOPE'); // a parent
  await refused('appoint', { openid: 'grid-keeper', orgId: 'no-such-org', name: '网格员' }, 'demo-organiser', 404, 'ORG.NOT_FOUND');
  await refused('appoint', { openid: 'demo-organiser-2', orgId: 'demo-grid-1', name: '刘芳' }, 'demo-organiser', 403, 'AUTH.OUT_OF_SCOPE'); // belongs elsewhere
  const r = ok(await env.call('appoint', { openid: 'grid-keeper', orgId: 'demo-grid-1', name: '网格员' }, 'demo-organiser'));
  expect(r).toMatchObject({ role: 'organiser', orgId: 'demo-grid-1' });
  expect(ok(await env.call('whoami', {}, 'grid-keeper'))).toMatchObject({ role: 'organiser', orgId: 'demo-grid-1' });
  const log = ok(await env.call('auditLog', {}, 'demo-organiser'));
  expect(log.items.find((e: { action: string }) => e.action === 'appoint')).toMatchObject({
    actorId: 'demo-organiser',
    target: { kind: 'user', id: 'grid-keeper' },
    after: { role: 'organiser', orgId: 'demo-grid-1' },
  });
  // The grid organiser cannot see the audit of the community above.
  const gridLog = ok(await env.call('auditLog', {}, 'grid-keeper'));
  expect(gridLog.items.every((e: { orgPath: string[] }) => e.orgPath.includes('demo-grid-1'))).toBe(true);
});

test('the audit log is append-only: no function changes or removes entries', async () => {
  const before = (await env.db.collection('audit').limit(1000).get()).data as Array<{ _id: string }>;
  expect(before.length).toBeGreaterThan(0);
  // Try every function with the id of an audit entry wherever an id goes.
  const id = before[0]!._id;
  for (const fn of FUNCTIONS.filter((f) => f !== 'purge')) {
    await env.call(fn, { wishId: id, openid: id, orgId: id, confirm: true }, 'demo-organiser');
  }
  const after = (await env.db.collection('audit').limit(1000).get()).data as Array<{ _id: string }>;
  for (const e of before) expect(after.find((x) => x._id === e._id)).toEqual(e);
}, 120_000); // calls every function: a cold start each for those no earlier test called (55 functions)

test('the first administrator comes from the server-side command, not from any function', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const root = join(__dirname, '../..');
  // Asynchronously: the local cloud answering the script runs in this process.
  const run = async (...args: string[]) =>
    (
      await promisify(execFile)(join(root, 'node_modules/.bin/tsx'), ['scripts/admin.ts', ...args], {
        cwd: root,
        // The legitimate way: the running cloud's address and secret pair from its data folder (credentials.json).
        env: { ...process.env, TCB_SERVICE_URL: '', TCB_SECRET_ID: '', TCB_SECRET_KEY: '', LOCALCLOUD_DATA: env.cloud.dataDir },
        encoding: 'utf8',
      })
    ).stdout;
  expect(ok(await env.call('whoami', {}, 'first-admin')).role).toBe('resident');
  await expect(run('--openid', 'first-admin', '--org', 'no-such-city')).rejects.toThrow(/does not exist/); // no such org and no --org-name
  expect(
    await run('--openid', 'first-admin', '--org', 'new-city', '--org-name', '长沙市', '--level', 'city', '--name', '管理员甲'),
  ).toContain('管理员');
  expect(ok(await env.call('whoami', {}, 'first-admin'))).toMatchObject({ role: 'organiser', orgId: 'new-city', name: '管理员甲' });
  const entry = (await env.db.collection('audit').where({ action: 'bootstrap', 'target.id': 'first-admin' }).get()).data[0];
  expect(entry).toMatchObject({ actorId: 'bootstrap', after: { role: 'organiser', orgId: 'new-city' } });
  // That administrator runs only their own tree: not the demo city.
  expect((await env.call('orgWishes', {}, 'first-admin')).data.items).toHaveLength(0);
}, 60_000);

test('the database security rules deny every client read and write on every collection', async () => {
  const { readFileSync } = await import('node:fs');
  const { COLLECTIONS } = await import('../../localcloud/seed');
  const rules = JSON.parse(readFileSync(join(__dirname, '../../database.rules.json'), 'utf8')) as Record<string, unknown>;
  expect(
    Object.keys(rules)
      .filter((k) => k !== '//')
      .sort(),
  ).toEqual([...COLLECTIONS].sort());
  for (const c of COLLECTIONS) expect({ c, rule: rules[c] }).toEqual({ c, rule: { read: false, write: false } });
});

test('privileged actions are audited with who, when, what, before and after; other organisations do not see them', async () => {
  const id = await s.collected();
  const t0 = new Date().toISOString();
  ok(await env.call('register', { wishId: id, category: '生活帮扶', track: 'individual', summary: '需要帮忙' }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: id }, 'demo-organiser'));
  const log = ok(await env.call('auditLog', { limit: 20 }, 'demo-organiser'));
  const mine = log.items.filter((e: { target: { id: string }; action: string }) => e.target.id === id && e.action !== 'reveal');
  expect(mine.map((e: { action: string }) => e.action).sort()).toEqual(['publish', 'register']);
  const reg = mine.find((e: { action: string }) => e.action === 'register');
  expect(reg).toMatchObject({
    actorId: 'demo-organiser',
    actorRole: 'organiser',
    orgPath: ['demo-city', 'demo-district', 'demo-street', 'demo-community'],
    before: { status: 'collected', version: 1 },
    after: { status: 'registered', version: 2, category: '生活帮扶' },
  });
  expect(reg.at >= t0).toBe(true);
  // The resident's and member's own actions are not privileged; the other community's organiser sees none of this.
  const other = ok(await env.call('auditLog', { limit: 20 }, 'demo-organiser-2'));
  expect(other.items.some((e: { target: { id: string } }) => e.target.id === id)).toBe(false);
  // Paging with the cursor walks back through older entries without repeats.
  const first = ok(await env.call('auditLog', { limit: 3 }, 'demo-organiser'));
  const second = ok(await env.call('auditLog', { limit: 3, cursor: first.cursor }, 'demo-organiser'));
  const ids = [...first.items, ...second.items].map((e: { _id: string }) => e._id);
  expect(new Set(ids).size).toBe(6);
  expect((await env.call('auditLog', { cursor: 'bad' }, 'demo-organiser')).status).toBe(400);
});

test('deployment config: functions that check content declare the cloud-call permission; clients may not invoke the timers or mediaCheckResult; anyone may read the public board', async () => {
  const { readFileSync } = await import('node:fs');
  const dir = join(__dirname, '../../cloudfunctions');
  // A deployed function checks content when any of its operations' sources does.
  const source = (f: string) =>
    readdirSync(join(dir, f))
      .filter((n) => n.endsWith('.ts'))
      .map((n) => readFileSync(join(dir, f, n), 'utf8'))
      .join('\n');
  const checking = DEPLOYED.filter((f) => /defineStage|contentCheck/.test(source(f)));
  expect(checking).toEqual(expect.arrayContaining(['collect', 'claim', 'fulfil', 'feedback', 'register', 'steps']));
  for (const f of checking) {
    const config = JSON.parse(readFileSync(join(dir, f, 'config.json'), 'utf8'));
    expect({ f, openapi: config.permissions?.openapi }).toEqual({
      f,
      openapi: expect.arrayContaining(['security.msgSecCheck', 'security.mediaCheckAsync']),
    });
  }
  const timers = JSON.parse(readFileSync(join(dir, 'timers', 'config.json'), 'utf8'));
  expect(timers.triggers).toContainEqual({ name: 'purge', type: 'timer', config: '0 0 3 * * * *' });
  const rules = JSON.parse(readFileSync(join(__dirname, '../../functions.rules.json'), 'utf8'));
  expect(rules).toEqual({
    '*': { invoke: 'auth != null' },
    timers: { invoke: false },
    mediaCheckResult: { invoke: false },
    publicResults: { invoke: true },
  });
});

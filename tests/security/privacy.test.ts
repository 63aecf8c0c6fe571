/**
 * Privacy: personal fields absent for everyone but the resident, the active claimer and organisers (asserted
 * as absence, FixMyStreet-style); reveals logged; consent before posting and separately for sensitive
 * details; the retention purge; export and deletion of one's own data.
 */
import { NOTICE_VERSION } from '../../src/core';
import { acceptNotice, inDays, ok, snapshot, stages, wishInput, type Env, suite } from './setup';

const { extra, ready } = suite('privacy');
let env: Env;
let s: ReturnType<typeof stages>;
beforeAll(() => ({ env, s } = ready()));

const PERSONAL = [wishInput.contactPhone, wishInput.address, wishInput.contactName, '3 栋', wishInput.content];
const leaks = (x: unknown) => PERSONAL.filter((p) => JSON.stringify(x).includes(p));

test('board and detail: only the resident, the active claimer and organisers get name, phone and address', async () => {
  const published = await s.published();
  const claimed = await s.claimed('demo-member');
  const viewers = ['demo-resident', 'demo-member', 'demo-member-2', 'demo-member-3', 'demo-organiser', 'demo-organiser-2', 'stranger'];
  let checks = 0;
  // The board: no personal field for anyone, a masked name instead.
  for (const who of ['demo-member', 'demo-member-2', 'demo-organiser']) {
    const board = ok(await env.call('board', {}, who));
    const item = board.items.find((x: { _id: string }) => x._id === published);
    expect(item).toMatchObject({ name: '王某', orgName: '幸福里社区', category: '生活帮扶', summary: '需要有人帮忙' });
    for (const f of ['contact', 'content', 'residentId', 'phone', 'address', 'sensitive', 'timeline']) expect(item).not.toHaveProperty(f);
    expect(leaks(board)).toEqual([]);
    checks++;
  }
  // Details of a published wish: members of the community see it without personal fields; outsiders are refused.
  for (const who of viewers) {
    const r = await env.call('wishDetail', { wishId: published }, who);
    if (who === 'demo-organiser') {
      expect(r.data).toMatchObject({ private: true, contact: { phone: wishInput.contactPhone } });
    } else if (who === 'demo-member' || who === 'demo-member-2') {
      expect(r.status).toBe(200);
      expect(r.data).toMatchObject({ private: false, name: '王某' });
      for (const f of ['contact', 'content', 'sensitive', 'fulfilment']) expect(r.data).not.toHaveProperty(f);
      expect(leaks(r.body)).toEqual([]);
    } else {
      expect(r.status).toBe(403);
      expect(leaks(r.body)).toEqual([]);
    }
    checks++;
  }
  // The claimed wish: the claimer and organisers see it all; the other member of the community does not.
  const claimer = ok(await env.call('wishDetail', { wishId: claimed }, 'demo-member'));
  expect(claimer).toMatchObject({
    private: true,
    contact: { name: wishInput.contactName, phone: wishInput.contactPhone, address: wishInput.address },
  });
  const other = await env.call('wishDetail', { wishId: claimed }, 'demo-member-2');
  expect(other.data).toMatchObject({ private: false, name: '王某' });
  expect(other.data).not.toHaveProperty('contact');
  expect(leaks(other.body)).toEqual([]);
  expect((await env.call('wishDetail', { wishId: claimed }, 'demo-organiser-2')).status).toBe(403);
  // Lists: another member's "claimed" list and a stranger's "posted" list carry nothing of it.
  expect(leaks(ok(await env.call('myWishes', { scope: 'claimed' }, 'demo-member-2')))).toEqual([]);
  expect(leaks(ok(await env.call('myWishes', {}, 'stranger')))).toEqual([]);
  expect(leaks(ok(await env.call('orgWishes', {}, 'demo-organiser-2')))).toEqual([]);
  checks += 6;
  // Once the claimer releases it, they lose access to the personal fields.
  ok(await env.call('release', { wishId: claimed, reason: '临时出差' }, 'demo-member'));
  const after = ok(await env.call('wishDetail', { wishId: claimed }, 'demo-member'));
  expect(after).not.toHaveProperty('contact');
  expect(leaks(after)).toEqual([]);
  extra('private fields', { viewers: viewers.length, 'absence checks': checks + 1 });
});

test('every reveal of personal fields to a claimer or organiser is in the audit log; the resident’s own views are not', async () => {
  const id = await s.claimed('demo-member-2');
  const count = async () =>
    (await env.db.collection('audit').where({ action: 'reveal', 'target.id': id }).limit(1000).get()).data as Array<{
      _id: string;
      actorId: string;
      after: { via: string };
    }>;
  const seen = new Set((await count()).map((e) => e._id));
  const before = seen.size;
  ok(await env.call('wishDetail', { wishId: id }, 'demo-member-2'));
  ok(await env.call('wishDetail', { wishId: id }, 'demo-organiser'));
  ok(await env.call('wishDetail', { wishId: id }, s.owner(id)));
  ok(await env.call('wishDetail', { wishId: id }, 'demo-member')); // public view: no reveal
  const entries = await count();
  expect(entries.length - before).toBe(2);
  expect(entries.filter((e) => !seen.has(e._id)).map((e) => [e.actorId, e.after.via])).toEqual(
    expect.arrayContaining([
      ['demo-member-2', 'wishDetail'],
      ['demo-organiser', 'wishDetail'],
    ]),
  );
  // Organisers read them in their audit log.
  const log = ok(await env.call('auditLog', { limit: 20 }, 'demo-organiser'));
  expect(log.items.some((e: { action: string; target: { id: string } }) => e.action === 'reveal' && e.target.id === id)).toBe(true);
  extra('reveal log', { 'reveals logged': entries.length - before });
});

test('posting without consent to the current notice is refused; sensitive details need the separate consent', async () => {
  const refuse = async (openid: string, event: object, code: string) => {
    const before = await snapshot(env);
    const r = await env.call('collect', event, openid);
    expect(r.body.code).toBe(code);
    expect(r.status).toBe(403);
    expect(await snapshot(env)).toBe(before);
  };
  const event = { ...wishInput, orgId: 'demo-community' };
  // Never consented.
  expect(ok(await env.call('whoami', {}, 'fresh-1')).consent).toEqual({
    current: NOTICE_VERSION,
    accepted: false,
    sensitive: false,
    acceptedVersion: null,
  });
  await refuse('fresh-1', event, 'CONSENT.REQUIRED');
  // Consented to an older notice: asked again.
  await env.db.collection('users').add({
    _id: 'old-consent',
    role: 'resident',
    orgId: 'demo-community',
    name: '',
    consent: { notice: '2025-01-01', noticeAt: '2025-01-01T00:00:00.000Z' },
  });
  expect(ok(await env.call('whoami', {}, 'old-consent')).consent).toMatchObject({ accepted: false, acceptedVersion: '2025-01-01' });
  await refuse('old-consent', event, 'CONSENT.REQUIRED');
  // Accepting an outdated version is refused too.
  expect((await env.call('consent', { notice: 'main', version: '2025-01-01' }, 'old-consent')).status).toBe(400);
  // The sensitive notice cannot come before the main one.
  expect((await env.call('consent', { notice: 'sensitive', version: NOTICE_VERSION }, 'fresh-1')).body.code).toBe('CONSENT.REQUIRED');
  // After the main notice: posting works, sensitive details do not.
  expect(ok(await env.call('consent', { notice: 'main', version: NOTICE_VERSION }, 'fresh-1'))).toMatchObject({
    accepted: true,
    sensitive: false,
  });
  const sensitive = { ...event, sensitive: { health: '糖尿病，行动不便', income: '低保户' } };
  await refuse('fresh-1', sensitive, 'CONSENT.SENSITIVE_REQUIRED');
  expect(ok(await env.call('collect', event, 'fresh-1')).status).toBe('collected');
  // With the sensitive consent: stored, private to the resident and organisers, never on the board or to other members.
  ok(await env.call('consent', { notice: 'sensitive', version: NOTICE_VERSION }, 'fresh-1'));
  const w = ok(await env.call('collect', sensitive, 'fresh-1'));
  expect(w.sensitive).toEqual({ health: '糖尿病，行动不便', income: '低保户' });
  ok(await env.call('register', { wishId: w._id, category: '医疗健康', track: 'individual', summary: '需要陪同就医' }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  expect(ok(await env.call('wishDetail', { wishId: w._id }, 'demo-organiser')).sensitive).toEqual({
    health: '糖尿病，行动不便',
    income: '低保户',
  });
  const member = ok(await env.call('wishDetail', { wishId: w._id }, 'demo-member'));
  expect(member).not.toHaveProperty('sensitive');
  expect(JSON.stringify(member)).not.toMatch(/糖尿病|低保/);
  expect(JSON.stringify(ok(await env.call('board', {}, 'demo-member')))).not.toMatch(/糖尿病|低保/);
});

test('the retention purge erases personal fields of wishes ended over a year ago and keeps the statistics', async () => {
  const old = await s.closed();
  const recent = await s.closed();
  const openOld = await s.published();
  const withdrawn = await s.collected();
  ok(await env.call('withdraw', { wishId: withdrawn, reason: '不需要了' }, s.owner(withdrawn)));
  const longAgo = new Date(Date.now() - 400 * 86_400_000).toISOString();
  for (const id of [old, openOld, withdrawn])
    await env.db
      .collection('wishes')
      .doc(id)
      .update({ updatedAt: longAgo, closedAt: id === old ? longAgo : null });
  const get = async (id: string) => (await env.db.collection('wishes').doc(id).get()).data[0];
  const before = { old: await get(old), recent: await get(recent), openOld: await get(openOld) };

  await env.db.collection('ratelimits').add({ _id: 'collect:old:1', fn: 'collect', userId: 'old', count: 3, windowStart: longAgo });
  await env.db
    .collection('invites')
    .add({ _id: 'OLDCODE1', orgId: 'demo-community', invitedBy: 'demo-organiser', createdAt: longAgo, expiresAt: longAgo });
  // A caller with an identity cannot trigger it.
  const snap = await snapshot(env);
  expect((await env.call('purge', {}, 'demo-organiser')).body.code).toBe('AUTH.FORBIDDEN');
  expect(await snapshot(env)).toBe(snap);

  const r = ok(await env.trigger('purge', { Type: 'Timer', TriggerName: 'daily-retention-purge' }));
  expect(r.retentionDays).toBe(365);
  expect(r.purged).toBe(2);
  expect(r).toMatchObject({ countersRemoved: 1, invitesRemoved: 1 });
  expect((await env.db.collection('ratelimits').doc('collect:old:1').get()).data).toHaveLength(0);
  const purged = await get(old);
  expect(leaks(purged)).toEqual([]);
  expect(purged).toMatchObject({
    contact: { name: '', phone: '', address: '' },
    content: '',
    title: '（已删除）',
    purgedAt: expect.any(String),
  });
  expect(purged.fulfilment.note).toBe('');
  expect(purged.timeline.every((e: { note: string }) => e.note === '')).toBe(true);
  // Statistics stay: status, category, track, organisation, dates, satisfaction, the timeline's steps.
  for (const f of ['status', 'category', 'track', 'orgId', 'channel', 'createdAt', 'publishedAt', 'closedAt', 'version'])
    expect(purged[f]).toEqual(before.old[f]);
  expect(purged.feedback.satisfaction).toBe('satisfied');
  expect(purged.timeline.map((e: { status: string; at: string }) => [e.status, e.at])).toEqual(
    before.old.timeline.map((e: { status: string; at: string }) => [e.status, e.at]),
  );
  expect(leaks(await get(withdrawn))).toEqual([]);
  // Untouched: a recently closed wish and an old wish still open.
  expect(await get(recent)).toEqual(before.recent);
  expect(await get(openOld)).toEqual(before.openOld);
  // Running it again changes nothing.
  expect(ok(await env.trigger('purge', {})).purged).toBe(0);
  // The purge is in the audit log.
  expect((await env.db.collection('audit').where({ action: 'purge', 'target.id': old }).get()).data).toHaveLength(1);
});

test('a resident exports and deletes their own data; a wish in progress is erased when it ends', async () => {
  const who = 'leaving-resident';
  await acceptNotice(env, who);
  const post = async () => ok(await env.call('collect', { ...wishInput, orgId: 'demo-community' }, who))._id as string;
  const open = await post();
  const inProgress = await post();
  ok(
    await env.call(
      'register',
      { wishId: inProgress, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' },
      'demo-organiser',
    ),
  );
  ok(await env.call('publish', { wishId: inProgress }, 'demo-organiser'));
  ok(await env.call('claim', { wishId: inProgress, promisedBy: inDays(3) }, 'demo-member'));

  const exported = ok(await env.call('myData', {}, who));
  expect(exported.user).toMatchObject({ id: who, role: 'resident' });
  expect(exported.consent).toMatchObject({ accepted: true });
  expect(exported.posted.map((w: { _id: string }) => w._id).sort()).toEqual([open, inProgress].sort());
  expect(exported.posted[0].contact.phone).toBe(wishInput.contactPhone);
  // Someone else's export has none of it.
  expect(leaks(ok(await env.call('myData', {}, 'demo-member-3')))).toEqual([]);

  expect((await env.call('deleteMyData', {}, who)).status).toBe(400); // must confirm
  const r = ok(await env.call('deleteMyData', { confirm: true }, who));
  expect(r).toMatchObject({ erased: [open], kept: [inProgress] });
  const get = async (id: string) => (await env.db.collection('wishes').doc(id).get()).data[0];
  expect(await get(open)).toMatchObject({ status: 'withdrawn', contact: { phone: '' }, purgedAt: expect.any(String) });
  expect((await get(inProgress)).contact.phone).toBe(wishInput.contactPhone); // the member still needs it
  expect((await env.db.collection('users').doc(who).get()).data).toHaveLength(0);
  // The claimer finishes; once it ends, the purge erases it without waiting a year.
  ok(await env.call('fulfil', { wishId: inProgress, note: '已办好' }, 'demo-member'));
  ok(await env.call('feedback', { wishId: inProgress, satisfaction: 'satisfied' }, 'demo-organiser'));
  ok(await env.call('closeOut', { wishId: inProgress }, 'demo-organiser'));
  ok(await env.trigger('purge', {}));
  expect(leaks(await get(inProgress))).toEqual([]);
});

// ---------------------------------------------------------------------------
// Issue 7: privacy and safety holes found by trying the app as an attacker and as a resident.
// ---------------------------------------------------------------------------
const outbox = async (wishId: string) =>
  (await env.db.collection('outbox').where({ wishId }).limit(100).get()).data as Array<{
    to: string;
    kind: string;
    title: string;
    body: string;
  }>;
const HEALTH = '我有尿毒症，每周透析三次，儿子在外地';

test('issue 7 item 1: without a confirmed public summary a wish never reaches the board; the resident’s words are never the default', async () => {
  const resident = 'summary-resident';
  await acceptNotice(env, resident);
  const w = ok(await env.call('collect', { ...wishInput, content: HEALTH, orgId: 'demo-community' }, resident));
  expect(w.summary).toBe('');
  ok(await env.call('register', { wishId: w._id, category: '医疗健康', track: 'individual' }, 'demo-organiser'));
  expect(ok(await env.call('wishDetail', { wishId: w._id }, 'demo-organiser')).summary).toBe('');
  // publish, alone or in a batch: refused with a stable code, nothing written.
  const snap = await snapshot(env);
  const one = await env.call('publish', { wishId: w._id }, 'demo-organiser');
  expect({ status: one.status, code: one.body.code }).toEqual({ status: 409, code: 'WISH.NO_SUMMARY' });
  expect((one.body as { message: string }).message).toContain('公开摘要');
  const batch = ok(await env.call('publish', { wishIds: [w._id] }, 'demo-organiser'));
  expect(batch).toMatchObject({ published: [], failed: [{ wishId: w._id, code: 'WISH.NO_SUMMARY' }] });
  expect(await snapshot(env)).toBe(snap);
  // A summary of invisible characters is no summary.
  expect((await env.call('publish', { wishId: w._id, summary: '\u200b\u200b' }, 'demo-organiser')).body.code).toBe('WISH.NO_SUMMARY');
  // Confirmed while publishing: the board and other members read that, and nothing of the resident's words.
  ok(await env.call('publish', { wishId: w._id, summary: '独居老人需要有人陪同就医' }, 'demo-organiser'));
  const item = ok(await env.call('board', {}, 'demo-member-2')).items.find((x: { _id: string }) => x._id === w._id);
  expect(item.summary).toBe('独居老人需要有人陪同就医');
  const member = ok(await env.call('wishDetail', { wishId: w._id }, 'demo-member-2'));
  expect(JSON.stringify(member)).not.toMatch(/尿毒症|透析|儿子/);
});

test('issue 7 item 2: other members read only the public stage of each timeline note （已落实，已反馈）, never the private text', async () => {
  const id = await s.claimed('demo-member');
  const resident = s.owner(id);
  ok(await env.call('progress', { wishId: id, note: '已陪同老人去医院做透析' }, 'demo-member'));
  ok(await env.call('extend', { wishId: id, until: inDays(20), reason: '老人透析后身体虚弱' }, 'demo-member'));
  ok(await env.call('answerExtension', { wishId: id, approve: true, note: '老人下周复查' }, 'demo-organiser'));
  ok(await env.call('fulfil', { wishId: id, note: '已陪同老人去医院做透析，送回家中' }, 'demo-member'));
  ok(await env.call('feedback', { wishId: id, satisfaction: 'satisfied', comment: '护工态度很好' }, resident));
  const secret = /透析|虚弱|复查|护工/;
  const other = ok(await env.call('wishDetail', { wishId: id }, 'demo-member-2'));
  expect(JSON.stringify(other)).not.toMatch(secret);
  const note = (v: { timeline: Array<{ action: string; note: string }> }, action: string) =>
    v.timeline.find((e) => e.action === action)?.note;
  expect(note(other, 'fulfil')).toBe('已落实');
  expect(note(other, 'feedback')).toBe('已反馈');
  expect(note(other, 'progress')).toBe('认领人记录了进展');
  // The claimer reads their own work; the resident and organisers read everything.
  const claimer = ok(await env.call('wishDetail', { wishId: id }, 'demo-member'));
  expect(note(claimer, 'fulfil')).toContain('透析');
  expect(note(claimer, 'feedback')).toBe('已反馈');
  for (const who of [resident, 'demo-organiser']) {
    expect(note(ok(await env.call('wishDetail', { wishId: id }, who)), 'feedback')).toBe('满意：护工态度很好');
  }
  // Lists carry the same decision: the other member's view of the ledger-like lists has none of it.
  expect(JSON.stringify(ok(await env.call('myWishes', { scope: 'claimed' }, 'demo-member-2')))).not.toMatch(secret);
});

test('issue 7 item 5: residents and members never receive an actor id (openid) in any answer; organisers do', async () => {
  const resident = 'ids-resident';
  await acceptNotice(env, resident);
  // Held by the content check and released by an organiser (moderation.by), then the whole journey.
  const w = ok(await env.call('collect', { ...wishInput, content: '想请人帮忙修水管，可以加微信', orgId: 'demo-community' }, resident));
  ok(await env.call('moderate', { wishId: w._id, approve: true, reason: '内容正常' }, 'demo-organiser'));
  ok(await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '需要有人修水管' }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(5) }, 'demo-member'));
  ok(await env.call('message', { wishId: w._id, note: '周六上午我在家' }, resident));
  ok(await env.call('progress', { wishId: w._id, note: '已约好时间' }, 'demo-member'));
  ok(await env.call('fulfil', { wishId: w._id, note: '水管已修好' }, 'demo-member'));
  const ids = [resident, 'demo-organiser', 'demo-member', 'demo-member-2'];
  let answers = 0;
  for (const who of [resident, 'demo-member', 'demo-member-2']) {
    const others = ids.filter((x) => x !== who);
    const replies = [
      await env.call('wishDetail', { wishId: w._id }, who),
      await env.call('myWishes', { scope: who === resident ? 'posted' : 'claimed' }, who),
      await env.call('notifications', {}, who),
      await env.call('myData', {}, who),
      ...(who === resident ? [] : [await env.call('board', {}, who)]),
    ];
    for (const r of replies) {
      expect(r.status).toBe(200);
      const json = JSON.stringify(r.body);
      for (const id of others) expect({ who, leaked: json.includes(`"${id}"`) }).toEqual({ who, leaked: false });
      answers++;
    }
    // Their own id is not in the wish either (the timeline's actors are for organisers).
    expect(JSON.stringify(replies[0]!.body)).not.toContain(`"${who}"`);
  }
  // Organisers see who did what.
  const asOrganiser = ok(await env.call('wishDetail', { wishId: w._id }, 'demo-organiser'));
  expect(asOrganiser.moderation.by).toBe('demo-organiser');
  expect(asOrganiser.timeline.map((e: { actorId: string }) => e.actorId)).toEqual(expect.arrayContaining([resident, 'demo-member']));
  extra('actor ids', { 'answers searched': answers });
});

test('issue 7 item 6: the resident learns who is coming (name, branch) and reaches them through the app, never by their phone', async () => {
  const id = await s.published();
  const resident = s.owner(id);
  ok(await env.call('claim', { wishId: id, promisedBy: inDays(4) }, 'demo-member'));
  const [claimed] = (await outbox(id)).filter((n) => n.kind === 'claimed');
  expect(claimed).toMatchObject({ to: resident, body: expect.stringContaining('李明（幸福里社区）') });
  expect(claimed!.body).toContain('留言');
  const mine = ok(await env.call('wishDetail', { wishId: id }, resident));
  expect(mine.claim.member).toEqual({ name: '李明', orgName: '幸福里社区' });
  expect(mine.timeline.at(-1).note).toContain('李明（幸福里社区）');
  // The organiser's wish page and ledger say who holds it.
  expect(ok(await env.call('wishDetail', { wishId: id }, 'demo-organiser')).claim.member).toEqual({ name: '李明', orgName: '幸福里社区' });
  const ledger = ok(await env.call('orgWishes', { status: 'claimed', limit: 20 }, 'demo-organiser'));
  expect(ledger.items.find((x: { _id: string }) => x._id === id).claim.member.name).toBe('李明');
  // Another member does not learn who claimed it.
  expect(JSON.stringify(ok(await env.call('wishDetail', { wishId: id }, 'demo-member-2')))).not.toContain('李明');
  // 留言 both ways, each a notice to the other side; nobody else may write, and nothing is written when refused.
  ok(await env.call('message', { wishId: id, note: '我耳朵不好，请多敲几下门' }, resident));
  ok(await env.call('message', { wishId: id, note: '好的，周六上午十点到' }, 'demo-member'));
  const messages = (await outbox(id)).filter((n) => n.kind === 'message').map((n) => [n.to, n.body]);
  expect(messages).toEqual(
    expect.arrayContaining([
      ['demo-member', expect.stringContaining('请多敲几下门')],
      [resident, expect.stringContaining('周六上午十点到')],
    ]),
  );
  const snap = await snapshot(env);
  expect((await env.call('message', { wishId: id, note: '你好' }, 'demo-member-2')).body.code).toBe('AUTH.FORBIDDEN');
  expect(await snapshot(env)).toBe(snap);
  // No phone number of the member reaches the resident: not in any notice's words (its ids are random hex, where
  // eleven digits in a row turn up by chance: CI met one).
  const words = (await outbox(id)).map((n) => `${n.title}\n${n.body}`);
  expect(words.length).toBeGreaterThanOrEqual(3);
  for (const w of words) expect(w).not.toMatch(/1\d{10}/);
});

test('issue 7 item 7: an organiser withdraws a resident’s wish only with a reason, on her timeline, and she is told', async () => {
  const id = await s.published();
  const resident = s.owner(id);
  const snap = await snapshot(env);
  const silent = await env.call('withdraw', { wishId: id }, 'demo-organiser');
  expect({ status: silent.status, code: silent.body.code }).toEqual({ status: 400, code: 'INPUT.INVALID' });
  expect((silent.body as { message: string }).message).toContain('原因');
  expect((await env.call('withdraw', { wishId: id, reason: '\u200b' }, 'demo-organiser')).status).toBe(400);
  expect(await snapshot(env)).toBe(snap);
  ok(await env.call('withdraw', { wishId: id, reason: '居民来电说家人已解决' }, 'demo-organiser'));
  const seen = ok(await env.call('wishDetail', { wishId: id }, resident));
  expect(seen).toMatchObject({ status: 'withdrawn', reason: '居民来电说家人已解决' });
  expect(seen.timeline.at(-1)).toMatchObject({ action: 'withdraw', actorRole: 'organiser', note: '社区撤回了心愿：居民来电说家人已解决' });
  expect((await outbox(id)).filter((n) => n.kind === 'withdrawn')).toEqual([
    expect.objectContaining({ to: resident, body: expect.stringContaining('居民来电说家人已解决') }),
  ]);
});

test('issue 7 item 8: texts of only invisible characters are empty in every function: 400, nothing written', async () => {
  const who = 'invisible-resident';
  await acceptNotice(env, who);
  const snap = await snapshot(env);
  const zw = '\u200b\u200c\u200d\ufeff';
  for (const field of ['title', 'content', 'contactName', 'address'])
    expect((await env.call('collect', { ...wishInput, [field]: zw, orgId: 'demo-community' }, who)).status).toBe(400);
  const id = await s.claimed('demo-member');
  const after = await snapshot(env);
  expect((await env.call('fulfil', { wishId: id, note: zw }, 'demo-member')).status).toBe(400);
  expect((await env.call('release', { wishId: id, reason: '\u2060\u00ad' }, 'demo-member')).status).toBe(400);
  expect(await snapshot(env)).toBe(after);
  expect(snap).not.toBe(after); // the claimed wish was made in between
});

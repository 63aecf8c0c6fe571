/**
 * Issue 3, the side paths of the three journeys, through the real SDK and the local cloud:
 * extensions, progress, reassign, reopen, close-out checks, batch publish, claim limit, duplicates,
 * overdue and extension lists, notifications (outbox) and the deadline reminder, evidence photo URLs.
 */
import { ok, refused, startCloud, inDays, wishInput, PNG, uploadPhoto } from './harness';

// This suite edits organisations in the database directly: the functions must not keep them in their
// instance cache (server/store.ts ORG_TTL_MS).
process.env.ORG_CACHE_MS = '0';

let env: Awaited<ReturnType<typeof startCloud>>;
beforeAll(async () => {
  env = await startCloud();
  for (const id of [
    'lim-a',
    'lim-b',
    'm-ext',
    'm-re',
    'm-note',
    'm-rem',
    'm-rem2',
    'm-photo',
    'm-close',
    'm-hot',
    'm-od',
    'm-od2',
    'm-notify',
    'm-w',
  ])
    await env.db.collection('users').add({ _id: id, role: 'member', orgId: 'demo-community', name: id });
}, 60_000);
beforeEach(() => env.resetRateLimits());
afterAll(() => env.stop());

async function post(extra = {}, openid = 'demo-resident') {
  return ok(await env.call('collect', { ...wishInput, ...extra }, openid));
}
async function toRegistered(extra = {}, reg: Record<string, unknown> = {}) {
  const w = await post(extra);
  return ok(
    await env.call(
      'register',
      { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '居民需要生活帮扶', ...reg },
      'demo-organiser',
    ),
  );
}
async function toPublished(extra = {}, reg: Record<string, unknown> = {}) {
  const w = await toRegistered(extra, reg);
  return ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
}
async function toClaimed(member: string, days = 7, extra = {}) {
  const w = await toPublished(extra);
  return ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(days) }, member));
}
const stored = async (id: string) => (await env.db.collection('wishes').doc(id).get()).data[0];
/** The outbox documents about one wish, oldest first. */
/** The notices about a wish, oldest first; without the organisers' new-wish alert of its collect (tests/functions/alerts.test.ts)
 * unless `all`. */
async function outboxFor(wishId: string, all = false) {
  const r = await env.db.collection('outbox').where({ wishId }).orderBy('at', 'asc').get();
  return (r.data as Array<{ to: string; kind: string; title: string; body: string; read: boolean; _id: string }>).filter(
    (n) => all || n.kind !== 'newWish',
  );
}
const md = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

test('extension asked, listed for the organiser, approved (promise moves) and refused (promise kept); both notified', async () => {
  const w = await toClaimed('m-ext', 5);
  const asked = ok(await env.call('extend', { wishId: w._id, until: inDays(12), reason: '配件还没到' }, 'm-ext'));
  expect(asked).toMatchObject({
    status: 'claimed',
    claim: { promisedBy: inDays(5), extension: { until: inDays(12), reason: '配件还没到', state: 'pending' } },
  });
  expect(asked.timeline.at(-1).note).toBe(`申请延期至 ${md(inDays(12))}：配件还没到`);
  expect(asked.actions).not.toContain('extend');
  refused(await env.call('extend', { wishId: w._id, until: inDays(13), reason: '再延' }, 'm-ext'), 409, 'WISH.WRONG_STATE');

  const list = ok(await env.call('orgWishes', { status: 'extension' }, 'demo-organiser'));
  expect(list.items.map((x: { _id: string }) => x._id)).toContain(w._id);
  expect((await outboxFor(w._id)).filter((n) => n.kind === 'extensionAsked').map((n) => n.to)).toEqual(['demo-organiser']);

  refused(await env.call('answerExtension', { wishId: w._id, approve: true }, 'm-ext'), 403, 'AUTH.FORBIDDEN');
  refused(await env.call('answerExtension', { wishId: w._id, approve: true }, 'demo-organiser-2'), 403, 'AUTH.OUT_OF_SCOPE');
  const yes = ok(await env.call('answerExtension', { wishId: w._id, approve: true, note: '同意' }, 'demo-organiser'));
  expect(yes.claim).toMatchObject({ promisedBy: inDays(12), extension: { state: 'approved' } });
  expect(ok(await env.call('orgWishes', { status: 'extension' }, 'demo-organiser')).items.map((x: { _id: string }) => x._id)).not.toContain(
    w._id,
  );
  const answered = (await outboxFor(w._id)).filter((n) => n.kind === 'extensionAnswered');
  expect(answered).toMatchObject([{ to: 'm-ext', title: '延期申请已同意' }]);

  // A second request, refused: the promise stays.
  ok(await env.call('extend', { wishId: w._id, until: inDays(20), reason: '师傅生病' }, 'm-ext'));
  const no = ok(await env.call('answerExtension', { wishId: w._id, approve: false, note: '居民很急' }, 'demo-organiser'));
  expect(no.claim).toMatchObject({ promisedBy: inDays(12), extension: { state: 'refused' } });
  expect(no.timeline.at(-1).note).toContain('未同意延期');
  expect((await outboxFor(w._id)).filter((n) => n.kind === 'extensionAnswered').map((n) => n.title)).toEqual([
    '延期申请已同意',
    '延期申请未同意',
  ]);
  refused(await env.call('answerExtension', { wishId: w._id, approve: true }, 'demo-organiser'), 409, 'WISH.WRONG_STATE');

  // Bounds: not before the current promise, not beyond today+90.
  refused(await env.call('extend', { wishId: w._id, until: inDays(12), reason: 'x' }, 'm-ext'), 400, 'INPUT.DATE_OUT_OF_RANGE');
  refused(await env.call('extend', { wishId: w._id, until: inDays(91), reason: 'x' }, 'm-ext'), 400, 'INPUT.DATE_OUT_OF_RANGE');
  // The member's own list shows the promise and the extension.
  const mine = ok(await env.call('myWishes', { scope: 'claimed' }, 'm-ext'));
  expect(mine.items.find((x: { _id: string }) => x._id === w._id).claim).toMatchObject({
    promisedBy: inDays(12),
    extension: { state: 'refused' },
  });
});

test('progress notes stay on a claimed wish; their words and photos only in private views', async () => {
  const w = await toClaimed('m-note');
  const photo = await uploadPhoto(env, 'm-note', 'progress', { wishId: w._id });
  const p = ok(await env.call('progress', { wishId: w._id, note: '已经买好了米和油', photos: [photo] }, 'm-note'));
  expect(p.status).toBe('claimed');
  expect(p.timeline.at(-1)).toMatchObject({
    action: 'progress',
    actorRole: 'member',
    note: '进展：已经买好了米和油',
    photos: [photo],
  });
  const other = ok(await env.call('wishDetail', { wishId: w._id }, 'demo-member-2'));
  // Another member reads that there was progress, not what it was (issue 7: notes are decided in privacy.ts).
  expect(other.timeline.at(-1).note).toBe('认领人记录了进展');
  expect(other.timeline.at(-1)).not.toHaveProperty('photos');
  refused(await env.call('progress', { wishId: w._id, note: '我也来' }, 'demo-member-2'), 403, 'AUTH.FORBIDDEN');
});

test('reassign: a member claim goes back on the board (the member is told); an assigned wish gets a new assignee', async () => {
  const w = await toClaimed('m-re');
  const back = ok(await env.call('reassign', { wishId: w._id, reason: '一周没有联系居民' }, 'demo-organiser'));
  expect(back).toMatchObject({ status: 'published', claim: null, reason: '一周没有联系居民' });
  expect(ok(await env.call('board', {}, 'demo-member')).items.map((x: { _id: string }) => x._id)).toContain(w._id);
  expect((await outboxFor(w._id)).filter((n) => n.kind === 'claimReleased').map((n) => n.to)).toEqual(['m-re']);
  refused(await env.call('reassign', { wishId: w._id, reason: 'x' }, 'demo-organiser'), 409, 'WISH.WRONG_STATE');

  const c = await toRegistered({}, { track: 'common' });
  ok(await env.call('assign', { wishId: c._id, kind: 'org', assignee: '物业公司', promisedBy: inDays(10) }, 'demo-organiser'));
  refused(await env.call('reassign', { wishId: c._id, reason: '物业不管' }, 'demo-organiser'), 400, 'INPUT.INVALID');
  const moved = ok(
    await env.call(
      'reassign',
      { wishId: c._id, reason: '物业不管', kind: 'leader', assignee: '王书记', promisedBy: inDays(15) },
      'demo-organiser',
    ),
  );
  expect(moved).toMatchObject({ status: 'claimed', claim: { kind: 'leader', assignee: '王书记', promisedBy: inDays(15) } });
  expect(moved.timeline.at(-1).note).toBe(`改派给领导“王书记”领办，承诺 ${md(inDays(15))}前完成：物业不管`);
  refused(await env.call('reassign', { wishId: c._id, reason: 'x' }, 'demo-member'), 403, 'AUTH.FORBIDDEN');
});

test('close-out is refused without evidence or feedback, then closes; reopen sends it back to the claimer', async () => {
  const w = await toClaimed('m-close');
  refused(await env.call('closeOut', { wishId: w._id }, 'demo-organiser'), 409, 'WISH.NO_EVIDENCE');
  ok(await env.call('fulfil', { wishId: w._id, note: '修好了水龙头' }, 'm-close'));
  refused(await env.call('closeOut', { wishId: w._id }, 'demo-organiser'), 409, 'WISH.NO_FEEDBACK');
  // 不满意 → rework: the old feedback does not let it close after the next fulfilment.
  const unhappy = ok(await env.call('feedback', { wishId: w._id, satisfaction: 'unsatisfied', comment: '还在漏水' }, 'demo-resident'));
  expect(unhappy.status).toBe('claimed');
  expect(unhappy.timeline.at(-1).note).toBe('不满意：还在漏水。已退回认领人重新办理');
  expect((await outboxFor(w._id)).filter((n) => n.kind === 'reworkNeeded').map((n) => n.to)).toEqual(['m-close']);
  refused(await env.call('closeOut', { wishId: w._id }, 'demo-organiser'), 409, 'WISH.NO_EVIDENCE');
  ok(await env.call('fulfil', { wishId: w._id, note: '换了新的阀门' }, 'm-close'));
  refused(await env.call('closeOut', { wishId: w._id }, 'demo-organiser'), 409, 'WISH.NO_FEEDBACK');
  expect(ok(await env.call('wishDetail', { wishId: w._id }, 'demo-organiser')).actions).not.toContain('closeOut');
  ok(await env.call('feedback', { wishId: w._id, satisfaction: 'satisfied' }, 'demo-resident'));
  expect(ok(await env.call('wishDetail', { wishId: w._id }, 'demo-organiser')).actions).toContain('closeOut');
  const closed = ok(await env.call('closeOut', { wishId: w._id, note: '已核实' }, 'demo-organiser'));
  expect(closed.status).toBe('closed');

  refused(await env.call('reopen', { wishId: w._id, reason: '又坏了' }, 'm-close'), 403, 'AUTH.FORBIDDEN');
  const reopened = ok(await env.call('reopen', { wishId: w._id, reason: '居民来电说又漏水了' }, 'demo-organiser'));
  expect(reopened).toMatchObject({
    status: 'claimed',
    fulfilment: null,
    feedback: null,
    closedAt: null,
    claim: { kind: 'member', promisedBy: inDays(7) },
  });
  expect(reopened.timeline.at(-1)).toMatchObject({
    action: 'reopen',
    actorRole: 'organiser',
    note: '社区重新打开：居民来电说又漏水了。已退回领办人重新办理',
  });
  expect((await outboxFor(w._id)).filter((n) => n.kind === 'reworkNeeded').map((n) => n.to)).toEqual(['m-close', 'm-close']);
  expect(ok(await env.call('wishDetail', { wishId: w._id }, 'm-close')).actions).toContain('fulfil');
});

test('a hotline wish without an app user: organisers are asked to call back, and the call-back is marked 回访', async () => {
  const w = ok(await env.call('collect', { ...wishInput, channel: 'hotline', contactPhone: '13900002222' }, 'demo-organiser'));
  ok(
    await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '居民需要生活帮扶' }, 'demo-organiser'),
  );
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(3) }, 'm-hot'));
  ok(await env.call('fulfil', { wishId: w._id, note: '送去了轮椅' }, 'm-hot'));
  const kinds = (await outboxFor(w._id)).map((n) => `${n.kind}→${n.to}`);
  expect(kinds.sort()).toEqual(['feedbackNeeded→demo-organiser', 'fulfilled→demo-organiser']);
  const cb = ok(await env.call('feedback', { wishId: w._id, satisfaction: 'satisfied', comment: '电话回访，很满意' }, 'demo-organiser'));
  expect(cb.feedback).toMatchObject({ callback: true, satisfaction: 'satisfied' });
  expect(cb.timeline.at(-1)).toMatchObject({ callback: true, actorRole: 'organiser' });
  expect(ok(await env.call('closeOut', { wishId: w._id }, 'demo-organiser')).status).toBe('closed');
});

test('batch publish: each wish published or reported with its code', async () => {
  const a = await toRegistered();
  const b = await toRegistered();
  const common = await toRegistered({}, { track: 'common' });
  const collected = await post();
  const r = ok(await env.call('publish', { wishIds: [a._id, b._id, common._id, collected._id, 'no-such-wish'] }, 'demo-organiser'));
  expect(r.published.map((x: { _id: string; status: string }) => [x._id, x.status])).toEqual([
    [a._id, 'published'],
    [b._id, 'published'],
  ]);
  expect(r.failed).toEqual([
    { wishId: common._id, code: 'WISH.WRONG_STATE', message: expect.stringContaining('指派') },
    { wishId: collected._id, code: 'WISH.WRONG_STATE', message: expect.any(String) },
    { wishId: 'no-such-wish', code: 'WISH.NOT_FOUND', message: expect.any(String) },
  ]);
  expect((await stored(common._id)).status).toBe('registered');
  const asMember = ok(await env.call('publish', { wishIds: [collected._id] }, 'demo-member'));
  expect(asMember.failed).toMatchObject([{ code: 'AUTH.FORBIDDEN' }]);
  refused(await env.call('publish', { wishIds: Array.from({ length: 21 }, (_, i) => `w${i}`) }, 'demo-organiser'), 400, 'INPUT.INVALID');
  refused(await env.call('publish', { wishId: a._id, wishIds: [b._id] }, 'demo-organiser'), 400, 'INPUT.INVALID');
});

test('claim limit: three open claims by default, the fourth refused with the count; the org setting applies', async () => {
  const ws = [];
  for (let i = 0; i < 4; i++) ws.push(await toPublished());
  for (let i = 0; i < 3; i++) ok(await env.call('claim', { wishId: ws[i]._id, promisedBy: inDays(5) }, 'lim-a'));
  const fourth = await env.call('claim', { wishId: ws[3]._id, promisedBy: inDays(5) }, 'lim-a');
  refused(fourth, 409, 'CLAIM.LIMIT_REACHED');
  expect((fourth.body as { message: string }).message).toContain('3 个');
  expect((await stored(ws[3]._id)).status).toBe('published');
  // A fulfilled claim is no longer open.
  ok(await env.call('fulfil', { wishId: ws[0]._id, note: '办好了' }, 'lim-a'));
  expect(ok(await env.call('claim', { wishId: ws[3]._id, promisedBy: inDays(5) }, 'lim-a')).status).toBe('claimed');

  await env.db.collection('orgs').doc('demo-community').update({ maxOpenClaims: 1 });
  try {
    const x = await toPublished();
    const y = await toPublished();
    ok(await env.call('claim', { wishId: x._id, promisedBy: inDays(5) }, 'lim-b'));
    const second = await env.call('claim', { wishId: y._id, promisedBy: inDays(5) }, 'lim-b');
    refused(second, 409, 'CLAIM.LIMIT_REACHED');
    expect((second.body as { message: string }).message).toContain('最多 1 个');
  } finally {
    await env.db.collection('orgs').doc('demo-community').update({ maxOpenClaims: 3 });
  }
});

test('duplicates: same phone, same address, same resident and similar text, within the organisation', async () => {
  const base = await post({
    title: '楼道灯坏了想请人修',
    content: '三单元楼道灯坏了一个月，晚上老人上下楼看不见',
    contactPhone: '13711112222',
    address: '和平路 9 号 3 单元',
  });
  const samePhone = await post(
    { title: '想学用智能手机', content: '想学会视频通话', contactPhone: '13711112222', address: '别处 1 号' },
    'demo-member',
  );
  const similar = await post(
    {
      title: '楼道灯坏了请人修',
      content: '三单元的楼道灯坏了一个月，晚上老人上下楼看不清',
      contactPhone: '13600000000',
      address: '另一个地址',
    },
    'demo-member-2',
  );
  const unrelated = await post(
    { title: '孩子想要一套画笔', content: '孩子喜欢画画', contactPhone: '13500000000', address: '幸福里 8 栋' },
    'demo-member',
  );
  const other = ok(await env.call('collect', { ...wishInput, contactPhone: '13711112222', channel: 'visit' }, 'demo-organiser-2'));

  const r = ok(await env.call('duplicates', { wishId: base._id }, 'demo-organiser'));
  const byId = new Map(r.items.map((d: { _id: string; reasons: string[] }) => [d._id, d.reasons]));
  expect(byId.get(samePhone._id)).toEqual(['same-phone']);
  expect(byId.get(similar._id)).toEqual(['similar-text']);
  expect(byId.has(unrelated._id)).toBe(false);
  expect(byId.has(other._id)).toBe(false); // another organisation
  expect(byId.has(base._id)).toBe(false);
  // Every earlier wish of demo-resident is a same-resident candidate (the harness address is shared too).
  const earlier = r.items.filter((d: { reasons: string[] }) => d.reasons.includes('same-resident'));
  expect(earlier.length).toBeGreaterThan(0);
  expect(r.items.length).toBeLessThanOrEqual(20);
  expect(Object.keys(r.items[0]).sort()).toEqual(['_id', 'createdAt', 'reasons', 'status', 'title']);
  expect(JSON.stringify(r)).not.toContain('13711112222');

  refused(await env.call('duplicates', { wishId: base._id }, 'demo-member'), 403, 'AUTH.FORBIDDEN');
  refused(await env.call('duplicates', { wishId: base._id }, 'demo-organiser-2'), 403, 'AUTH.OUT_OF_SCOPE');
  refused(await env.call('duplicates', { wishId: 'nope' }, 'demo-organiser'), 404, 'WISH.NOT_FOUND');
});

test('overdue: claimed wishes past their promise, most overdue first, only this organisation', async () => {
  const a = await toClaimed('m-od', 3);
  const b = await toClaimed('m-od', 3);
  const notYet = await toClaimed('m-od2', 1);
  // Time passes: the promises are now in the past (written as the platform would find them).
  await env.db
    .collection('wishes')
    .doc(a._id)
    .update({ 'claim.promisedBy': inDays(-2) });
  await env.db
    .collection('wishes')
    .doc(b._id)
    .update({ 'claim.promisedBy': inDays(-9) });
  const r = ok(await env.call('orgWishes', { status: 'overdue' }, 'demo-organiser'));
  const ids = r.items.map((x: { _id: string }) => x._id);
  expect(ids.indexOf(b._id)).toBeGreaterThanOrEqual(0);
  expect(ids.indexOf(b._id)).toBeLessThan(ids.indexOf(a._id));
  expect(ids).not.toContain(notYet._id);
  for (const x of r.items) expect(x.claim.promisedBy < inDays(0)).toBe(true);
  // Paging with a cursor, one at a time, keeps the order.
  const first = ok(await env.call('orgWishes', { status: 'overdue', limit: 1 }, 'demo-organiser'));
  const second = ok(await env.call('orgWishes', { status: 'overdue', limit: 1, cursor: first.cursor }, 'demo-organiser'));
  expect([first.items[0]._id, second.items[0]._id]).toEqual(ids.slice(0, 2));
  expect(ok(await env.call('orgWishes', { status: 'overdue' }, 'demo-organiser-2')).items).toEqual([]);
});

test('notifications: the right person at each node, nothing on a refused transition, own list only, markRead', async () => {
  const w = await toPublished();
  // collect alerts the organisers of a new wish in the queue; register and publish tell nobody.
  expect((await outboxFor(w._id, true)).map((n) => `${n.kind}→${n.to}`)).toEqual(['newWish→demo-organiser']);
  const before = (await env.db.collection('outbox').count()).total;
  refused(await env.call('claim', { wishId: w._id, promisedBy: inDays(200) }, 'm-notify'), 400, 'INPUT.DATE_OUT_OF_RANGE');
  refused(await env.call('fulfil', { wishId: w._id, note: 'x' }, 'm-notify'), 403, 'AUTH.FORBIDDEN');
  expect((await env.db.collection('outbox').count()).total).toBe(before);

  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(6) }, 'm-notify'));
  ok(await env.call('fulfil', { wishId: w._id, note: '陪老人聊了一下午' }, 'm-notify'));
  const notes = await outboxFor(w._id);
  // claim's notice first; fulfil's two share one time.
  expect(`${notes[0]!.kind}→${notes[0]!.to}`).toBe('claimed→demo-resident');
  expect(
    notes
      .slice(1)
      .map((n) => `${n.kind}→${n.to}`)
      .sort(),
  ).toEqual(['feedbackNeeded→demo-resident', 'fulfilled→demo-organiser']);
  expect(notes[0]!.body).toContain(`承诺 ${md(inDays(6))}前完成`);

  const mine = ok(await env.call('notifications', { limit: 20 }, 'demo-resident'));
  expect(mine.items.every((n: { _id: string }) => typeof n._id === 'string')).toBe(true);
  expect(mine.items[0]).toMatchObject({ kind: 'feedbackNeeded', wishId: w._id, read: false });
  expect(mine.items[0]).not.toHaveProperty('to');
  const ids = mine.items.map((n: { _id: string }) => n._id);
  const organiserIds = ok(await env.call('notifications', {}, 'demo-organiser')).items.map((n: { _id: string }) => n._id);
  expect(ids.some((id: string) => organiserIds.includes(id))).toBe(false);

  // Cursor paging over the caller's own list.
  const p1 = ok(await env.call('notifications', { limit: 1 }, 'demo-resident'));
  const p2 = ok(await env.call('notifications', { limit: 1, cursor: p1.cursor }, 'demo-resident'));
  expect([p1.items[0]._id, p2.items[0]._id]).toEqual(ids.slice(0, 2));

  // markRead touches only the caller's own notifications.
  expect(ok(await env.call('markRead', { ids: [ids[0], organiserIds[0]] }, 'demo-resident'))).toEqual({ updated: 1 });
  expect(ok(await env.call('notifications', { limit: 1 }, 'demo-resident')).items[0].read).toBe(true);
  expect(ok(await env.call('notifications', {}, 'demo-organiser')).items.find((n: { _id: string }) => n._id === organiserIds[0]).read).toBe(
    false,
  );

  const rejected = await post();
  ok(await env.call('register', { wishId: rejected._id, decision: 'reject', reason: '已转交街道' }, 'demo-organiser'));
  expect(await outboxFor(rejected._id)).toMatchObject([
    { to: 'demo-resident', kind: 'rejected', body: expect.stringContaining('已转交街道') },
  ]);
});

test('remind: deadlineNear once per claim and promised date; not callable by a user', async () => {
  const today = await toClaimed('m-rem', 0);
  const tomorrow = await toClaimed('m-rem', 1);
  const later = await toClaimed('m-rem2', 5);
  refused(await env.call('remind', {}, 'demo-organiser'), 403, 'AUTH.FORBIDDEN');
  const first = ok(await env.trigger('remind', { Type: 'Timer', TriggerName: 'remindDaily', Time: new Date().toISOString() }));
  expect(first.sent).toBeGreaterThanOrEqual(2);
  const near = async (id: string) => (await outboxFor(id)).filter((n) => n.kind === 'deadlineNear');
  expect(await near(today._id)).toMatchObject([{ to: 'm-rem', body: expect.stringContaining('今天') }]);
  expect(await near(tomorrow._id)).toMatchObject([{ to: 'm-rem', body: expect.stringContaining(md(inDays(1))) }]);
  expect(await near(later._id)).toEqual([]);
  const again = ok(await env.trigger('remind', {}));
  expect(again.sent).toBe(0);
  expect(again.skipped).toBeGreaterThanOrEqual(2);
  expect(await near(today._id)).toHaveLength(1);
  // After an approved extension the new promised date is reminded again, when it comes near.
  ok(await env.call('extend', { wishId: today._id, until: inDays(1), reason: '下雨' }, 'm-rem'));
  ok(await env.call('answerExtension', { wishId: today._id, approve: true }, 'demo-organiser'));
  ok(await env.trigger('remind', {}));
  expect(await near(today._id)).toHaveLength(2);
});

test('fileUrls: evidence photo URLs for the resident, the claimer and organisers only', async () => {
  const w = await toClaimed('m-photo');
  const fileID = await uploadPhoto(env, 'm-photo', 'fulfil', { wishId: w._id });
  expect(fileID).toMatch(/^cloud:\/\/local\.bucket\/uploads\//);
  // Before it is attached to a wish nobody gets its URL through fileUrls.
  refused(await env.call('fileUrls', { fileIds: [fileID] }, 'demo-organiser'), 403, 'AUTH.FORBIDDEN');
  ok(await env.call('fulfil', { wishId: w._id, note: '已送到', photos: [fileID] }, 'm-photo'));
  for (const who of ['demo-resident', 'demo-organiser', 'm-photo']) {
    const r = ok(await env.call('fileUrls', { fileIds: [fileID] }, who));
    const res = await fetch(r.urls[fileID]);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  }
  refused(await env.call('fileUrls', { fileIds: [fileID] }, 'demo-member-2'), 403, 'AUTH.FORBIDDEN');
  refused(await env.call('fileUrls', { fileIds: [fileID] }, 'demo-organiser-2'), 403, 'AUTH.FORBIDDEN');
  // The board and a stranger's detail never carry it.
  expect(JSON.stringify(ok(await env.call('wishDetail', { wishId: w._id }, 'demo-member-2')))).not.toContain(fileID);
});

test('a resident posts with photos: private to those who see the contact', async () => {
  const photo = await uploadPhoto(env, 'demo-resident', 'collect');
  const w = await post({ photos: [photo] });
  expect(w.photos).toEqual([photo]);
  ok(
    await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '居民需要生活帮扶' }, 'demo-organiser'),
  );
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  expect(ok(await env.call('wishDetail', { wishId: w._id }, 'demo-member'))).not.toHaveProperty('photos');
  expect(ok(await env.call('wishDetail', { wishId: w._id }, 'demo-organiser')).photos).toEqual([photo]);
});

test('withdraw: the resident withdraws an unclaimed wish; a claimed one cannot be withdrawn', async () => {
  const w = await toPublished();
  expect(ok(await env.call('withdraw', { wishId: w._id, reason: '邻居帮我弄好了' }, 'demo-resident'))).toMatchObject({
    status: 'withdrawn',
    reason: '邻居帮我弄好了',
  });
  expect(ok(await env.call('board', {}, 'demo-member')).items.map((x: { _id: string }) => x._id)).not.toContain(w._id);
  const c = await toClaimed('m-w');
  refused(await env.call('withdraw', { wishId: c._id }, 'demo-resident'), 409, 'WISH.WRONG_STATE');
});

test('whoami lists the communities a member may filter the board by', async () => {
  expect(ok(await env.call('whoami', {}, 'demo-member')).communities).toEqual([{ orgId: 'demo-community', orgName: '幸福里社区' }]);
  expect(ok(await env.call('whoami', {}, 'demo-resident')).communities).toEqual([]);
});

test('pending archive: deferred wishes listed soonest re-review first, revived back to the registration queue', async () => {
  const later = await post();
  const sooner = await post();
  ok(await env.call('register', { wishId: later._id, track: 'deferred', reason: '等旧改', reviewOn: inDays(60) }, 'demo-organiser'));
  const d = ok(
    await env.call('register', { wishId: sooner._id, track: 'deferred', reason: '等资金', reviewOn: inDays(20) }, 'demo-organiser'),
  );
  expect(d.timeline.at(-1).note).toBe(`暂不具备办理条件：等资金。计划 ${md(inDays(20))}复核`);
  const archive = ok(await env.call('orgWishes', { status: 'deferred' }, 'demo-organiser')).items.map((x: { _id: string }) => x._id);
  expect(archive.indexOf(sooner._id)).toBeGreaterThanOrEqual(0);
  expect(archive.indexOf(sooner._id)).toBeLessThan(archive.indexOf(later._id));
  ok(await env.call('revive', { wishId: sooner._id }, 'demo-organiser'));
  const queue = ok(await env.call('orgWishes', { status: 'collected' }, 'demo-organiser')).items.map((x: { _id: string }) => x._id);
  expect(queue).toContain(sooner._id);
  expect(ok(await env.call('orgWishes', { status: 'deferred' }, 'demo-organiser')).items.map((x: { _id: string }) => x._id)).not.toContain(
    sooner._id,
  );
});

/**
 * Organiser alerts (督办提醒, issue 9 part 2) through the real functions: a new wish in the queue, a wish held for
 * moderation, an extension request, an unsatisfied feedback (effects of the transitions, delivered through the
 * wish's pending list) and a claim that becomes overdue (the daily `overdueAlerts` timer). Each alert reaches the
 * nearest organisers of the wish's organisation exactly once — a retried call, a rerun of the timer and the next
 * transition send nothing twice — never the organiser who acted, never organisers of another community or of the
 * street above, never members or residents; and its text names the wish by its public summary or category, never by
 * the resident's words or contact.
 */
import { addDays, chinaDate } from '../../src/core';
import { allDocs, inDays, ok, startCloud, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
const COLLEAGUE = 'alerts-organiser-b'; // a second organiser of 幸福里社区 (demo-organiser is the first)
const STREET = 'alerts-street-organiser'; // 和平街道: above both communities, not the nearest for their wishes
const ALERTS = ['newWish', 'wishHeld', 'claimOverdue', 'extensionAsked', 'unsatisfied'];
const PERSONAL = [wishInput.title, wishInput.content, wishInput.contactName, wishInput.contactPhone, wishInput.address, '想请人', '老伴'];

interface Doc {
  _id: string;
  to: string;
  kind: string;
  title: string;
  body: string;
  wishId: string;
}

beforeAll(async () => {
  env = await startCloud();
  await env.db.collection('users').add({ _id: COLLEAGUE, role: 'organiser', orgId: 'demo-community', name: '社区 张伟' });
  await env.db.collection('users').add({ _id: STREET, role: 'organiser', orgId: 'demo-street', name: '街道 周敏' });
  for (const n of [1, 2, 3])
    await env.db
      .collection('users')
      .add({ _id: `alerts-member-${n}`, role: 'member', orgId: 'demo-community', name: ['', '周一', '吴二', '郑三'][n] });
}, 120_000);
afterAll(() => env.stop());
beforeEach(() => env.resetRateLimits());

const outbox = () => allDocs<Doc>(env.db as never, 'outbox');
const alertsOf = async (wishId: string, kind?: string) =>
  (await outbox()).filter((d) => d.wishId === wishId && ALERTS.includes(d.kind) && (!kind || d.kind === kind));
const recipients = (docs: Doc[]) => docs.map((d) => d.to).sort();

/** No alert carries the resident's words or contact. */
function noPersonalData(docs: Doc[]) {
  for (const d of docs)
    for (const p of PERSONAL)
      expect({ kind: d.kind, text: `${d.title} ${d.body}`, has: p }).not.toMatchObject({ text: expect.stringContaining(p) });
}

test('a new wish: one newWish alert to each organiser of its community, none to the street, the other community, members', async () => {
  const w = ok(await env.call('collect', { ...wishInput, requestId: 'alert-new-1' }, 'demo-resident'));
  const got = await alertsOf(w._id);
  expect(got.map((d) => d.kind)).toEqual(['newWish', 'newWish']);
  expect(recipients(got)).toEqual([COLLEAGUE, 'demo-organiser'].sort());
  expect(got[0]).toMatchObject({ title: '有新心愿待登记', body: '收到一个来自小程序的心愿，请及时登记' });
  noPersonalData(got);
  // A retry of the same request: the first answer, nothing sent twice.
  ok(await env.call('collect', { ...wishInput, requestId: 'alert-new-1' }, 'demo-resident'));
  expect(await alertsOf(w._id)).toHaveLength(2);
  // Registering it (the next transition, carrying nothing pending) adds no alert either.
  ok(
    await env.call(
      'register',
      { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '老人希望有人陪伴聊天' },
      'demo-organiser',
    ),
  );
  expect(await alertsOf(w._id)).toHaveLength(2);
  // The other community's wish goes to its own organiser only.
  const other = ok(await env.call('collect', { ...wishInput, orgId: 'demo-community-2' }, 'demo-resident'));
  expect(recipients(await alertsOf(other._id))).toEqual(['demo-organiser-2']);
});

test('an organiser entering a wish is not alerted of it; a wish in a grid without organisers alerts the community’s', async () => {
  const w = ok(await env.call('collect', { ...wishInput, orgId: 'demo-grid-1', channel: 'visit' }, 'demo-organiser'));
  const got = await alertsOf(w._id);
  expect(recipients(got)).toEqual([COLLEAGUE]);
  expect(got[0]!.body).toBe('收到一个来自上门走访的心愿，请及时登记');
});

test('a wish held by the content check: one wishHeld alert (and no newWish) to the community’s organisers', async () => {
  const w = ok(await env.call('collect', { ...wishInput, content: '家里水管坏了，请加微信联系我' }, 'demo-resident'));
  expect(w.moderation).toMatchObject({ state: 'review' });
  const got = await alertsOf(w._id);
  expect(got.map((d) => d.kind)).toEqual(['wishHeld', 'wishHeld']);
  expect(recipients(got)).toEqual([COLLEAGUE, 'demo-organiser'].sort());
  expect(got[0]!.title).toBe('有心愿待内容审核');
  noPersonalData(got);
});

/** A wish of 幸福里社区 registered, published and claimed by `member`, promised in `days` days. */
async function claimed(days: number, summary = '帮独居老人修理水管', member = 'demo-member'): Promise<string> {
  const w = ok(await env.call('collect', wishInput, 'demo-resident'));
  ok(await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(days) }, member));
  return w._id;
}

test('an extension request alerts both organisers once; answering it alerts no organiser', async () => {
  const id = await claimed(3);
  ok(await env.call('extend', { wishId: id, until: inDays(10), reason: '配件还没到', requestId: 'alert-ext-1' }, 'demo-member'));
  ok(await env.call('extend', { wishId: id, until: inDays(10), reason: '配件还没到', requestId: 'alert-ext-1' }, 'demo-member'));
  const got = await alertsOf(id, 'extensionAsked');
  expect(recipients(got)).toEqual([COLLEAGUE, 'demo-organiser'].sort());
  expect(got[0]!.body).toMatch(/^“帮独居老人修理水管”申请延期至 \d+月\d+日：配件还没到$/);
  noPersonalData(got);
  ok(await env.call('answerExtension', { wishId: id, approve: true }, 'demo-organiser'));
  expect(await alertsOf(id, 'extensionAsked')).toHaveLength(2);
  expect((await alertsOf(id)).filter((d) => d.kind !== 'newWish')).toHaveLength(2);
});

test('an unsatisfied feedback alerts the organisers once, by the public summary; a satisfied one alerts nobody', async () => {
  const id = await claimed(3, '帮独居老人修理水管');
  ok(await env.call('fulfil', { wishId: id, note: '换了新的水龙头' }, 'demo-member'));
  ok(
    await env.call('feedback', { wishId: id, satisfaction: 'unsatisfied', comment: '还是漏水', requestId: 'alert-fb-1' }, 'demo-resident'),
  );
  ok(
    await env.call('feedback', { wishId: id, satisfaction: 'unsatisfied', comment: '还是漏水', requestId: 'alert-fb-1' }, 'demo-resident'),
  );
  const got = await alertsOf(id, 'unsatisfied');
  expect(recipients(got)).toEqual([COLLEAGUE, 'demo-organiser'].sort());
  expect(got[0]!.body).toBe('“帮独居老人修理水管”：居民反馈不满意，已退回李明（幸福里社区）重新办理');
  noPersonalData(got);
  // The rework: fulfilled again, and this time satisfied: no second unsatisfied alert.
  ok(await env.call('fulfil', { wishId: id, note: '换了整套水管' }, 'demo-member'));
  ok(await env.call('feedback', { wishId: id, satisfaction: 'satisfied' }, 'demo-resident'));
  expect(await alertsOf(id, 'unsatisfied')).toHaveLength(2);
});

test('overdue claims: the daily timer alerts once per wish and promised date; a rerun sends nothing; due or long-overdue claims are not read', async () => {
  const today = chinaDate(new Date());
  const late = await claimed(0, '陪老人去医院复查', 'alerts-member-1');
  const due = await claimed(2, '帮独居老人修理水管', 'alerts-member-2');
  const ancient = await claimed(0, '帮独居老人修理水管', 'alerts-member-3');
  // Time passes: the promises were yesterday and 30 days ago (claim refuses past dates, so the test moves them).
  await env.db
    .collection('wishes')
    .doc(late)
    .update({ 'claim.promisedBy': addDays(today, -1) });
  await env.db
    .collection('wishes')
    .doc(ancient)
    .update({ 'claim.promisedBy': addDays(today, -30) });
  const before = (await outbox()).length;
  const first = ok(await env.trigger('overdueAlerts', { Type: 'Timer', TriggerName: 'daily-overdue-alerts' }));
  const got = await alertsOf(late, 'claimOverdue');
  expect(recipients(got)).toEqual([COLLEAGUE, 'demo-organiser'].sort());
  expect(got[0]).toMatchObject({ title: '有认领已逾期' });
  expect(got[0]!.body).toMatch(/^“陪老人去医院复查”由党员周一（幸福里社区）承诺 \d+月\d+日前完成，已逾期，请督促$/);
  noPersonalData(got);
  expect(await alertsOf(due, 'claimOverdue')).toEqual([]);
  expect(await alertsOf(ancient, 'claimOverdue')).toEqual([]); // outside the 7-day window: alerted back then
  expect(first).toMatchObject({ today, sent: (await outbox()).length - before });
  // Nobody else: no member, resident, street organiser or the other community's organiser got an overdue alert.
  const everyone = (await outbox()).filter((d) => d.kind === 'claimOverdue');
  expect([...new Set(everyone.map((d) => d.to))].sort()).toEqual([COLLEAGUE, 'demo-organiser'].sort());

  // The rerun (the same day, or a timer that fires twice): nothing new.
  const count = (await outbox()).length;
  const again = ok(await env.trigger('overdueAlerts', { Type: 'Timer' }));
  expect(again).toMatchObject({ sent: 0 });
  expect(again.already).toBeGreaterThanOrEqual(2);
  expect((await outbox()).length).toBe(count);

  // An approved extension moves the promise: when the new date passes too, that is a new alert (once).
  await env.db
    .collection('wishes')
    .doc(late)
    .update({ 'claim.promisedBy': addDays(today, -2) });
  ok(await env.trigger('overdueAlerts', { Type: 'Timer' }));
  ok(await env.trigger('overdueAlerts', { Type: 'Timer' }));
  expect(await alertsOf(late, 'claimOverdue')).toHaveLength(4);
});

test('members, residents and the street organiser received no organiser alert in all of this', async () => {
  const docs = (await outbox()).filter((d) => ALERTS.includes(d.kind));
  expect(docs.length).toBeGreaterThan(10);
  const to = new Set(docs.map((d) => d.to));
  for (const who of ['demo-member', 'demo-member-2', 'demo-member-3', 'alerts-member-1', 'demo-resident', STREET])
    expect({ who, got: to.has(who) }).toEqual({ who, got: false });
  // Each (alert, recipient) once: no two documents for the same recipient, wish, kind and text.
  const keys = docs.map((d) => `${d.to}|${d.wishId}|${d.kind}|${d.body}`);
  expect(new Set(keys).size).toBe(keys.length);
});

test('催办 chase: an organiser of the wish reminds its claimer once per call (a retry sends nothing twice); others may not', async () => {
  const id = await claimed(1, '帮老人取药', 'alerts-member-2');
  const chased = ok(await env.call('chase', { wishId: id, note: '居民在等', requestId: 'chase-1' }, 'demo-organiser'));
  expect(chased.status).toBe('claimed');
  expect(chased.timeline.at(-1)).toMatchObject({ action: 'chase', note: '社区催办：居民在等' });
  ok(await env.call('chase', { wishId: id, note: '居民在等', requestId: 'chase-1' }, 'demo-organiser'));
  const got = (await outbox()).filter((d) => d.wishId === id && d.kind === 'chased');
  expect(got.map((d) => d.to)).toEqual(['alerts-member-2']);
  expect(got[0]!.body).toMatch(/^“想请人陪我聊聊天”承诺 \d+月\d+日前完成，请抓紧办理：居民在等$/);
  // Not the member, not the other community's organiser; nothing written.
  const before = (await outbox()).length;
  expect((await env.call('chase', { wishId: id }, 'alerts-member-2')).status).toBe(403);
  expect((await env.call('chase', { wishId: id }, 'demo-organiser-2')).status).toBe(403);
  expect((await outbox()).length).toBe(before);
  // The timeline shows other members only that it was chased (privacy.ts).
  const seen = ok(await env.call('wishDetail', { wishId: id }, 'alerts-member-1'));
  expect(JSON.stringify(seen)).not.toContain('居民在等');
});

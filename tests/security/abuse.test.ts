/**
 * Content safety and abuse: each content-check outcome (pass, risky, review, check failed), the moderation
 * queue, per-user rate limits, a 200-way claim race, retried writes with the same requestId, Mongo operator
 * objects and wrong types in every field of every function, oversized bodies.
 */
import { OPERATIONS } from '../../src/core/functions';
import * as v from 'valibot';
import * as core from '../../src/core';
import { ImportBatchEvent } from '../../src/core/batch';
import { WishCardsEvent } from '../../src/core/cards';
import { ExportLedgerEvent } from '../../src/core/ledger';
import { acceptNotice, inDays, ok, snapshot, stages, validEvents, wishInput, type Env, suite } from './setup';

const { extra, ready } = suite('abuse');
let env: Env;
let s: ReturnType<typeof stages>;
beforeAll(() => ({ env, s } = ready()));

async function consented(openid: string) {
  await acceptNotice(env, openid);
}

test('content check: pass publishes normally, risky is refused, review and a failed check hold the wish for moderation', async () => {
  const event = { ...wishInput, orgId: 'demo-community' };
  await consented('cc-resident');
  // pass
  const passed = ok(await env.call('collect', event, 'cc-resident'));
  expect(passed).not.toHaveProperty('moderation');
  // risky: refused with a clear message, nothing written
  let snap = await snapshot(env);
  const risky = await env.call('collect', { ...event, content: '楼下有人组织赌博，想请人帮忙' }, 'cc-resident');
  expect(risky.status).toBe(422);
  expect(risky.body).toMatchObject({ code: 'CONTENT.RISKY', message: '内容含有不适宜发布的信息，请修改后再提交' });
  expect(await snapshot(env)).toBe(snap);
  // review: held
  const review = ok(await env.call('collect', { ...event, content: '家里困难，有意者加微信详谈' }, 'cc-resident'));
  expect(review.moderation).toMatchObject({ state: 'review' });
  // the check itself failing: held as well, never published automatically
  const failed = ok(await env.call('collect', { ...event, content: '想请人帮忙修水管【检测故障】' }, 'cc-resident'));
  expect(failed.moderation).toMatchObject({ state: 'review', reason: expect.stringContaining('失败') });

  // A held wish cannot be registered or published until an organiser releases it.
  snap = await snapshot(env);
  const held = await env.call('register', { wishId: review._id, category: '生活帮扶', track: 'individual' }, 'demo-organiser');
  expect(held.body.code).toBe('CONTENT.HELD');
  expect(await snapshot(env)).toBe(snap);
  const queue = ok(await env.call('moderationQueue', {}, 'demo-organiser'));
  expect(queue.items.map((w: { _id: string }) => w._id).sort()).toEqual([review._id, failed._id].sort());
  expect(ok(await env.call('moderationQueue', {}, 'demo-organiser-2')).items).toHaveLength(0);
  // The other community's organiser may not moderate it.
  snap = await snapshot(env);
  expect((await env.call('moderate', { wishId: review._id, approve: true }, 'demo-organiser-2')).body.code).toBe('AUTH.OUT_OF_SCOPE');
  expect(await snapshot(env)).toBe(snap);
  // Released: now it follows the normal flow. Rejected: the resident reads the reason.
  expect(ok(await env.call('moderate', { wishId: failed._id, approve: true }, 'demo-organiser')).moderation).toMatchObject({
    state: 'approved',
  });
  expect(ok(await env.call('register', { wishId: failed._id, category: '生活帮扶', track: 'individual' }, 'demo-organiser')).status).toBe(
    'registered',
  );
  expect(ok(await env.call('moderate', { wishId: review._id, approve: false, reason: '请勿留联系方式' }, 'demo-organiser'))).toMatchObject({
    status: 'rejected',
    reason: '请勿留联系方式',
  });
  expect((await env.call('moderate', { wishId: review._id, approve: true }, 'demo-organiser')).body.code).toBe('WISH.WRONG_STATE');
  const log = ok(await env.call('auditLog', {}, 'demo-organiser'));
  expect(log.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['moderate.approve', 'moderate.reject']));

  // Texts typed at other stages: risky and review are refused, nothing written.
  const claimed = await s.claimed();
  for (const [note, code] of [
    ['已办好，顺便介绍了博彩网站', 'CONTENT.RISKY'],
    ['已办好，后续请加微信联系', 'CONTENT.REVIEW'],
    ['已办好【检测故障】', 'CONTENT.REVIEW'],
  ]) {
    snap = await snapshot(env);
    const r = await env.call('fulfil', { wishId: claimed, note }, 'demo-member');
    expect(r.body.code).toBe(code);
    expect(await snapshot(env)).toBe(snap);
  }
  expect(ok(await env.call('fulfil', { wishId: claimed, note: '已办好' }, 'demo-member')).status).toBe('fulfilled');
});

test('rate limit: a resident posting more than 10 wishes an hour is refused from the 11th, nothing written', async () => {
  await consented('busy-resident');
  const replies = [];
  for (let i = 0; i < 10; i++)
    replies.push(await env.call('collect', { ...wishInput, orgId: 'demo-community', title: `心愿 ${i}` }, 'busy-resident'));
  expect(replies.every((r) => r.status === 200)).toBe(true);
  const snap = await snapshot(env);
  const refused = [];
  for (let i = 0; i < 5; i++)
    refused.push(await env.call('collect', { ...wishInput, orgId: 'demo-community', title: `多余 ${i}` }, 'busy-resident'));
  expect(refused.map((r) => [r.status, r.body.code])).toEqual(Array(5).fill([429, 'RATE.LIMITED']));
  expect(await snapshot(env)).toBe(snap);
  // Concurrent posts cannot slip past the limit.
  await consented('burst-resident');
  const burst = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      env.call('collect', { ...wishInput, orgId: 'demo-community', title: `并发 ${i}` }, 'burst-resident'),
    ),
  );
  const passed = burst.filter((r) => r.status === 200).length;
  expect(passed).toBe(10);
  expect(burst.filter((r) => r.status === 429).length).toBe(20);
  const { total } = await env.db.collection('wishes').where({ residentId: 'burst-resident' }).count();
  expect(total).toBe(10);
  // Other people are not affected.
  await consented('calm-resident');
  expect((await env.call('collect', { ...wishInput, orgId: 'demo-community' }, 'calm-resident')).status).toBe(200);
  extra('rate limit', { 'burst of 30 accepted': passed, 'burst refused': 30 - passed, 'burst stored': total });
});

test('rate limit windows on the user document: the last hour does not count, this hour does, the list stays short', async () => {
  // server/trust.ts loadWriter: each call pushes its window (hours since the epoch) onto rate.<fn>.a (even) or .b (odd).
  const hour = () => Math.floor(Date.now() / 3_600_000);
  const w = hour();
  const [mine, other] = w % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
  const users = env.db.collection('users');
  // Ten posts last hour and ten two hours ago (same parity, never cleared since): neither counts now.
  await consented('window-resident');
  await users.doc('window-resident').update({ rate: { collect: { [other]: Array(10).fill(w - 1), [mine]: Array(10).fill(w - 2) } } });
  const posted = await env.call('collect', { ...wishInput, orgId: 'demo-community', title: '新的一小时' }, 'window-resident');
  expect(posted.status).toBe(200);
  const after = (await users.doc('window-resident').get()).data[0].rate.collect;
  if (hour() === w) {
    expect(after[other]).toBeUndefined(); // the other parity's list is removed by every call
    expect(after[mine].filter((x: number) => x === w)).toHaveLength(1);
    expect(after[mine].length).toBeLessThanOrEqual(201); // the most any role may post an hour, and one more
  }
  // Ten posts already this hour: the eleventh is refused, and nothing but the count changes.
  await consented('full-resident');
  await users.doc('full-resident').update({ rate: { collect: { [mine]: Array(10).fill(w) } } });
  const snap = await snapshot(env);
  const refused = await env.call('collect', { ...wishInput, orgId: 'demo-community', title: '第十一条' }, 'full-resident');
  if (hour() === w) expect(refused.body.code).toBe('RATE.LIMITED');
  expect(await snapshot(env)).toBe(snap);
});

test('rate limit: deleting one’s data and agreeing again does not open a fresh hour', async () => {
  // server/trust.ts keepRateCounts / rateSeed: the counts on the deleted document become counter documents, and the
  // document made by the next consent starts with them.
  const hour = () => Math.floor(Date.now() / 3_600_000);
  const w = hour();
  await consented('erasing-resident');
  for (let i = 0; i < 10; i++)
    expect((await env.call('collect', { ...wishInput, orgId: 'demo-community', title: `心愿 ${i}` }, 'erasing-resident')).status).toBe(200);
  ok(await env.call('deleteMyData', { confirm: true }, 'erasing-resident'));
  expect((await env.db.collection('users').doc('erasing-resident').get()).data).toEqual([]);
  const counters = await env.db.collection('ratelimits').where({ userId: 'erasing-resident' }).get();
  const byFn = Object.fromEntries(counters.data.map((d: { fn: string; count: number }) => [d.fn, d.count]));
  if (hour() !== w) return; // the hour turned meanwhile: a fresh hour is right
  expect(byFn).toMatchObject({ collect: 10, deleteMyData: 1 });
  await consented('erasing-resident');
  const rate = (await env.db.collection('users').doc('erasing-resident').get()).data[0].rate;
  expect(rate.collect[w % 2 === 0 ? 'a' : 'b'].filter((x: number) => x === w)).toHaveLength(10);
  const snap = await snapshot(env);
  const refused = await env.call('collect', { ...wishInput, orgId: 'demo-community', title: '第十一条' }, 'erasing-resident');
  if (hour() !== w) return;
  expect([refused.status, refused.body.code]).toEqual([429, 'RATE.LIMITED']);
  expect(await snapshot(env)).toBe(snap);
  // Deleting again: each call of the hour is counted once (the refused post too), however often the document came and went.
  ok(await env.call('deleteMyData', { confirm: true }, 'erasing-resident'));
  const again = await env.db.collection('ratelimits').where({ userId: 'erasing-resident' }).get();
  if (hour() !== w) return;
  expect(Object.fromEntries(again.data.map((d: { fn: string; count: number }) => [d.fn, d.count]))).toEqual({
    consent: 2,
    collect: 11,
    deleteMyData: 2,
  });
  // Someone else's hour is their own.
  await consented('other-resident');
  expect((await env.call('collect', { ...wishInput, orgId: 'demo-community' }, 'other-resident')).status).toBe(200);
});

test('rate limit on claiming: a member hammering claim is cut off after 20 attempts an hour', async () => {
  await env.db.collection('users').add({ _id: 'claim-spammer', role: 'member', orgId: 'demo-community', name: '刷单' });
  const wishes = [await s.published(), await s.published()];
  const replies = [];
  for (let i = 0; i < 25; i++) replies.push(await env.call('claim', { wishId: wishes[i % 2], promisedBy: inDays(3) }, 'claim-spammer'));
  const codes = replies.map((r) => (r.status === 200 ? 'ok' : r.body.code));
  expect(codes.slice(0, 2)).toEqual(['ok', 'ok']);
  expect(codes.slice(2, 20).every((c) => c === 'WISH.ALREADY_CLAIMED')).toBe(true);
  expect(codes.slice(20)).toEqual(Array(5).fill('RATE.LIMITED'));
  // Another member is unaffected.
  const other = await s.published();
  expect((await env.call('claim', { wishId: other, promisedBy: inDays(3) }, 'demo-member-2')).status).toBe(200);
});

test('200 members claim one wish at the same moment: exactly one winner, one claim stored', async () => {
  const N = 200;
  const users = env.db.collection('users');
  for (let i = 0; i < N; i++) await users.add({ _id: `racer-${i}`, role: 'member', orgId: 'demo-community', name: `党员${i}` });
  const wishId = await s.published();
  const replies = await Promise.all(
    Array.from({ length: N }, (_, i) => env.call('claim', { wishId, promisedBy: inDays(7) }, `racer-${i}`).then((r) => ({ ...r, i }))),
  );
  const winners = replies.filter((r) => r.status === 200);
  const lost = replies.filter((r) => r.body.code === 'WISH.ALREADY_CLAIMED');
  const other = replies.filter((r) => r.status !== 200 && r.body.code !== 'WISH.ALREADY_CLAIMED');
  extra('race', { racers: N, winners: winners.length, losers: lost.length, 'other answers': other.length });
  expect(winners).toHaveLength(1);
  expect(other.map((r) => `${r.status} ${r.body.code}`)).toEqual([]);
  expect(lost).toHaveLength(N - 1);
  const stored = (await env.db.collection('wishes').doc(wishId).get()).data[0];
  expect(stored.claim.memberId).toBe(`racer-${winners[0]!.i}`);
  expect(stored.timeline.filter((e: { action: string }) => e.action === 'claim')).toHaveLength(1);
  expect(stored.version).toBe(stored.timeline.length);
  // Of the members, only the winner saw the resident's contact (one reveal logged; the others are the organiser's).
  const reveals = (await env.db.collection('audit').where({ action: 'reveal', 'target.id': wishId, actorRole: 'member' }).get()).data;
  expect(reveals.map((e: { actorId: string }) => e.actorId)).toEqual([`racer-${winners[0]!.i}`]);
  expect(lost.every((r) => !JSON.stringify(r.body).includes(wishInput.contactPhone))).toBe(true);
}, 120_000);

test('a retried claim (and post) with the same requestId returns the first answer and writes once', async () => {
  const wishId = await s.published();
  const event = { wishId, promisedBy: inDays(4), requestId: 'retry-claim-1' };
  const replies = await Promise.all(Array.from({ length: 5 }, () => env.call('claim', event, 'demo-member-2')));
  replies.push(await env.call('claim', event, 'demo-member-2'));
  expect(replies.map((r) => r.status)).toEqual(Array(6).fill(200));
  // The same answer every time (deep equality: the stored document's key order is the database's, not the answer's).
  const answers = replies.map((r) => ({ ...r.data, actions: undefined }));
  for (const a of answers) expect(a).toEqual(answers[0]);
  const stored = (await env.db.collection('wishes').doc(wishId).get()).data[0];
  expect(stored.timeline.filter((e: { requestId?: string }) => e.requestId === 'retry-claim-1')).toHaveLength(1);
  expect(stored.version).toBe(4);
  // The same requestId from another member is no pass.
  expect((await env.call('claim', event, 'demo-member')).body.code).toBe('WISH.ALREADY_CLAIMED');
  // A retried post.
  await consented('retry-resident');
  const post = { ...wishInput, orgId: 'demo-community', requestId: 'retry-post-1' };
  const posts = await Promise.all(Array.from({ length: 4 }, () => env.call('collect', post, 'retry-resident')));
  expect(new Set(posts.map((r) => r.data._id)).size).toBe(1);
  expect((await env.db.collection('wishes').where({ residentId: 'retry-resident' }).count()).total).toBe(1);
});

// ---------------------------------------------------------------------------
// Mongo operator objects and wrong types in every field of every function.
// ---------------------------------------------------------------------------
const SCHEMAS: Record<string, v.GenericSchema> = {
  whoami: core.EmptyEvent,
  workbench: core.WorkbenchEvent,
  publicResults: core.PublicResultsEvent,
  collect: core.CollectEvent,
  register: core.RegisterEvent,
  revive: core.WishOnlyEvent,
  publish: core.PublishEvent,
  assign: core.AssignEvent,
  claim: core.ClaimEvent,
  release: core.ReleaseEvent,
  fulfil: core.FulfilEvent,
  feedback: core.FeedbackEvent,
  closeOut: core.CloseOutEvent,
  chase: core.ChaseEvent,
  withdraw: core.WithdrawEvent,
  board: core.BoardEvent,
  wishDetail: core.WishOnlyEvent,
  myWishes: core.MyWishesEvent,
  orgWishes: core.OrgWishesEvent,
  consent: core.ConsentEvent,
  join: core.JoinEvent,
  invite: core.InviteEvent,
  confirmMember: core.ConfirmMemberEvent,
  appoint: core.AppointEvent,
  moderate: core.ModerateEvent,
  moderationQueue: core.ModerationQueueEvent,
  auditLog: core.AuditEvent,
  purge: core.PurgeEvent,
  myData: core.EmptyEvent,
  deleteMyData: core.DeleteMyDataEvent,
  extend: core.ExtendEvent,
  answerExtension: core.AnswerExtensionEvent,
  progress: core.ProgressEvent,
  reassign: core.ReassignEvent,
  reopen: core.ReopenEvent,
  message: core.MessageEvent,
  duplicates: core.DuplicatesEvent,
  notifications: core.NotificationsEvent,
  markRead: core.MarkReadEvent,
  fileUrls: core.FileUrlsEvent,
  photoUpload: core.PhotoUploadEvent,
  pendingMembers: core.PendingMembersEvent,
  branchMembers: core.BranchMembersEvent,
  removeMember: core.RemoveMemberEvent,
  mediaCheckResult: core.mediaCheckPushEvent(),
  exportLedger: ExportLedgerEvent,
  importBatch: ImportBatchEvent,
  wishCards: WishCardsEvent,
  myYear: core.MyYearEvent,
  nudge: core.NudgeEvent,
  bulletins: core.BulletinsEvent,
  weekly: core.TimerEvent,
  bulletin: core.TimerEvent,
  monthly: core.TimerEvent,
};
/** Functions whose event has no fields to attack: timer-only ones take the trigger's event. */
const NO_FIELDS = ['remind', 'reconcile', 'overdueAlerts'];
/** Functions no client may call (functions.rules.json): their events come from a timer or a message push, so
 * their validation is attacked through the local cloud's trigger, and a client's call is refused before it runs. */
const TRIGGER_ONLY = ['purge', 'remind', 'mediaCheckResult', 'reconcile', 'overdueAlerts', 'weekly', 'bulletin', 'monthly'];
const send = (fn: string, event: object) => (TRIGGER_ONLY.includes(fn) ? env.trigger(fn, event) : env.call(fn, event, 'demo-organiser'));

/** The field names a schema reads (objects, pipes over objects, unions of objects). */
function fieldsOf(schema: unknown): string[] {
  const x = schema as { entries?: Record<string, unknown>; pipe?: unknown[]; options?: unknown[] };
  if (x.entries) return Object.keys(x.entries);
  if (x.pipe) return fieldsOf(x.pipe[0]);
  if (x.options) return [...new Set(x.options.flatMap(fieldsOf))];
  return [];
}

const BAD_VALUES: unknown[] = [
  { $ne: null },
  { $gt: '' },
  { $regex: '.*' },
  { $where: 'sleep(1000)' },
  { $in: ['a'] },
  12345,
  -1,
  true,
  ['x'],
  null,
  '',
  'x'.repeat(5000),
  { nested: { $ne: 1 } },
];

test('operator objects and wrong types in every field of every function: 400 before any database call', async () => {
  const wishId = await s.collected();
  const events = validEvents(wishId);
  let attempts = 0;
  let refusals = 0;
  let skipped = 0;
  const fields = new Set<string>();
  // Every deployed function is attacked (a new one must be added to SCHEMAS) or has no fields at all.
  const deployed: readonly string[] = OPERATIONS;
  expect(deployed.filter((fn) => !(fn in SCHEMAS) && !NO_FIELDS.includes(fn))).toEqual([]);
  for (const [fn, schema] of Object.entries(SCHEMAS)) {
    const base = events[fn]!;
    for (const field of fieldsOf(schema)) {
      fields.add(`${fn}.${field}`);
      for (const bad of BAD_VALUES) {
        const event = { ...base, [field]: bad };
        if (v.safeParse(schema, event).success) {
          skipped++; // e.g. '' for an optional note: a legal value, not an attack
          continue;
        }
        const before = env.cloud.stats().wireTotal;
        const r = await send(fn, event);
        attempts++;
        expect({ fn, field, bad, status: r.status, code: r.body.code }).toEqual({ fn, field, bad, status: 400, code: 'INPUT.INVALID' });
        expect((r.body as { message: string }).message).toMatch(/[\u4e00-\u9fa5]/);
        expect(env.cloud.stats().wireTotal).toBe(before);
        refusals++;
      }
    }
    // Operator keys at the top level are dropped, never passed to a query.
    const r = await send(fn, { ...base, $where: '1', $or: [{ a: 1 }], _id: { $ne: null } });
    expect(r.status).not.toBe(500);
  }
  extra('operators', {
    functions: Object.keys(SCHEMAS).length,
    fields: fields.size,
    'bad events': attempts,
    'refused before any database call': refusals,
    'legal values skipped': skipped,
  });
  // Every function's schema is covered.
  expect(Object.keys(SCHEMAS).sort()).toEqual(
    Object.keys(events)
      .filter((fn) => !NO_FIELDS.includes(fn))
      .sort(),
  );
}, 120_000);

test('oversized bodies: every function refuses a body over 64 KB with 413, and an over-long field with 400, nothing written', async () => {
  const wishId = await s.collected();
  const events = validEvents(wishId);
  const snap = await snapshot(env);
  for (const [fn, base] of Object.entries(events)) {
    const before = env.cloud.stats().wireTotal;
    const r = await env.call(fn, { ...base, padding: '长'.repeat(30_000) }, 'demo-organiser');
    // A client's call to a timer or push function is refused by functions.rules.json before its body is read.
    const refusal = TRIGGER_ONLY.includes(fn) ? { status: 403, code: 'AUTH.FORBIDDEN' } : { status: 413, code: 'INPUT.TOO_LARGE' };
    expect({ fn, status: r.status, code: r.body.code }).toEqual({ fn, ...refusal });
    expect(env.cloud.stats().wireTotal).toBe(before);
  }
  for (const [fn, field, max] of [
    ['collect', 'title', 40],
    ['collect', 'content', 500],
    ['collect', 'address', 100],
    ['fulfil', 'note', 500],
    ['feedback', 'comment', 200],
    ['register', 'summary', 200],
    ['appoint', 'name', 20],
  ] as const) {
    const r = await env.call(fn, { ...events[fn], [field]: '字'.repeat(max + 1) }, 'demo-organiser');
    expect({ fn, field, status: r.status }).toEqual({ fn, field, status: 400 });
  }
  const photos = await env.call('fulfil', { ...events.fulfil, photos: Array(10).fill('cloud://a/b.jpg') }, 'demo-member');
  expect(photos.status).toBe(400);
  expect(await snapshot(env)).toBe(snap);
});

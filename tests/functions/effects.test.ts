/**
 * A transition's effects travel with it (issue 8): stored in the wish by the same conditional update, delivered
 * under deterministic ids, cleared. Here an interrupted delivery is staged by hand — the wish keeps its effects
 * pending and the delivered rows are gone, as after a crash between the write and the delivery — and the retry
 * with the same requestId, or the wish's next transition, must deliver each exactly once.
 */
import { chinaDate, FLOW_STATUSES } from '../../src/core';
import { inDays, ok, startCloud, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
beforeAll(async () => {
  env = await startCloud();
}, 60_000);
beforeEach(() => env.resetRateLimits());
afterAll(() => env.stop());

const rows = async (wishId: string) => ({
  audit: (
    (
      await env.db
        .collection('audit')
        .where({ _id: env.db.RegExp({ regexp: `^${wishId}-` }) })
        .get()
    ).data as any[]
  )
    .map((a) => `${a._id} ${a.action}`)
    .sort(),
  outbox: ((await env.db.collection('outbox').where({ wishId }).get()).data as any[]).map((n) => `${n.kind} ${n.to}`).sort(),
  counters: (
    (
      await env.db
        .collection('counters')
        .where({ _id: env.db.RegExp({ regexp: `^${wishId}-` }) })
        .get()
    ).data as any[]
  )
    // The status flows (what entered which status); the stock and the other figures are checked in figures.test.ts.
    .filter((c) => c.period !== 'now' && (FLOW_STATUSES as readonly string[]).includes(c.figure))
    .map((c) => `${c._id} ${c.figure}`)
    .sort(),
  counterIds: (
    (
      await env.db
        .collection('counters')
        .where({ _id: env.db.RegExp({ regexp: `^${wishId}-` }) })
        .get()
    ).data as any[]
  )
    .map((c) => c._id as string)
    .sort(),
});

/** Puts the wish back as if the delivery of its last step had never happened: effects pending, rows removed. */
async function undeliver(wishId: string, effects: any[]) {
  const ids = effects.map((e) => e.id);
  await env.db
    .collection('wishes')
    .doc(wishId)
    .update({ pending: env.db.command.set(effects) });
  await env.db
    .collection('audit')
    .where({ _id: env.db.command.in(ids) })
    .remove();
  await env.db
    .collection('counters')
    .where({ _id: env.db.command.in(ids) })
    .remove();
  await env.db
    .collection('outbox')
    .where({ wishId, kind: env.db.command.in(effects.filter((e) => e.kind === 'notice').map((e) => e.notice.kind)) })
    .remove();
}

async function claimed(member = 'demo-member') {
  const w = ok(await env.call('collect', { ...wishInput, title: '效果测试' }, 'demo-resident'));
  ok(await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(3), requestId: 'claim-1' }, member));
  return w._id as string;
}

test('each effect is delivered once and cleared; ids are <wishId>-<version>-<n>', async () => {
  const id = await claimed();
  const stored = (await env.db.collection('wishes').doc(id).get()).data[0];
  expect(stored.pending).toEqual([]);
  const r = await rows(id);
  // register (v2) and publish (v3) by the organiser: action + reveal; claim (v4): the claimer's reveal.
  expect(r.audit).toEqual([`${id}-2-0 register`, `${id}-2-1 reveal`, `${id}-3-0 publish`, `${id}-3-1 reveal`, `${id}-4-0 reveal`]);
  // collect (v1): the organisers' new-wish alert (`<wishId>-1-a0`); claim: the resident's notice.
  expect(r.outbox).toEqual(['claimed demo-resident', 'newWish demo-organiser']);
  expect(r.counters).toEqual([`${id}-1-0 collected`, `${id}-2-2 registered`, `${id}-3-2 published`, `${id}-4-2 claimed`]);
});

test('a retry with the same requestId delivers what an interrupted call left pending, once', async () => {
  const id = await claimed();
  const complete = await rows(id);
  // The claim's effects, as the core computed them, back in the wish; their rows gone.
  const effects: any[] = [
    { id: `${id}-4-0`, kind: 'audit', audit: (await env.db.collection('audit').doc(`${id}-4-0`).get()).data[0] },
    { ...(await pendingNotice(id)) },
    ...(
      (
        await env.db
          .collection('counters')
          .where({ _id: env.db.RegExp({ regexp: `^${id}-4-` }) })
          .get()
      ).data as any[]
    ).map(({ _id, ...counter }) => ({ id: _id, kind: 'counter', counter })),
  ];
  delete effects[0]!.audit._id;
  await undeliver(id, effects);
  expect((await rows(id)).outbox).toEqual(['newWish demo-organiser']);
  const again = ok(await env.call('claim', { wishId: id, promisedBy: inDays(3), requestId: 'claim-1' }, 'demo-member'));
  expect(again.version).toBe(4); // no second step
  expect(await rows(id)).toEqual(complete);
  expect((await env.db.collection('wishes').doc(id).get()).data[0].pending).toEqual([]);
  // A third try finds nothing pending and adds nothing.
  ok(await env.call('claim', { wishId: id, promisedBy: inDays(3), requestId: 'claim-1' }, 'demo-member'));
  expect(await rows(id)).toEqual(complete);
});

test('the next transition carries effects left pending and delivers them with its own', async () => {
  const id = await claimed();
  const complete = await rows(id);
  await undeliver(id, [await pendingNotice(id)]);
  expect((await rows(id)).outbox).toEqual(['newWish demo-organiser']);
  const done = ok(await env.call('fulfil', { wishId: id, note: '已办好' }, 'demo-member'));
  expect(done.status).toBe('fulfilled');
  const after = await rows(id);
  expect(after.outbox).toEqual([
    'claimed demo-resident',
    'feedbackNeeded demo-resident',
    'fulfilled demo-organiser',
    'newWish demo-organiser',
  ]);
  expect(after.audit).toEqual(complete.audit); // fulfil by the member: no audit entry, no reveal (the wish is no longer claimed)
  expect(after.counters).toEqual([...complete.counters, `${id}-5-2 fulfilled`].sort());
  expect(after.counterIds).toEqual(expect.arrayContaining(complete.counterIds));
  expect((await env.db.collection('wishes').doc(id).get()).data[0].pending).toEqual([]);
});

/** The claim's notice effect, rebuilt from its outbox row (what the wish stored before delivery). */
async function pendingNotice(id: string) {
  const n = (await env.db.collection('outbox').where({ wishId: id, kind: 'claimed' }).get()).data[0];
  return {
    id: `${id}-4-1`,
    kind: 'notice',
    notice: { to: { openid: n.to }, kind: n.kind, title: n.title, body: n.body, wishId: id },
    at: n.at,
    orgId: 'demo-community',
    actorId: 'demo-member',
  };
}

test('effects stranded on a wish nobody touches again are delivered by the daily purge', async () => {
  const id = await claimed();
  const complete = await rows(id);
  await undeliver(id, [await pendingNotice(id)]);
  const r = await env.trigger('purge', { Type: 'Timer' }); // the timer trigger: functions.rules.json refuses clients
  expect(r.status).toBe(200);
  expect(r.data.delivered).toBeGreaterThanOrEqual(1);
  expect(await rows(id)).toEqual(complete);
  expect((await env.db.collection('wishes').doc(id).get()).data[0].pending).toEqual([]);
});

test('removeMember: the role change and its audit entry are one update; an interrupted delivery is finished by the purge', async () => {
  await env.db.collection('users').add({ _id: 'effects-leaver', role: 'member', orgId: 'demo-community', name: '周强' });
  const done = ok(await env.call('removeMember', { openid: 'effects-leaver', reason: '搬走了', requestId: 'rm-1' }, 'demo-organiser'));
  expect(done.role).toBe('resident');
  const id = 'effects-leaver-removeMember-rm-1';
  const [entry] = (await env.db.collection('audit').doc(id).get()).data as any[];
  expect(entry).toMatchObject({ action: 'removeMember', actorId: 'demo-organiser', after: { reason: '搬走了' } });
  const user = (await env.db.collection('users').doc('effects-leaver').get()).data[0];
  expect(user).toMatchObject({ role: 'resident', orgId: null, pendingEffects: [] });

  // As after a crash between the update and the delivery: the entry waits in the user, the row is gone.
  const { _id, orgPath, ...audit } = entry;
  void orgPath;
  await env.db
    .collection('users')
    .doc('effects-leaver')
    .update({ pendingEffects: env.db.command.set([{ id: _id, kind: 'audit', audit: { ...audit, orgId: 'demo-community' } }]) });
  await env.db.collection('audit').doc(id).remove();
  const r = await env.trigger('purge', { Type: 'Timer' });
  expect(r.status).toBe(200);
  expect((await env.db.collection('audit').doc(id).get()).data).toEqual([
    expect.objectContaining({ action: 'removeMember', orgPath: entry.orgPath }),
  ]);
  expect((await env.db.collection('users').doc('effects-leaver').get()).data[0].pendingEffects).toEqual([]);
});

/** Party members of demo-community for the figure tests (a member holds at most 3 open claims). */
async function members(prefix: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  await env.db.collection('users').add(ids.map((_id) => ({ _id, role: 'member', orgId: 'demo-community', name: '党员' })));
  return ids;
}

test('figures: documents that get the same increments are updated together; one removed after the instance saw it is created again with its increments', async () => {
  const [m] = await members('fig-a', 1);
  const [warm, id] = [await claimed(m), await claimed(m)];
  ok(await env.call('fulfil', { wishId: warm, note: '已办好' }, m!)); // this instance has seen today's documents
  const today = chinaDate(new Date());
  const removed = [`demo-community|${today}`, `demo-community|${today.slice(0, 7)}`, 'demo-community|now'];
  await env.db
    .collection('figures')
    .where({ _id: env.db.command.in(removed) })
    .remove();
  const street = (await env.db.collection('figures').doc(`demo-street|${today}`).get()).data[0].f;
  ok(await env.call('fulfil', { wishId: id, note: '已办好' }, m!));
  const [day, month, now] = await Promise.all(removed.map(async (d) => (await env.db.collection('figures').doc(d).get()).data[0]));
  // Created again holding exactly this delivery's increments (the earlier counts come back with reconcile).
  expect(day).toMatchObject({ orgId: 'demo-community', period: today, f: expect.objectContaining({ fulfilled: 1 }) });
  expect(month.f.fulfilled).toBe(1);
  expect(now.f['status:fulfilled']).toBe(1);
  expect(now.f['status:claimed']).toBe(-1);
  // …and the documents still there got the same increments once.
  const after = (await env.db.collection('figures').doc(`demo-street|${today}`).get()).data[0].f;
  expect(after.fulfilled).toBe((street.fulfilled ?? 0) + 1);
});

test('figures: concurrent deliveries that all find a document missing count every increment once', async () => {
  const ms = await members('fig-b', 6);
  const ids = await Promise.all(ms.map((m) => claimed(m)));
  await Promise.all(ids.map((wishId, i) => env.call('fulfil', { wishId, note: '已办好' }, ms[i]!).then(ok)));
  // The feedback instance has not run yet in this file (it has seen no figures document); today's document of the
  // community is gone, so each of the six concurrent deliveries reads it missing and creates it, or, where another
  // created it first, adds to it.
  const today = chinaDate(new Date());
  await env.db.collection('figures').doc(`demo-community|${today}`).remove();
  await Promise.all(ids.map((wishId) => env.call('feedback', { wishId, satisfaction: 'satisfied' }, 'demo-resident').then(ok)));
  const doc = (await env.db.collection('figures').doc(`demo-community|${today}`).get()).data[0];
  expect(doc.f).toMatchObject({ feedback: 6, 'satisfaction:satisfied': 6 });
  expect(doc.f.fulfilled).toBeUndefined();
});

/** Every figures document's counts (the marks of which deliveries it received left out). */
async function figuresNow(): Promise<Record<string, Record<string, number>>> {
  const docs = (await env.db.collection('figures').limit(1000).get()).data as any[];
  expect(docs.length).toBeLessThan(1000);
  return Object.fromEntries(docs.map((d) => [d._id, Object.fromEntries(Object.entries(d.f ?? {}).filter(([, n]) => n !== 0))]));
}

test('figures: a delivery cut between its counter-log insert and its increments is completed by the retry, once — no reconcile', async () => {
  const [m] = await members('fig-c', 1);
  const w = ok(await env.call('collect', { ...wishInput, title: '断点测试' }, 'demo-resident'));
  ok(await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  const before = (await env.db.collection('figures').limit(1000).get()).data as any[];
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(3), requestId: 'cut-1' }, m!));
  const complete = await figuresNow();
  const counters = (
    await env.db
      .collection('counters')
      .where({ _id: env.db.RegExp({ regexp: `^${w._id}-4-` }) })
      .get()
  ).data as any[];
  expect(counters.length).toBeGreaterThan(0);
  const effects = counters.map(({ _id, at: _at, ...counter }) => ({ id: _id, kind: 'counter', counter }));
  // The cut: the claim is stored with its effects pending, the counter log is written, the figures are not.
  await env.db
    .collection('wishes')
    .doc(w._id)
    .update({ pending: env.db.command.set(effects) });
  const ids = (await env.db.collection('figures').limit(1000).get()).data.map((d: any) => d._id as string);
  await env.db
    .collection('figures')
    .where({ _id: env.db.command.in(ids) })
    .remove();
  await env.db.collection('figures').add(before);
  expect(await figuresNow()).not.toEqual(complete);
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(3), requestId: 'cut-1' }, m!));
  expect(await figuresNow()).toEqual(complete);
  // A cut after the increments (the effects still pending): the retry adds nothing again.
  await env.db
    .collection('wishes')
    .doc(w._id)
    .update({ pending: env.db.command.set(effects) });
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(3), requestId: 'cut-1' }, m!));
  expect(await figuresNow()).toEqual(complete);
  expect((await env.db.collection('wishes').doc(w._id).get()).data[0].pending).toEqual([]);
});

test('a delivery whose increments fail keeps its effects pending: the pull comes after every increment, and the retry counts each once', async () => {
  const [m] = await members('fig-d', 1);
  const w = ok(await env.call('collect', { ...wishInput, title: '增量失败' }, 'demo-resident'));
  ok(await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  const day = `demo-community|${chinaDate(new Date())}`;
  const figures = env.db.collection('figures');
  const claimedBefore = ((await figures.doc(day).get()).data[0]?.f?.claimed as number | undefined) ?? 0;
  const stock = async () => ((await figures.doc('demo-community|now').get()).data[0]?.f ?? {}) as Record<string, number>;
  const stockBefore = await stock();
  // A figure the claim increments holds a string: MongoDB refuses `$inc` on it, so that increment fails.
  await figures.doc(day).update({ 'f.claimed': 'broken' });
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(3), requestId: 'inc-fails' }, m!));
  const stuck = (await env.db.collection('wishes').doc(w._id).get()).data[0];
  expect(stuck.status).toBe('claimed');
  expect((stuck.pending as Array<{ kind: string }>).some((e) => e.kind === 'counter')).toBe(true);
  // Repaired, the same request again: every delta once (the increments that did go through carry their marks).
  await figures.doc(day).update({ 'f.claimed': claimedBefore });
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(3), requestId: 'inc-fails' }, m!));
  expect((await env.db.collection('wishes').doc(w._id).get()).data[0].pending).toEqual([]);
  expect((await figures.doc(day).get()).data[0].f.claimed).toBe(claimedBefore + 1);
  // The stock moved once too (its increments went through with the first call, marked).
  const stockAfter = await stock();
  expect([
    stockAfter['status:claimed']! - (stockBefore['status:claimed'] ?? 0),
    stockAfter['status:published']! - stockBefore['status:published']!,
  ]).toEqual([1, -1]);
});

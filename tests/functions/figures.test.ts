/**
 * The supervision figures end to end (issue 9): wishes walked through the real functions (random paths: rejected,
 * deferred, assigned, released, unsatisfied and reworked, extended, closed), then every `figures` document equals
 * the recount from the stored wishes, for every organisation of the demo tree and every period; a retried call
 * (same requestId) adds nothing twice.
 */
import { addDemoWishes } from '../../localcloud/demo';
import { figureMismatches, inDays, ok, startCloud, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
beforeAll(async () => {
  env = await startCloud();
  await addDemoWishes(env.cloud);
}, 120_000);
afterAll(() => env.stop());

const mismatches = () => figureMismatches(env.db);

test('after wishes walked through the functions, the figures equal a recount from the wishes; a retry adds nothing', async () => {
  let seed = 7;
  const r = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const O: Record<string, string> = { 'demo-community': 'demo-organiser', 'demo-community-2': 'demo-organiser-2' };
  const M: Record<string, string[]> = { 'demo-community': ['demo-member', 'demo-member-2'], 'demo-community-2': ['demo-member-3'] };
  let closed = 0;
  for (let i = 0; i < 14; i++) {
    await env.resetRateLimits();
    const orgId = r() < 0.6 ? 'demo-community' : 'demo-community-2';
    const org = O[orgId]!;
    const member = M[orgId]![Math.floor(r() * M[orgId]!.length)]!;
    const w = ok(await env.call('collect', { ...wishInput, title: `统计心愿 ${i}`, orgId }, 'demo-resident'));
    const wishId = w._id as string;
    const fork = r();
    if (fork < 0.1) {
      ok(await env.call('register', { wishId, decision: 'reject', reason: '不属于微心愿范围' }, org));
      continue;
    }
    if (fork < 0.2) {
      ok(await env.call('register', { wishId, track: 'deferred', reason: '等待改造', reviewOn: inDays(30) }, org));
      continue;
    }
    const common = fork > 0.85;
    ok(
      await env.call(
        'register',
        { wishId, category: common ? '生活帮扶' : '精神慰藉', track: common ? 'common' : 'individual', summary: '需要帮忙' },
        org,
      ),
    );
    let doer = member;
    if (common) {
      ok(await env.call('assign', { wishId, kind: 'org', assignee: '居委会', promisedBy: inDays(5) }, org));
      doer = org;
    } else {
      ok(await env.call('publish', { wishId }, org));
      if (r() < 0.15) {
        ok(await env.call('withdraw', { wishId, reason: '不需要了' }, 'demo-resident'));
        continue;
      }
      ok(await env.call('claim', { wishId, promisedBy: inDays(Math.floor(r() * 5)), requestId: `claim-${i}` }, member));
      if (r() < 0.2) {
        ok(await env.call('release', { wishId, reason: '临时出差' }, member));
        ok(await env.call('claim', { wishId, promisedBy: inDays(3) }, member));
      }
      if (r() < 0.3) {
        ok(await env.call('extend', { wishId, until: inDays(10), reason: '等配件' }, member));
        if (r() < 0.7) ok(await env.call('answerExtension', { wishId, approve: r() < 0.5 }, org));
      }
    }
    if (r() < 0.15) continue; // left in hand
    ok(await env.call('fulfil', { wishId, note: '已办好' }, doer));
    if (r() < 0.25) {
      ok(await env.call('feedback', { wishId, satisfaction: 'unsatisfied' }, 'demo-resident'));
      ok(await env.call('fulfil', { wishId, note: '重新办好' }, doer));
    }
    if (r() < 0.15) continue; // waiting for feedback
    const byCallback = r() < 0.3;
    ok(await env.call('feedback', { wishId, satisfaction: r() < 0.7 ? 'satisfied' : 'basically' }, byCallback ? org : 'demo-resident'));
    if (r() < 0.8) {
      ok(await env.call('closeOut', { wishId }, org));
      closed++;
    }
  }
  expect(closed).toBeGreaterThan(2);
  expect(await mismatches()).toEqual([]);
  // The street sees both communities' figures; its district and city the same wishes again.
  const street = (await env.db.collection('figures').doc(`demo-street|now`).get()).data[0];
  const c1 = (await env.db.collection('figures').doc(`demo-community|now`).get()).data[0];
  const c2 = (await env.db.collection('figures').doc(`demo-community-2|now`).get()).data[0];
  const sum = (d: { f: Record<string, number> } | undefined) =>
    Object.entries(d?.f ?? {}).reduce((s, [k, n]) => (k.startsWith('status:') ? s + n : s), 0);
  expect(sum(street)).toBe(sum(c1) + sum(c2));
  expect(sum(street)).toBeGreaterThan(14);

  // A retried claim (same requestId, already applied) adds nothing to the figures.
  await env.resetRateLimits();
  await env.db.collection('orgs').doc('demo-community-2').update({ maxOpenClaims: 50 });
  const w = ok(
    await env.call('collect', { ...wishInput, title: '重试心愿', orgId: 'demo-community-2', requestId: 'post-1' }, 'demo-resident'),
  );
  ok(await env.call('collect', { ...wishInput, title: '重试心愿', orgId: 'demo-community-2', requestId: 'post-1' }, 'demo-resident'));
  ok(await env.call('register', { wishId: w._id, category: '其他', track: 'individual', summary: '重试' }, 'demo-organiser-2'));
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser-2'));
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(2), requestId: 'retry-1' }, 'demo-member-3'));
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(2), requestId: 'retry-1' }, 'demo-member-3'));
  expect(await mismatches()).toEqual([]);

  // The nightly reconcile repairs what delivery could have lost (a crash between the log insert and the increment)
  // and what was written without a transition, and leaves a correct document alone.
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7); // this month, China time
  const damaged: [string, string] = ['demo-street|now', `demo-community|${month}`];
  await env.db
    .collection('figures')
    .doc(damaged[0])
    .update({ 'f.status:claimed': env.db.command.inc(5) });
  await env.db.collection('figures').doc(damaged[1]).remove();
  await env.db.collection('figures').add({ _id: 'demo-grid-1|2020', orgId: 'demo-grid-1', period: '2020', f: { collected: 3 } });
  expect((await mismatches()).sort()).toEqual([...damaged, 'demo-grid-1|2020'].sort());
  const run = ok(await env.trigger('reconcile', { Type: 'Timer' }));
  expect(run).toMatchObject({ repaired: 2, removed: 1 });
  expect(await mismatches()).toEqual([]);
  expect(ok(await env.trigger('reconcile', { Type: 'Timer' }))).toMatchObject({ repaired: 0, removed: 0 });
}, 180_000);

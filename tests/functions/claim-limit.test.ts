/**
 * The claim limit as a reserved counter (server/claimSlots.ts): a member's `openClaimIds` on their user document is
 * reserved with a conditional update before the claim's write, and kept equal to the wishes they hold by every later
 * step (`claimSlot` effects, server/effects.ts). Claims sent at once by one member cannot pass the limit; the list
 * equals a recount after each step; a slot left without its wish heals on the next claim.
 */
import { ok, refused, startCloud, inDays, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
const LIMIT = 3; // demo-community's default (DEFAULT_MAX_OPEN_CLAIMS)

beforeAll(async () => {
  env = await startCloud();
  const users = env.db.collection('users');
  // slot-a … slot-e have a list (an empty one, as a member who joined after the lists); slot-f has none (from before).
  for (const id of ['slot-a', 'slot-b', 'slot-c', 'slot-d', 'slot-e'])
    await users.add({ _id: id, role: 'member', orgId: 'demo-community', name: `党员${id}`, openClaimIds: [] });
  await users.add({ _id: 'slot-f', role: 'member', orgId: 'demo-community', name: '党员slot-f' });
}, 60_000);
beforeEach(() => env.resetRateLimits());
afterAll(() => env.stop());

async function published(): Promise<string> {
  const w = ok(await env.call('collect', wishInput, 'demo-resident'));
  ok(await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '需要有人帮忙' }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  return w._id;
}

const listOf = async (member: string): Promise<string[] | undefined> =>
  (await env.db.collection('users').doc(member).get()).data[0]?.openClaimIds;

/** The wishes the member holds, counted from the wishes themselves. */
async function recount(member: string): Promise<string[]> {
  const r = await env.db
    .collection('wishes')
    .where({ 'claim.memberId': member, 'claim.kind': 'member', status: 'claimed' })
    .limit(100)
    .get();
  return r.data.map((w: { _id: string }) => w._id).sort();
}

async function expectTrue(member: string) {
  expect([...((await listOf(member)) ?? [])].sort()).toEqual(await recount(member));
}

async function race(member: string) {
  const ids: string[] = [];
  for (let i = 0; i < 8; i++) ids.push(await published());
  const replies = await Promise.all(ids.map((wishId) => env.call('claim', { wishId, promisedBy: inDays(5) }, member)));
  const won = replies.filter((r) => r.status === 200);
  const limited = replies.filter((r) => r.status === 409 && r.body.code === 'CLAIM.LIMIT_REACHED');
  console.log(`claim-limit race (${member}): 8 at once, ${won.length} stored, ${limited.length} CLAIM.LIMIT_REACHED`);
  expect(won).toHaveLength(LIMIT);
  expect(limited).toHaveLength(8 - LIMIT);
  expect(await recount(member)).toHaveLength(LIMIT);
  await expectTrue(member);
  // The refused ones are untouched: still on the board.
  for (const id of ids.filter((_, i) => replies[i]!.status !== 200))
    expect((await env.db.collection('wishes').doc(id).get()).data[0].status).toBe('published');
}

test(
  `8 claims at once by one member of 8 wishes, limit ${LIMIT}: exactly ${LIMIT} stored, the list equals them`,
  () => race('slot-a'),
  120_000,
);

test('the same race by a member without a list yet (filled first): exactly 3 stored', () => race('slot-f'), 120_000);

test('release, fulfil, rework after 不满意, reassign and reopen keep the list equal to a recount', async () => {
  const [a, b, c] = [await published(), await published(), await published()];
  for (const wishId of [a, b, c]) ok(await env.call('claim', { wishId, promisedBy: inDays(5) }, 'slot-b'));
  await expectTrue('slot-b');
  expect(await listOf('slot-b')).toHaveLength(3);

  ok(await env.call('release', { wishId: a, reason: '临时出差' }, 'slot-b'));
  await expectTrue('slot-b');
  ok(await env.call('fulfil', { wishId: b, note: '已办好' }, 'slot-b'));
  await expectTrue('slot-b');
  expect(await listOf('slot-b')).toEqual([c]);

  // 不满意: back to the claimer, who holds it again.
  ok(await env.call('feedback', { wishId: b, satisfaction: 'unsatisfied', comment: '还没修好' }, 'demo-resident'));
  await expectTrue('slot-b');
  expect([...((await listOf('slot-b')) ?? [])].sort()).toEqual([b, c].sort());

  // An organiser takes c back to the board; another member claims it.
  ok(await env.call('reassign', { wishId: c, reason: '党员外出，重新认领' }, 'demo-organiser'));
  await expectTrue('slot-b');
  ok(await env.call('claim', { wishId: c, promisedBy: inDays(5) }, 'slot-c'));
  await expectTrue('slot-c');
  expect(await listOf('slot-c')).toEqual([c]);

  // Fulfilled, satisfied, closed: off the list; reopened: back to the claimer's list.
  ok(await env.call('fulfil', { wishId: b, note: '这次修好了' }, 'slot-b'));
  ok(await env.call('feedback', { wishId: b, satisfaction: 'satisfied' }, 'demo-resident'));
  ok(await env.call('closeOut', { wishId: b }, 'demo-organiser'));
  await expectTrue('slot-b');
  expect(await listOf('slot-b')).toEqual([]);
  ok(await env.call('reopen', { wishId: b, reason: '居民反映问题又出现了' }, 'demo-organiser'));
  await expectTrue('slot-b');
  expect(await listOf('slot-b')).toEqual([b]);
}, 120_000);

test('a slot left without its wish (a crash between reservation and write) heals on the next claim', async () => {
  const held = [await published(), await published()];
  for (const wishId of held) ok(await env.call('claim', { wishId, promisedBy: inDays(5) }, 'slot-d'));
  // A reservation whose claim never stored its wish: a stray id, and a published wish's id reserved long ago.
  const ghost = await published();
  await env.db
    .collection('users')
    .doc('slot-d')
    .update({ openClaimIds: env.db.command.push(['no-such-wish', ghost]), [`openClaimAt.${ghost}`]: '2020-01-01T00:00:00.000Z' });
  expect(await listOf('slot-d')).toHaveLength(4);
  const next = await published();
  expect(ok(await env.call('claim', { wishId: next, promisedBy: inDays(5) }, 'slot-d')).status).toBe('claimed');
  await expectTrue('slot-d');
  expect(await listOf('slot-d')).toHaveLength(3);
  // At the limit now for real: the next one is refused, and nothing is written.
  const over = await published();
  refused(await env.call('claim', { wishId: over, promisedBy: inDays(5) }, 'slot-d'), 409, 'CLAIM.LIMIT_REACHED');
  expect((await env.db.collection('wishes').doc(over).get()).data[0].status).toBe('published');
  await expectTrue('slot-d');
}, 120_000);

test('a member without a list gets it filled from their claimed wishes; a retried claim is idempotent', async () => {
  const [x, y] = [await published(), await published()];
  ok(await env.call('claim', { wishId: x, promisedBy: inDays(5) }, 'slot-e'));
  // As if from before the lists: the field is gone; the next claim fills it from the wishes.
  await env.db.collection('users').doc('slot-e').update({ openClaimIds: env.db.command.remove(), openClaimAt: env.db.command.remove() });
  const event = { wishId: y, promisedBy: inDays(5), requestId: 'slot-e-once' };
  const [first, again] = await Promise.all([env.call('claim', event, 'slot-e'), env.call('claim', event, 'slot-e')]);
  expect(first.status).toBe(200);
  expect(again.status).toBe(200);
  expect(ok(await env.call('claim', event, 'slot-e')).status).toBe('claimed');
  await expectTrue('slot-e');
  expect([...((await listOf('slot-e')) ?? [])].sort()).toEqual([x, y].sort());
  // The same claim without a requestId, again: refused as already claimed, and the slot stays.
  refused(await env.call('claim', { wishId: y, promisedBy: inDays(5) }, 'slot-e'), 409, 'WISH.ALREADY_CLAIMED');
  await expectTrue('slot-e');
}, 120_000);

test('reconcile recomputes the lists: a missing wish added, a stray removed', async () => {
  const w = await published();
  ok(await env.call('claim', { wishId: w, promisedBy: inDays(5) }, 'slot-c'));
  const before = await listOf('slot-c');
  await env.db
    .collection('users')
    .doc('slot-c')
    .update({ openClaimIds: env.db.command.set([...(before ?? []).filter((id) => id !== w), 'stray-wish']) });
  const r = ok(await env.trigger('reconcile', { Type: 'Timer' }));
  expect(r.slots).toBeGreaterThanOrEqual(1);
  await expectTrue('slot-c');
}, 120_000);

test('a claim refused after its first round takes its id out again: a lost race, a wish not on the board', async () => {
  const wishId = await published();
  const replies = await Promise.all(
    ['slot-a', 'slot-b', 'slot-c', 'slot-d', 'slot-e'].map((m) => env.call('claim', { wishId, promisedBy: inDays(5) }, m)),
  );
  expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
  for (const m of ['slot-a', 'slot-b', 'slot-c', 'slot-d', 'slot-e']) await expectTrue(m);
  const w = ok(await env.call('collect', wishInput, 'demo-resident')); // collected: not on the board
  refused(await env.call('claim', { wishId: w._id, promisedBy: inDays(5) }, 'slot-c'), 409, 'WISH.WRONG_STATE');
  expect(await listOf('slot-c')).not.toContain(w._id);
  await expectTrue('slot-c');
}, 120_000);

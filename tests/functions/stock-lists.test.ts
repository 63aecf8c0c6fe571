/**
 * Every stock tile on the workbench opens exactly the list it counts (issue 9: each figure "a tap away from the list
 * it counts"): orgWishes' stock views (src/core/stockLists.ts) against the workbench's `now` figures, today in China
 * time, paging through every page, for a community and for its street. The wishes have histories on earlier days —
 * made with the core's own transitions on an earlier clock and stored with the counter deltas their delivery adds
 * (as localcloud/demo.ts does for its overdue claim: no function takes a past date) — and some moved today through
 * the functions: claims released back to the board long after their first publication, deferrals revived, wishes
 * collected 2 and 4 days ago and on either side of the 3-day boundary, held and approved wishes. Every query is held
 * to the declared indexes (strict mode, jest.config.js).
 */
import {
  addDays,
  chinaDate,
  collect,
  collectEffects,
  counterUpdates,
  periodRange,
  transition,
  type Actor,
  type Command,
  type CounterDelta,
  type Effect,
  type Wish,
} from '../../src/core';
import { acceptNotice, ok, startCloud, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
const STREET = 'stock-street-organiser';
jest.setTimeout(60_000); // a loaded two-core machine
beforeAll(async () => {
  env = await startCloud();
  await acceptNotice(env, 'demo-resident');
  await env.db.collection('users').add({ _id: STREET, role: 'organiser', orgId: 'demo-street', name: '街道 周敏' });
}, 120_000);
afterAll(() => env.stop());

const today = () => chinaDate(new Date());
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
/** The instant the China-time day `day` began. */
const dayStart = (day: string) => new Date(periodRange(day).from);

const resident: Actor = { id: 'demo-resident', role: 'resident', orgId: 'demo-community' };
const organiser: Actor = {
  id: 'demo-organiser',
  role: 'organiser',
  orgId: 'demo-street',
  scope: ['demo-street', 'demo-community', 'demo-community-2'],
};
const memberOf = (orgId: string): Actor =>
  orgId === 'demo-community'
    ? { id: 'demo-member', role: 'member', orgId, name: '李明', orgName: '幸福里社区' }
    : { id: 'demo-member-3', role: 'member', orgId, name: '孙强', orgName: '安康社区' };

type Step = [Command, 'organiser' | 'member' | 'resident', Date];

/** A wish collected at `at` in `orgId` and taken through `steps` by the core, each on its own clock; `held`: the content
 * check held it at collection (cloudfunctions/collect). */
function history(id: string, orgId: string, at: Date, steps: Step[], opts: { held?: boolean } = {}): { wish: Wish; effects: Effect[] } {
  const made = collect(`stock-${id}`, { ...wishInput, title: `存量 ${id}`, orgId }, { ...resident, orgId }, at);
  if (!made.ok) throw new Error(`${id}: ${made.code}`);
  let wish: Wish = opts.held ? { ...made.wish, moderation: { state: 'review', reason: '需要人工审核', at: at.toISOString() } } : made.wish;
  const effects = collectEffects(wish);
  const actors = { organiser, member: memberOf(orgId), resident: { ...resident, orgId } };
  for (const [command, who, now] of steps) {
    const next = transition(wish, command, actors[who], now);
    if (!next.ok) throw new Error(`${id} ${command.type}: ${next.code} ${next.message ?? ''}`);
    wish = next.wish;
    effects.push(...next.effects);
  }
  return { wish, effects };
}

/** Stores a wish made on an earlier clock with what its deliveries would have added to the figures. */
async function store({ wish, effects }: { wish: Wish; effects: Effect[] }, opts: { withoutStatusAt?: boolean } = {}) {
  const { statusAt, ...rest } = wish;
  await env.db.collection('wishes').add(opts.withoutStatusAt ? rest : { ...rest, statusAt });
  const deltas = effects.flatMap((e): CounterDelta[] => (e.kind === 'counter' ? [e.counter] : []));
  const org = (await env.db.collection('orgs').doc(wish.orgId).get()).data[0] as { ancestors?: string[] };
  const path = [...(org.ancestors ?? []), wish.orgId];
  for (const u of counterUpdates(deltas, () => path)) {
    const inc = Object.fromEntries(Object.entries(u.inc).map(([k, n]) => [`f.${k}`, env.db.command.inc(n)]));
    const r = await env.db.collection('figures').where({ _id: u._id }).update(inc);
    if (r.updated !== 1) await env.db.collection('figures').add({ _id: u._id, orgId: u.orgId, period: u.period, f: u.inc });
  }
  return wish._id;
}

const register: Command = { type: 'register', category: '生活帮扶', track: 'individual', summary: '居民需要帮忙' };
const publish: Command = { type: 'publish' };
/** Collected, registered and published `days` ago (an hour apart). */
const publishedSteps = (days: number): Step[] => [
  [register, 'organiser', new Date(ago(days).getTime() + 3600_000)],
  [publish, 'organiser', new Date(ago(days).getTime() + 7200_000)],
];
const claimed = (days: number, promisedBy: string): Step[] => [
  ...publishedSteps(days + 1),
  [{ type: 'claim', promisedBy }, 'member', ago(days)],
];

/** Every item of a view, `limit` at a time (cursor pages). */
async function list(status: string, openid: string, orgId?: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = ok(await env.call('orgWishes', { status, limit: 3, ...(orgId ? { orgId } : {}), ...(cursor ? { cursor } : {}) }, openid));
    out.push(...(page.items as Array<{ _id: string }>).map((w) => w._id));
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return out;
}

/** Each stock tile of the workbench (src/organiser/workbench/index.tsx): its figure and the view it opens. */
const TILES = [
  ['已逾期', 'overdue', 'overdue'],
  ['3天内到期', 'dueSoon', 'dueSoon'],
  ['按期办理中', 'onTrack', 'onTrack'],
  ['办理中（合计）', 'open', 'open'],
  ['待登记超过3天', 'staleCollected', 'staleCollected'],
  ['待认领超过7天', 'stalePublished', 'stalePublished'],
  ['延期申请', 'extensionsPending', 'extension'],
  ['待内容审核', 'held', 'held'],
] as const;

const ids: Record<string, string> = {};

test('every stock tile’s figure is the number of wishes its list holds, and they are exactly the wishes it counts', async () => {
  const t = today();
  const C = 'demo-community';
  const seed = async (name: string, orgId: string, at: Date, steps: Step[] = [], opts: { held?: boolean } = {}) =>
    (ids[name] = await store(history(name, orgId, at, steps, opts)));

  // 待登记: 2 days ago (not yet stale), 4 days ago (stale), either side of the start of the day today − 3.
  await seed('collected2', C, ago(2));
  await seed('collected4', C, ago(4));
  await seed('edgeStale', C, new Date(dayStart(addDays(t, -3)).getTime() - 1));
  await seed('edgeFresh', C, dayStart(addDays(t, -3)));
  // Revived deferrals wait again from the revival, whenever they were first collected.
  const deferThenRevive = (days: number): Step[] => [
    [{ type: 'defer', reason: '资金未到位', reviewOn: addDays(t, 30) }, 'organiser', ago(days + 10)],
    [{ type: 'revive' }, 'organiser', ago(days)],
  ];
  await seed('revivedYesterday', C, ago(20), deferThenRevive(1));
  await seed('revived7', C, ago(30), deferThenRevive(7));
  // Held at collection 6 days ago: both 待内容审核 and 待登记超过3天 (the figures count it in both).
  await seed('held6', C, ago(6), [], { held: true });

  // 待认领: published 10 and 5 days ago; claims released or taken back long after the first publication.
  await seed('published10', C, ago(11), publishedSteps(10));
  await seed('published5', C, ago(6), publishedSteps(5));
  await seed('releasedRecently', C, ago(21), [
    ...publishedSteps(20),
    [{ type: 'claim', promisedBy: addDays(t, -10) }, 'member', ago(15)],
    [{ type: 'release', reason: '临时有事' }, 'member', ago(2)],
  ]);
  await seed('releasedLongAgo', C, ago(31), [
    ...publishedSteps(30),
    [{ type: 'claim', promisedBy: addDays(t, -20) }, 'member', ago(25)],
    [{ type: 'release', reason: '临时有事' }, 'member', ago(9)],
  ]);
  await seed('reassigned', C, ago(21), [
    ...publishedSteps(20),
    [{ type: 'claim', promisedBy: addDays(t, 1) }, 'member', ago(18)],
    [{ type: 'reassign', reason: '认领人联系不上' }, 'organiser', ago(8)],
  ]);

  // 办理中: by promised date, and the stages after it.
  await seed('overdue', C, ago(12), claimed(10, addDays(t, -2)));
  await seed('dueToday', C, ago(5), claimed(3, t));
  await seed('dueIn3', C, ago(5), claimed(3, addDays(t, 3)));
  await seed('dueIn4', C, ago(5), claimed(3, addDays(t, 4)));
  await seed('dueIn30', C, ago(5), claimed(3, addDays(t, 30)));
  await seed('extending', C, ago(5), [
    ...claimed(3, addDays(t, 10)),
    [{ type: 'extend', until: addDays(t, 20), reason: '等配件' }, 'member', ago(1)],
  ]);
  await seed('fulfilled', C, ago(5), [...claimed(3, addDays(t, 1)), [{ type: 'fulfil', note: '已办好' }, 'member', ago(1)]]);
  await seed('reviewed', C, ago(5), [
    ...claimed(3, addDays(t, 2)),
    [{ type: 'fulfil', note: '已办好' }, 'member', ago(2)],
    [{ type: 'feedback', satisfaction: 'satisfied' }, 'resident', ago(1)],
  ]);
  await seed('sentBack', C, ago(5), [
    ...claimed(3, addDays(t, 5)),
    [{ type: 'fulfil', note: '已办好' }, 'member', ago(2)],
    [{ type: 'feedback', satisfaction: 'unsatisfied', comment: '没修好' }, 'resident', ago(1)],
  ]);
  await seed('closed', C, ago(5), [
    ...claimed(3, addDays(t, 2)),
    [{ type: 'fulfil', note: '已办好' }, 'member', ago(2)],
    [{ type: 'feedback', satisfaction: 'satisfied' }, 'resident', ago(1)],
    [{ type: 'closeOut' }, 'organiser', ago(1)],
  ]);
  // The other community of the street: one stale collection, one claim on track.
  await seed('otherStale', 'demo-community-2', ago(6));
  await seed('otherOnTrack', 'demo-community-2', ago(5), claimed(3, addDays(t, 8)));

  // Today, through the functions: a wish held by the content check, another held and approved, a claim released.
  await env.resetRateLimits();
  const post = async (title: string) => ok(await env.call('collect', { ...wishInput, title }, 'demo-resident'))._id as string;
  ids.heldToday = await post('想请人加微信转账帮忙');
  ids.approved = await post('想请人帮忙借钱周转');
  ok(await env.call('moderate', { wishId: ids.approved, approve: true }, 'demo-organiser'));
  ids.releasedToday = await post('想请人修自行车');
  ok(await env.call('register', { wishId: ids.releasedToday, ...register }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: ids.releasedToday }, 'demo-organiser'));
  ok(await env.call('claim', { wishId: ids.releasedToday, promisedBy: addDays(t, 2) }, 'demo-member-2'));
  ok(await env.call('release', { wishId: ids.releasedToday, reason: '临时有事' }, 'demo-member-2'));

  const $ = (...names: string[]) => names.map((n) => ids[n]!);
  // What each tile counts in 幸福里社区, in the order its list gives: the longest waiting first, the soonest promised first.
  const community: Record<string, string[]> = {
    overdue: $('overdue'),
    dueSoon: $('dueToday', 'dueIn3'),
    onTrack: $('dueIn4', 'sentBack', 'extending', 'dueIn30'),
    staleCollected: $('revived7', 'held6', 'collected4', 'edgeStale'),
    stalePublished: $('published10', 'releasedLongAgo', 'reassigned'),
    extension: $('extending'),
    held: $('held6', 'heldToday'),
  };
  const open = $('overdue', 'dueToday', 'fulfilled', 'reviewed', 'dueIn3', 'dueIn4', 'sentBack', 'extending', 'dueIn30');

  const wb = ok(await env.call('workbench', {}, 'demo-organiser'));
  expect(wb.org.id).toBe(C);
  for (const [label, figure, view] of TILES) {
    const items = await list(view, 'demo-organiser');
    expect({ label, figure: wb.now[figure], listed: items.length }).toEqual({ label, figure: items.length, listed: items.length });
    if (view === 'open') expect(new Set(items)).toEqual(new Set(open));
    else expect({ label, items }).toEqual({ label, items: community[view] });
  }
  // 办理中（合计） soonest promised first.
  const promised = new Map(
    (
      ok(await env.call('orgWishes', { status: 'open', limit: 20 }, 'demo-organiser')).items as Array<{
        _id: string;
        claim: { promisedBy: string };
      }>
    ).map((w) => [w._id, w.claim.promisedBy]),
  );
  const byDate = [...promised.values()];
  expect(byDate).toEqual([...byDate].sort());
  // Not vacuous: every tile has something in it.
  expect(TILES.filter(([, figure]) => !wb.now[figure])).toEqual([]);

  // The street sees both communities; a row of its unit table narrows every view to that community.
  const street = ok(await env.call('workbench', {}, STREET));
  for (const [label, figure, view] of TILES) {
    const items = await list(view, STREET);
    expect({ label, listed: items.length }).toEqual({ label, listed: street.now[figure] });
  }
  expect(await list('staleCollected', STREET)).toEqual($('revived7', 'held6', 'otherStale', 'collected4', 'edgeStale'));
  expect(await list('onTrack', STREET)).toEqual($('dueIn4', 'sentBack', 'otherOnTrack', 'extending', 'dueIn30'));
  const unit = street.units.find((u: { id: string }) => u.id === 'demo-community-2');
  for (const [label, figure, view] of TILES) {
    const items = await list(view, STREET, 'demo-community-2');
    expect({ label, listed: items.length }).toEqual({ label, listed: unit.stock[figure] });
  }
  expect(await list('staleCollected', STREET, 'demo-community-2')).toEqual($('otherStale'));

  // The ledger's chips: counts read from the same stock document, each the length of its list.
  const counts = ok(await env.call('orgWishes', { status: 'collected', limit: 1, counts: true }, 'demo-organiser')).counts;
  for (const [label, figure, view] of TILES) expect({ label, count: counts[view] }).toEqual({ label, count: wb.now[figure] });
  for (const status of ['collected', 'published', 'claimed', 'fulfilled', 'reviewed', 'closed', 'deferred'])
    expect({ status, count: counts[status] }).toEqual({ status, count: (await list(status, 'demo-organiser')).length });
});

test('without a stock document the counts come from the wishes, with the lists’ own filters, and agree', async () => {
  const read = async (orgId: string) =>
    ok(await env.call('orgWishes', { status: 'collected', limit: 1, counts: true, orgId }, STREET)).counts as Record<string, number>;
  const fromCounters = await read('demo-community-2');
  expect(fromCounters).toMatchObject({ staleCollected: 1, onTrack: 1, open: 1, collected: 1, claimed: 1 });
  const saved = (await env.db.collection('figures').doc('demo-community-2|now').get()).data[0] as Record<string, unknown>;
  await env.db.collection('figures').doc('demo-community-2|now').remove();
  try {
    expect(await read('demo-community-2')).toEqual(fromCounters);
    // An organisation with no wishes at all: every count is 0.
    const empty = await read('demo-grid-1');
    expect(Object.values(empty).every((n) => n === 0)).toBe(true);
    expect(Object.keys(empty)).toEqual(expect.arrayContaining(['staleCollected', 'stalePublished', 'onTrack', 'open', 'held']));
  } finally {
    const { _id, ...rest } = saved;
    await env.db.collection('figures').add({ _id, ...rest });
  }
});

test('a wish stored before statusAt existed: counted at once, listed once the nightly reconcile has filled it in', async () => {
  const t = today();
  const legacy = history('legacy', 'demo-community', ago(13), [
    ...publishedSteps(12),
    [{ type: 'claim', promisedBy: addDays(t, -5) }, 'member', ago(11)],
    [{ type: 'release', reason: '临时有事' }, 'member', ago(9)],
  ]);
  await store(legacy, { withoutStatusAt: true });
  const before = ok(await env.call('workbench', {}, 'demo-organiser')).now.stalePublished;
  expect(await list('stalePublished', 'demo-organiser')).not.toContain(legacy.wish._id);
  expect((await list('stalePublished', 'demo-organiser')).length).toBe(before - 1);

  const run = ok(await env.trigger('reconcile', { Type: 'Timer' }));
  expect(run).toMatchObject({ repaired: 0, removed: 0, stamped: 1 });
  const stored = (await env.db.collection('wishes').doc(legacy.wish._id).get()).data[0] as Wish;
  expect(stored.statusAt).toBe(legacy.wish.statusAt);
  const items = await list('stalePublished', 'demo-organiser');
  expect(items.length).toBe(before);
  expect(items).toContain(legacy.wish._id);
  expect(ok(await env.trigger('reconcile', { Type: 'Timer' }))).toMatchObject({ stamped: 0 });
});

// Actions offered = actions allowed (issue 21, item 1). `availableActions` is derived from the transition table; this
// property test checks both directions over 10,000 random wishes and actors — held wishes (the content check's
// moderation hold) included: every offered action goes through `transition()` with the representative command, and
// any action some random command gets through is offered.
import {
  ACTION_TYPES,
  STATUSES,
  SATISFACTIONS,
  addDays,
  availableActions,
  chinaDate,
  collect,
  representativeCommand,
  transition,
  type ActionType,
  type Actor,
  type Claim,
  type Command,
  type Wish,
} from '../../src/core';
import { input, rng } from './fixtures';

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: R, p: number) => r() < p;

const ORGS = ['org-a', 'org-b'];

/** A day around `today`: in the past, today, within the promise range, past it. */
const someDay = (r: R, today: string) => addDays(today, pick(r, [-40, -1, 0, 1, 2, 7, 30, 89, 90, 91, 200, 366, 367]));

function randomWish(r: R, now: Date): Wish {
  const made = collect('w1', input, { id: 'r1', role: 'resident', orgId: 'org-a' }, now);
  if (!made.ok) throw new Error('fixture');
  const today = chinaDate(now);
  const at = (d: number) => new Date(now.getTime() + d * 3_600_000).toISOString();
  const status = pick(r, STATUSES);
  const w: Wish = {
    ...made.wish,
    status,
    orgId: pick(r, ORGS),
    residentId: chance(r, 0.8) ? pick(r, ['r1', 'r2']) : null,
    track: pick(r, ['individual', 'common', 'hard', 'deferred', null] as const),
    category: chance(r, 0.7) ? '精神慰藉' : null,
    summary: chance(r, 0.6) ? '独居老人希望有人陪伴聊天' : '',
    cardNo: chance(r, 0.2) ? 'C1' : null,
  };
  if (chance(r, 0.3)) w.moderation = { state: chance(r, 0.7) ? 'review' : 'approved', reason: '疑似广告', at: at(-1) };
  if (chance(r, 0.7)) {
    const kind = pick(r, ['member', 'org', 'leader'] as const);
    const claim: Claim = {
      kind,
      memberId: kind === 'member' ? pick(r, ['m1', 'm2']) : null,
      assignee: kind === 'member' ? null : '幸福里社区居委会',
      promisedBy: someDay(r, today),
      at: at(-48),
    };
    if (chance(r, 0.4))
      claim.extension = {
        until: someDay(r, today),
        reason: '等配件',
        at: at(-24),
        state: pick(r, ['pending', 'approved', 'refused'] as const),
      };
    w.claim = claim;
  }
  if (chance(r, 0.5)) w.fulfilment = { note: chance(r, 0.9) ? '上门陪聊一小时' : ' ', photos: [], at: at(-10) };
  if (chance(r, 0.5)) w.feedback = { satisfaction: pick(r, SATISFACTIONS), comment: '', at: at(pick(r, [-20, -5])), callback: false };
  return w;
}

function randomActor(r: R): Actor {
  const role = pick(r, ['resident', 'member', 'organiser'] as const);
  const id = role === 'resident' ? pick(r, ['r1', 'r2', 'card:C1']) : role === 'member' ? pick(r, ['m1', 'm2']) : pick(r, ['o1', 'o2']);
  const orgId = chance(r, 0.1) ? null : pick(r, ORGS);
  return {
    id,
    role,
    orgId,
    ...(chance(r, 0.2) ? { scope: [pick(r, ORGS)] } : {}),
    // A member's open claims against the limit (the claim rule's guard), as the claim function loads them.
    ...(role === 'member' && chance(r, 0.4) ? { claims: { open: pick(r, [0, 2, 3, 5]), limit: pick(r, [3, 5]) } } : {}),
  };
}

/** Any command of `type`, with arguments a form (or a hand-made request) might send: valid or not. */
function randomCommand(r: R, type: ActionType, now: Date): Command {
  const today = chinaDate(now);
  const text = pick(r, ['', '原因', '  ']);
  const day = someDay(r, today);
  switch (type) {
    case 'register':
      return {
        type,
        category: pick(r, ['精神慰藉', '不存在']),
        track: pick(r, ['individual', 'common', 'hard'] as const),
        ...(chance(r, 0.5) ? { categories: ['精神慰藉'] } : {}),
      };
    case 'defer':
      return { type, reason: text, reviewOn: day };
    case 'reject':
    case 'release':
    case 'reopen':
      return { type, reason: text };
    case 'withdraw':
      return chance(r, 0.5) ? { type, reason: text } : { type };
    case 'revive':
    case 'closeOut':
    case 'chase':
      return { type };
    case 'publish':
      return chance(r, 0.5) ? { type, summary: pick(r, ['概要', '']) } : { type };
    case 'assign':
      return { type, kind: pick(r, ['org', 'leader'] as const), assignee: '居委会', promisedBy: day };
    case 'claim':
      return { type, promisedBy: day };
    case 'fulfil':
    case 'progress':
    case 'message':
      return { type, note: text };
    case 'feedback':
      return { type, satisfaction: pick(r, SATISFACTIONS) };
    case 'extend':
      return { type, until: day, reason: text };
    case 'answerExtension':
      return { type, approve: chance(r, 0.5) };
    case 'reassign':
      return chance(r, 0.5) ? { type, reason: text, kind: 'leader', assignee: '张书记', promisedBy: day } : { type, reason: text };
  }
}

const CASES = 10_000;

test(`offered ⇔ allowed, over ${CASES} random wishes and actors (held wishes included)`, () => {
  const r = rng(21);
  let held = 0;
  let offered = 0;
  for (let i = 0; i < CASES; i++) {
    // Any hour of the day in China, so that day boundaries (today, the promise range) move under the wishes.
    const now = new Date(Date.UTC(2026, 10, 23) + Math.floor(r() * 48 * 60) * 60_000);
    const wish = randomWish(r, now);
    const actor = randomActor(r);
    if (wish.moderation?.state === 'review') held++;
    const actions = availableActions(wish, actor, now);
    offered += actions.length;
    for (const type of ACTION_TYPES) {
      const isOffered = actions.includes(type);
      if (isOffered) {
        const result = transition(wish, representativeCommand(type, wish, now), actor, now);
        if (!result.ok) throw new Error(`case ${i}: ${type} offered to ${JSON.stringify(actor)} but refused (${result.code})`);
      } else {
        // No command of this type — the representative one or 4 random ones — gets through.
        for (let k = 0; k < 4; k++) {
          const result = transition(wish, randomCommand(r, type, now), actor, now);
          if (result.ok) throw new Error(`case ${i}: ${type} allowed for ${JSON.stringify(actor)} but not offered`);
        }
      }
    }
  }
  // The random wishes did exercise the hold, and offered something.
  expect(held).toBeGreaterThan(CASES / 10);
  expect(offered).toBeGreaterThan(CASES / 5);
});

test('a wish held by the content check offers an organiser only 不予受理 and 撤回 (the hold nextState applies)', () => {
  const now = new Date('2026-11-23T02:00:00Z');
  const made = collect('w1', input, { id: 'r1', role: 'resident', orgId: 'org-a' }, now);
  if (!made.ok) throw new Error('fixture');
  const held: Wish = { ...made.wish, moderation: { state: 'review', reason: '疑似广告', at: now.toISOString() } };
  const organiser: Actor = { id: 'o1', role: 'organiser', orgId: 'org-a' };
  expect(availableActions(held, organiser, now).sort()).toEqual(['reject', 'withdraw']);
  expect(availableActions({ ...held, moderation: null }, organiser, now).sort()).toEqual(['defer', 'register', 'reject', 'withdraw']);
});

test('an extension past the promise range is not offered (the server would refuse it)', () => {
  const now = new Date('2026-11-23T02:00:00Z');
  const made = collect('w1', input, { id: 'r1', role: 'resident', orgId: 'org-a' }, now);
  if (!made.ok) throw new Error('fixture');
  const member: Actor = { id: 'm1', role: 'member', orgId: 'org-a' };
  const claimed = (promisedBy: string): Wish => ({
    ...made.wish,
    status: 'claimed',
    track: 'individual',
    claim: { kind: 'member', memberId: 'm1', assignee: null, promisedBy, at: now.toISOString() },
  });
  expect(availableActions(claimed(addDays('2026-11-23', 30)), member, now)).toContain('extend');
  expect(availableActions(claimed(addDays('2026-11-23', 90)), member, now)).not.toContain('extend');
});

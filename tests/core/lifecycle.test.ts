import {
  ACTION_LABEL,
  STATUSES,
  availableActions,
  transition,
  type ActionType,
  type Actor,
  type Command,
  type Status,
} from '../../src/core';
import { NOW, member, member2, organiser, outsiderMember, outsiderOrganiser, resident, wishIn } from './fixtures';

const COMMANDS: Record<ActionType, Command> = {
  register: { type: 'register', category: '精神慰藉', track: 'individual' },
  defer: { type: 'defer', reason: '需要等小区改造后再办', reviewOn: '2027-01-10' },
  reject: { type: 'reject', reason: '不属于微心愿范围' },
  revive: { type: 'revive' },
  publish: { type: 'publish' },
  assign: { type: 'assign', kind: 'org', assignee: '幸福里社区居委会', promisedBy: '2026-12-15' },
  claim: { type: 'claim', promisedBy: '2026-11-30' },
  release: { type: 'release', reason: '临时出差' },
  fulfil: { type: 'fulfil', note: '上门陪聊一小时', photos: ['cloud://local.bucket/p/1.jpg'] },
  feedback: { type: 'feedback', satisfaction: 'satisfied', comment: '谢谢' },
  closeOut: { type: 'closeOut' },
  withdraw: { type: 'withdraw', reason: '问题已经自己解决' },
};

const ROLES: Record<string, Actor> = { resident, member, organiser };

/** The specification, written out by hand: [status, action, role] → resulting status. Everything else is refused. */
const ALLOWED: Record<'individual' | 'common', Array<[Status, ActionType, keyof typeof ROLES, Status]>> = {
  individual: [
    ['collected', 'register', 'organiser', 'registered'],
    ['collected', 'defer', 'organiser', 'deferred'],
    ['collected', 'reject', 'organiser', 'rejected'],
    ['collected', 'withdraw', 'resident', 'withdrawn'],
    ['collected', 'withdraw', 'organiser', 'withdrawn'],
    ['registered', 'publish', 'organiser', 'published'],
    ['registered', 'withdraw', 'resident', 'withdrawn'],
    ['registered', 'withdraw', 'organiser', 'withdrawn'],
    ['published', 'claim', 'member', 'claimed'],
    ['published', 'withdraw', 'resident', 'withdrawn'],
    ['published', 'withdraw', 'organiser', 'withdrawn'],
    ['claimed', 'release', 'member', 'published'],
    ['claimed', 'fulfil', 'member', 'fulfilled'],
    ['fulfilled', 'feedback', 'resident', 'reviewed'],
    ['fulfilled', 'feedback', 'organiser', 'reviewed'],
    ['reviewed', 'closeOut', 'organiser', 'closed'],
    ['deferred', 'revive', 'organiser', 'collected'],
    ['deferred', 'withdraw', 'resident', 'withdrawn'],
    ['deferred', 'withdraw', 'organiser', 'withdrawn'],
  ],
  common: [
    ['collected', 'register', 'organiser', 'registered'],
    ['collected', 'defer', 'organiser', 'deferred'],
    ['collected', 'reject', 'organiser', 'rejected'],
    ['collected', 'withdraw', 'resident', 'withdrawn'],
    ['collected', 'withdraw', 'organiser', 'withdrawn'],
    ['registered', 'assign', 'organiser', 'claimed'],
    ['registered', 'withdraw', 'resident', 'withdrawn'],
    ['registered', 'withdraw', 'organiser', 'withdrawn'],
    ['published', 'claim', 'member', 'claimed'],
    ['published', 'withdraw', 'resident', 'withdrawn'],
    ['published', 'withdraw', 'organiser', 'withdrawn'],
    ['claimed', 'fulfil', 'organiser', 'fulfilled'],
    ['fulfilled', 'feedback', 'resident', 'reviewed'],
    ['fulfilled', 'feedback', 'organiser', 'reviewed'],
    ['reviewed', 'closeOut', 'organiser', 'closed'],
    ['deferred', 'revive', 'organiser', 'collected'],
    ['deferred', 'withdraw', 'resident', 'withdrawn'],
    ['deferred', 'withdraw', 'organiser', 'withdrawn'],
  ],
};

const REFUSALS = ['AUTH.FORBIDDEN', 'WISH.WRONG_STATE', 'WISH.ALREADY_CLAIMED'];

for (const track of ['individual', 'common'] as const) {
  const cells = STATUSES.flatMap((s) => (Object.keys(COMMANDS) as ActionType[]).flatMap((a) => Object.keys(ROLES).map((r) => [s, a, r] as const)));
  const allowed = new Map(ALLOWED[track].map(([s, a, r, to]) => [`${s}/${a}/${r}`, to]));

  describe(`every (status, action, role) on the ${track} track`, () => {
    test.each(cells)('%s × %s × %s', (status, action, role) => {
      const wish = wishIn(status, track);
      const before = JSON.stringify(wish);
      const actor = ROLES[role]!;
      const result = transition(wish, COMMANDS[action], actor, NOW);
      const expected = allowed.get(`${status}/${action}/${role}`);
      expect(JSON.stringify(wish)).toBe(before); // the input is never mutated
      expect(availableActions(wish, actor).includes(action)).toBe(expected !== undefined);
      if (expected) {
        if (!result.ok) throw new Error(`expected ${status}/${action}/${role} to be allowed, got ${result.code}: ${result.message}`);
        expect(result.wish.status).toBe(expected);
        expect(result.wish.version).toBe(wish.version + 1);
        expect(result.wish.timeline).toHaveLength(wish.timeline.length + 1);
        expect(result.wish.timeline.at(-1)).toEqual(result.entry);
        expect(result.entry).toMatchObject({ status: expected, action, at: NOW.toISOString(), actorRole: role, actorId: actor.id });
        expect(result.entry.note.length).toBeGreaterThan(0);
        expect(result.wish.updatedAt).toBe(NOW.toISOString());
      } else {
        if (result.ok) throw new Error(`expected ${status}/${action}/${role} to be refused, it went to ${result.wish.status}`);
        expect(REFUSALS).toContain(result.code);
        expect(result.message).toMatch(/[\u4e00-\u9fa5]/);
      }
    });
  });
}

describe('specific rules', () => {
  test('a second member claiming a claimed wish is told it is already claimed', () => {
    const r = transition(wishIn('claimed'), COMMANDS.claim, member2, NOW);
    expect(r).toMatchObject({ ok: false, code: 'WISH.ALREADY_CLAIMED' });
  });

  test('another member cannot release or fulfil someone else’s claim', () => {
    expect(transition(wishIn('claimed'), COMMANDS.release, member2, NOW)).toMatchObject({ ok: false, code: 'AUTH.FORBIDDEN' });
    expect(transition(wishIn('claimed'), COMMANDS.fulfil, member2, NOW)).toMatchObject({ ok: false, code: 'AUTH.FORBIDDEN' });
  });

  test('actors of another organisation are out of scope', () => {
    expect(transition(wishIn('published'), COMMANDS.claim, outsiderMember, NOW)).toMatchObject({ ok: false, code: 'AUTH.OUT_OF_SCOPE' });
    expect(transition(wishIn('collected'), COMMANDS.register, outsiderOrganiser, NOW)).toMatchObject({ ok: false, code: 'AUTH.OUT_OF_SCOPE' });
  });

  test('a resident who did not post the wish cannot give feedback or withdraw it', () => {
    const stranger: Actor = { id: 'r2', role: 'resident', orgId: 'org-a' };
    expect(transition(wishIn('fulfilled'), COMMANDS.feedback, stranger, NOW)).toMatchObject({ ok: false, code: 'AUTH.FORBIDDEN' });
    expect(transition(wishIn('published'), COMMANDS.withdraw, stranger, NOW)).toMatchObject({ ok: false, code: 'AUTH.FORBIDDEN' });
  });

  test('claim records the claimer and the promise, and the note says so in Chinese', () => {
    const r = transition(wishIn('published'), COMMANDS.claim, member, NOW);
    if (!r.ok) throw new Error(r.message);
    expect(r.wish.claim).toEqual({ kind: 'member', memberId: 'm1', assignee: null, promisedBy: '2026-11-30', at: NOW.toISOString() });
    expect(r.entry.note).toBe('党员已认领,承诺 2026-11-30 前完成');
  });

  test('promised dates: today and today+90 (China time) are accepted, yesterday and today+91 are not', () => {
    const at = (d: string) => transition(wishIn('published'), { type: 'claim', promisedBy: d }, member, NOW);
    expect(at('2026-11-23').ok).toBe(true);
    expect(at('2027-02-21').ok).toBe(true);
    expect(at('2026-11-22')).toMatchObject({ ok: false, code: 'INPUT.DATE_OUT_OF_RANGE' });
    expect(at('2027-02-22')).toMatchObject({ ok: false, code: 'INPUT.DATE_OUT_OF_RANGE' });
    // 17:00 UTC on the 23rd is already the 24th in Beijing: the 23rd is now in the past.
    const late = transition(wishIn('published'), { type: 'claim', promisedBy: '2026-11-23' }, member, new Date('2026-11-23T17:00:00Z'));
    expect(late).toMatchObject({ ok: false, code: 'INPUT.DATE_OUT_OF_RANGE' });
  });

  test('unsatisfied feedback sends the wish back to the claimer for rework and says so', () => {
    const r = transition(wishIn('fulfilled'), { type: 'feedback', satisfaction: 'unsatisfied', comment: '没有人来' }, resident, NOW);
    if (!r.ok) throw new Error(r.message);
    expect(r.wish.status).toBe('claimed');
    expect(r.wish.claim?.memberId).toBe('m1');
    expect(r.wish.fulfilment).toBeNull();
    expect(r.entry.note).toContain('重新办理');
    const again = transition(r.wish, COMMANDS.fulfil, member, NOW);
    expect(again.ok && again.wish.status).toBe('fulfilled');
  });

  test('feedback recorded by an organiser is marked as a call-back', () => {
    const r = transition(wishIn('fulfilled'), COMMANDS.feedback, organiser, NOW);
    if (!r.ok) throw new Error(r.message);
    expect(r.entry.callback).toBe(true);
    expect(r.wish.feedback?.callback).toBe(true);
    const byResident = transition(wishIn('fulfilled'), COMMANDS.feedback, resident, NOW);
    expect(byResident.ok && byResident.entry.callback).toBeFalsy();
  });

  test('release clears the claim and puts the reason where the resident reads it', () => {
    const r = transition(wishIn('claimed'), COMMANDS.release, member, NOW);
    if (!r.ok) throw new Error(r.message);
    expect(r.wish.claim).toBeNull();
    expect(r.wish.reason).toBe('临时出差');
  });

  test('register refuses a category outside the organisation list; publish refuses a common wish', () => {
    const bad = transition(wishIn('collected'), { type: 'register', category: '装修', track: 'individual', categories: ['生活帮扶'] }, organiser, NOW);
    expect(bad).toMatchObject({ ok: false, code: 'INPUT.UNKNOWN_CATEGORY' });
    expect(transition(wishIn('registered', 'common'), COMMANDS.publish, organiser, NOW)).toMatchObject({ ok: false, code: 'WISH.WRONG_STATE' });
  });

  test('defer needs a re-review date in the future', () => {
    const r = transition(wishIn('collected'), { type: 'defer', reason: '等待', reviewOn: '2026-11-23' }, organiser, NOW);
    expect(r).toMatchObject({ ok: false, code: 'INPUT.DATE_OUT_OF_RANGE' });
  });

  test('the requestId is recorded on the timeline entry', () => {
    const r = transition(wishIn('published'), COMMANDS.claim, member, NOW, 'req-1');
    expect(r.ok && r.entry.requestId).toBe('req-1');
  });

  test('every action has a Chinese label', () => {
    for (const a of Object.keys(COMMANDS)) expect(ACTION_LABEL[a as ActionType]).toMatch(/[\u4e00-\u9fa5]/);
  });
});

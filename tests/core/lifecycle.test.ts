import {
  ACTION_LABEL,
  STATUSES,
  availableActions,
  transition,
  type ActionType,
  type Actor,
  type Command,
  type Status,
  type Wish,
} from '../../src/core';
import { viewWish } from '../../src/core';
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
  extend: { type: 'extend', until: '2026-12-10', reason: '等配件到货' },
  answerExtension: { type: 'answerExtension', approve: true },
  progress: { type: 'progress', note: '已联系好维修师傅', photos: ['cloud://local.bucket/p/2.jpg'] },
  reassign: { type: 'reassign', reason: '原领办人调岗', kind: 'leader', assignee: '张书记', promisedBy: '2026-12-20' },
  reopen: { type: 'reopen', reason: '居民来电说问题又出现了' },
  message: { type: 'message', note: '周六上午我在家' },
  chase: { type: 'chase', note: '请尽快上门' },
};

/** Some actions need more than the status: an extension to answer needs a pending request. */
const PREPARE: Partial<Record<ActionType, (w: Wish) => Wish>> = {
  answerExtension: (w) =>
    w.claim
      ? { ...w, claim: { ...w.claim, extension: { until: '2026-12-10', reason: '等配件', at: NOW.toISOString(), state: 'pending' } } }
      : w,
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
    ['claimed', 'extend', 'member', 'claimed'],
    ['claimed', 'answerExtension', 'organiser', 'claimed'],
    ['claimed', 'progress', 'member', 'claimed'],
    ['claimed', 'reassign', 'organiser', 'published'],
    ['claimed', 'message', 'resident', 'claimed'],
    ['claimed', 'message', 'member', 'claimed'],
    ['claimed', 'chase', 'organiser', 'claimed'],
    ['closed', 'reopen', 'organiser', 'claimed'],
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
    ['claimed', 'answerExtension', 'organiser', 'claimed'],
    ['claimed', 'progress', 'organiser', 'claimed'],
    ['claimed', 'reassign', 'organiser', 'claimed'],
    ['claimed', 'message', 'resident', 'claimed'], // to the organisers who lead an assigned wish
    ['claimed', 'chase', 'organiser', 'claimed'], // 催办 the organisation or leader it was assigned to
    ['closed', 'reopen', 'organiser', 'claimed'],
    ['fulfilled', 'feedback', 'resident', 'reviewed'],
    ['fulfilled', 'feedback', 'organiser', 'reviewed'],
    ['reviewed', 'closeOut', 'organiser', 'closed'],
    ['deferred', 'revive', 'organiser', 'collected'],
    ['deferred', 'withdraw', 'resident', 'withdrawn'],
    ['deferred', 'withdraw', 'organiser', 'withdrawn'],
  ],
};

const REFUSALS = ['AUTH.FORBIDDEN', 'WISH.WRONG_STATE', 'WISH.ALREADY_CLAIMED', 'WISH.NO_EVIDENCE', 'WISH.NO_FEEDBACK'];

for (const track of ['individual', 'common'] as const) {
  const cells = STATUSES.flatMap((s) =>
    (Object.keys(COMMANDS) as ActionType[]).flatMap((a) => Object.keys(ROLES).map((r) => [s, a, r] as const)),
  );
  const allowed = new Map(ALLOWED[track].map(([s, a, r, to]) => [`${s}/${a}/${r}`, to]));

  describe(`every (status, action, role) on the ${track} track`, () => {
    test.each(cells)('%s × %s × %s', (status, action, role) => {
      const wish = (PREPARE[action] ?? ((w: Wish) => w))(wishIn(status, track));
      const before = JSON.stringify(wish);
      const actor = ROLES[role]!;
      const result = transition(wish, COMMANDS[action], actor, NOW);
      const expected = allowed.get(`${status}/${action}/${role}`);
      expect(JSON.stringify(wish)).toBe(before); // the input is never mutated
      expect(availableActions(wish, actor, NOW).includes(action)).toBe(expected !== undefined);
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
    expect(transition(wishIn('collected'), COMMANDS.register, outsiderOrganiser, NOW)).toMatchObject({
      ok: false,
      code: 'AUTH.OUT_OF_SCOPE',
    });
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
    expect(r.entry.note).toBe('党员已认领，承诺 11月30日前完成');
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
    const bad = transition(
      wishIn('collected'),
      { type: 'register', category: '装修', track: 'individual', categories: ['生活帮扶'] },
      organiser,
      NOW,
    );
    expect(bad).toMatchObject({ ok: false, code: 'INPUT.UNKNOWN_CATEGORY' });
    expect(transition(wishIn('registered', 'common'), COMMANDS.publish, organiser, NOW)).toMatchObject({
      ok: false,
      code: 'WISH.WRONG_STATE',
    });
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

describe('side paths (issue 3)', () => {
  const ok = <T extends { ok: boolean }>(r: T) => {
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r as Extract<T, { ok: true }>;
  };

  test('extend: a pending request after the current promise, at most today+90; one at a time', () => {
    const r = ok(transition(wishIn('claimed'), COMMANDS.extend, member, NOW));
    expect(r.wish.claim).toMatchObject({
      promisedBy: '2026-11-30',
      extension: { until: '2026-12-10', reason: '等配件到货', state: 'pending', at: NOW.toISOString() },
    });
    expect(r.entry.note).toBe('申请延期至 12月10日：等配件到货');
    expect(transition(r.wish, COMMANDS.extend, member, NOW)).toMatchObject({ ok: false, code: 'WISH.WRONG_STATE' });
    expect(availableActions(r.wish, member, NOW)).not.toContain('extend');
    const at = (until: string) => transition(wishIn('claimed'), { type: 'extend', until, reason: 'x' }, member, NOW);
    expect(at('2026-11-30')).toMatchObject({ ok: false, code: 'INPUT.DATE_OUT_OF_RANGE' });
    expect(at('2027-02-21').ok).toBe(true);
    expect(at('2027-02-22')).toMatchObject({ ok: false, code: 'INPUT.DATE_OUT_OF_RANGE' });
    expect(transition(wishIn('claimed'), COMMANDS.extend, member2, NOW)).toMatchObject({ ok: false, code: 'AUTH.FORBIDDEN' });
  });

  test('answerExtension: approve moves the promise, refuse keeps it; both say so', () => {
    const asked = ok(transition(wishIn('claimed'), COMMANDS.extend, member, NOW)).wish;
    expect(availableActions(asked, organiser, NOW)).toContain('answerExtension');
    const yes = ok(transition(asked, { type: 'answerExtension', approve: true }, organiser, NOW));
    expect(yes.wish.claim).toMatchObject({ promisedBy: '2026-12-10', extension: { state: 'approved' } });
    expect(yes.entry.note).toBe('社区同意延期，承诺 12月10日前完成');
    const no = ok(transition(asked, { type: 'answerExtension', approve: false, note: '居民急需' }, organiser, NOW));
    expect(no.wish.claim).toMatchObject({ promisedBy: '2026-11-30', extension: { state: 'refused' } });
    expect(no.entry.note).toBe('社区未同意延期，仍需 11月30日前完成：居民急需');
    expect(transition(yes.wish, COMMANDS.answerExtension, organiser, NOW)).toMatchObject({ ok: false, code: 'WISH.WRONG_STATE' });
    // After an answer the claimer may ask again.
    expect(availableActions(no.wish, member, NOW)).toContain('extend');
  });

  test('progress keeps the wish claimed, notes it, and its photos are private', () => {
    const r = ok(transition(wishIn('claimed'), COMMANDS.progress, member, NOW));
    expect(r.wish.status).toBe('claimed');
    expect(r.entry).toMatchObject({ note: '进展：已联系好维修师傅', photos: ['cloud://local.bucket/p/2.jpg'] });
    expect(viewWish(r.wish, organiser, NOW).timeline.at(-1)?.photos).toEqual(['cloud://local.bucket/p/2.jpg']);
    expect(viewWish(r.wish, member2, NOW).timeline.at(-1)).not.toHaveProperty('photos');
  });

  test('reassign: a member claim goes back on the board; an assigned wish needs the new assignee', () => {
    const back = ok(transition(wishIn('claimed'), { type: 'reassign', reason: '长期未联系居民' }, organiser, NOW));
    expect(back.wish).toMatchObject({ status: 'published', claim: null, reason: '长期未联系居民' });
    expect(back.entry.note).toContain('重新回到认领墙');
    expect(transition(wishIn('claimed', 'common'), { type: 'reassign', reason: '调整' }, organiser, NOW)).toMatchObject({
      ok: false,
      code: 'INPUT.INVALID',
    });
    const moved = ok(transition(wishIn('claimed', 'common'), COMMANDS.reassign, organiser, NOW));
    expect(moved.wish.claim).toMatchObject({ kind: 'leader', assignee: '张书记', promisedBy: '2026-12-20' });
    expect(moved.entry.note).toBe('改派给领导“张书记”领办，承诺 12月20日前完成：原领办人调岗');
    const late = transition(wishIn('claimed', 'common'), { ...COMMANDS.reassign, promisedBy: '2026-11-22' } as Command, organiser, NOW);
    expect(late).toMatchObject({ ok: false, code: 'INPUT.DATE_OUT_OF_RANGE' });
  });

  test('reopen: a closed wish goes back to the same claimer with evidence and feedback cleared', () => {
    const r = ok(transition(wishIn('closed'), COMMANDS.reopen, organiser, NOW));
    expect(r.wish).toMatchObject({ status: 'claimed', fulfilment: null, feedback: null, closedAt: null });
    expect(r.wish.claim?.memberId).toBe('m1');
    expect(r.entry.note).toBe('社区重新打开：居民来电说问题又出现了。已退回领办人重新办理');
    expect(availableActions(r.wish, member, NOW)).toContain('fulfil');
  });

  test('closeOut needs evidence and a satisfied feedback (or call-back) given after the latest fulfilment', () => {
    expect(transition(wishIn('claimed'), COMMANDS.closeOut, organiser, NOW)).toMatchObject({ ok: false, code: 'WISH.NO_EVIDENCE' });
    expect(transition(wishIn('fulfilled'), COMMANDS.closeOut, organiser, NOW)).toMatchObject({ ok: false, code: 'WISH.NO_FEEDBACK' });
    const noNote = { ...wishIn('reviewed'), fulfilment: { note: ' ', photos: [], at: NOW.toISOString() } };
    expect(transition(noNote, COMMANDS.closeOut, organiser, NOW)).toMatchObject({ ok: false, code: 'WISH.NO_EVIDENCE' });
    expect(availableActions(noNote, organiser, NOW)).not.toContain('closeOut');
    // Unsatisfied → rework → fulfilled again: the old unsatisfied feedback does not count.
    const rework = ok(transition(wishIn('fulfilled'), { type: 'feedback', satisfaction: 'unsatisfied' }, resident, NOW)).wish;
    const again = ok(transition(rework, COMMANDS.fulfil, member, new Date(NOW.getTime() + 1000))).wish;
    expect(transition(again, COMMANDS.closeOut, organiser, NOW)).toMatchObject({ ok: false, code: 'WISH.NO_FEEDBACK' });
    expect(ok(transition(wishIn('reviewed'), COMMANDS.closeOut, organiser, NOW)).wish.status).toBe('closed');
  });

  test('a member cannot leave a 留言 nobody will read: a wish entered for someone without the app refuses it', () => {
    const noAccount = { ...wishIn('claimed'), residentId: null };
    const before = JSON.stringify(noAccount);
    const r = transition(noAccount, COMMANDS.message, member, NOW);
    expect(r).toMatchObject({ ok: false, code: 'WISH.NO_READER', message: expect.stringContaining('收不到留言') });
    expect(JSON.stringify(noAccount)).toBe(before);
    expect(availableActions(noAccount, member, NOW)).not.toContain('message');
    // With an account the same note goes through.
    expect(ok(transition(wishIn('claimed'), COMMANDS.message, member, NOW)).wish.status).toBe('claimed');
  });

  test('urgent is set at registration and ranks the wish first on the board', () => {
    const reg = ok(
      transition(
        wishIn('collected'),
        { type: 'register', category: '生活帮扶', track: 'individual', urgent: true, summary: '急需送药' },
        organiser,
        NOW,
      ),
    );
    expect(reg.wish.urgent).toBe(true);
    expect(reg.entry.note).toContain('紧急');
    const pub = ok(transition(reg.wish, COMMANDS.publish, organiser, NOW));
    expect(pub.wish.boardRank).toBe(`1|${NOW.toISOString()}`);
    const plain = ok(transition(wishIn('registered'), COMMANDS.publish, organiser, NOW));
    expect(plain.wish.boardRank).toBe(`0|${NOW.toISOString()}`);
    expect(viewWish(pub.wish, member, NOW)).not.toHaveProperty('boardRank');
  });

  test('dates in notes carry the year only when it is not this year', () => {
    const r = ok(transition(wishIn('published'), { type: 'claim', promisedBy: '2027-01-05' }, member, NOW));
    expect(r.entry.note).toBe('党员已认领，承诺 2027年1月5日前完成');
  });
});

test('evidence: the claimer still sees their fulfilment after it is done, but no longer the contact', () => {
  const done = wishIn('fulfilled');
  const asClaimer = viewWish(done, member, NOW);
  expect(asClaimer.fulfilment).toEqual(done.fulfilment);
  expect(asClaimer).not.toHaveProperty('contact');
  expect(viewWish(done, member2, NOW)).not.toHaveProperty('fulfilment');
  expect(viewWish(done, resident, NOW).fulfilment).toEqual(done.fulfilment);
});

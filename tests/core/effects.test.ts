/** A transition's outcome (issue 8): the next wish and the effects it implies, decided purely and identically each time. */
import { carry, claimSlotChanges, revealRecord, transition, type Effect, type Transitioned } from '../../src/core';
import { NOW, member, organiser, resident, wishIn } from './fixtures';

const ok = (r: ReturnType<typeof transition>): Transitioned => {
  if (!r.ok) throw new Error(`${r.code} ${r.message}`);
  return r;
};
const summary = (effects: Effect[]) =>
  effects.map((e) =>
    e.kind === 'audit'
      ? `${e.id} audit ${e.audit.action} by ${e.audit.actorId}`
      : e.kind === 'notice'
        ? `${e.id} notice ${e.notice.kind} to ${e.notice.to === 'organisers' ? 'organisers' : e.notice.to.openid}`
        : e.kind === 'claimSlot'
          ? `${e.id} claimSlot ${e.op} ${e.wishId} for ${e.memberId}`
          : `${e.id} counter ${e.counter.orgId} ${e.counter.period} ${e.counter.figure} ${e.counter.delta}`,
  );

test('a claim: the claimer’s reveal, the resident’s notice, one more claimed wish today, the stock moved; ids <wishId>-<version>-<n>', () => {
  const w = wishIn('published');
  const r = ok(transition(w, { type: 'claim', promisedBy: '2026-11-30' }, member, NOW, 'rq', 'claim'));
  expect(r.wish.version).toBe(w.version + 1);
  const v = r.wish.version;
  expect(summary(r.effects)).toEqual([
    `w1-${v}-0 audit reveal by m1`,
    `w1-${v}-1 notice claimed to r1`,
    `w1-${v}-2 counter org-a 2026-11-23 claimed 1`,
    `w1-${v}-3 counter org-a 2026-11-23 days:claim:0 1`,
    `w1-${v}-4 counter org-a now status:published -1`,
    `w1-${v}-5 counter org-a now since:published:2026-11-23 -1`,
    `w1-${v}-6 counter org-a now status:claimed 1`,
    `w1-${v}-7 counter org-a now due:2026-11-30 1`,
    `w1-${v}-8 claimSlot add w1 for m1`,
  ]);
  expect(r.effects[0]).toMatchObject({ audit: { after: { via: 'claim' }, target: { kind: 'wish', id: 'w1' }, orgId: 'org-a' } });
  // Pure: the same inputs give the same effects.
  expect(ok(transition(w, { type: 'claim', promisedBy: '2026-11-30' }, member, NOW, 'rq', 'claim')).effects).toEqual(r.effects);
});

test('an organiser’s step is audited with before and after; feedback counts its satisfaction', () => {
  const closed = ok(transition(wishIn('reviewed'), { type: 'closeOut' }, organiser, NOW));
  expect(summary(closed.effects).map((s) => s.replace(/^w1-\d+-/, ''))).toEqual([
    '0 audit closeOut by o1',
    '1 audit reveal by o1',
    '2 counter org-a 2026-11-23 closed 1',
    '3 counter org-a 2026-11-23 days:closeOut:0 1',
    '4 counter org-a 2026-11-23 days:total:0 1',
    '5 counter org-a now status:reviewed -1',
    '6 counter org-a now status:closed 1',
  ]);
  expect(closed.effects[0]).toMatchObject({ audit: { before: { status: 'reviewed' }, after: { status: 'closed' } } });
  const fb = ok(transition(wishIn('fulfilled'), { type: 'feedback', satisfaction: 'basically' }, resident, NOW));
  expect(summary(fb.effects).filter((s) => s.includes('counter'))).toEqual([
    expect.stringContaining('counter org-a 2026-11-23 feedback 1'),
    expect.stringContaining('counter org-a 2026-11-23 satisfaction:basically 1'),
    expect.stringContaining('counter org-a 2026-11-23 days:feedback:0 1'),
    expect.stringContaining('counter org-a now status:fulfilled -1'),
    expect.stringContaining('counter org-a now status:reviewed 1'),
  ]);
  // The resident's own step reveals nothing and audits nothing.
  expect(fb.effects.some((e) => e.kind === 'audit')).toBe(false);
});

test('a step that keeps the status moves no figure; a refused step has no effects', () => {
  const progress = ok(transition(wishIn('claimed'), { type: 'progress', note: '已联系' }, member, NOW));
  expect(progress.effects.filter((e) => e.kind === 'counter')).toEqual([]);
  const refused = transition(wishIn('published'), { type: 'claim', promisedBy: '2026-11-30' }, resident, NOW);
  expect(refused.ok).toBe(false);
  expect(refused).not.toHaveProperty('effects');
});

test('a page reveals in one record naming its wishes; nothing for the resident’s own; carry keeps each effect once', () => {
  const a = { ...wishIn('published'), _id: 'a' };
  const b = { ...wishIn('claimed'), _id: 'b' };
  const page = revealRecord([a, b], organiser, 'orgWishes', NOW.toISOString());
  expect(page).toMatchObject({ action: 'reveal', target: { kind: 'wish', id: 'a,b' }, after: { via: 'orgWishes', wishes: ['a', 'b'] } });
  expect(revealRecord([a, b], resident, 'myWishes', NOW.toISOString())).toBeNull();
  const e1: Effect = { id: 'x-2-0', kind: 'counter', counter: { orgId: 'o', period: '2026-11', figure: 'claimed', delta: 1 } };
  const e2: Effect = { ...e1, id: 'x-3-0' };
  expect(carry([e1], [e1, e2]).map((e) => e.id)).toEqual(['x-2-0', 'x-3-0']);
});

test('the claim-limit list moves with the wish: off the member when it leaves them, onto the member when it comes back', () => {
  const slots = (r: ReturnType<typeof transition>) =>
    ok(r)
      .effects.filter((e) => e.kind === 'claimSlot')
      .map((e) => (e.kind === 'claimSlot' ? `${e.op} ${e.memberId}` : ''));
  expect(slots(transition(wishIn('claimed'), { type: 'release', reason: '出差' }, member, NOW))).toEqual(['remove m1']);
  expect(slots(transition(wishIn('claimed'), { type: 'fulfil', note: '办好了' }, member, NOW))).toEqual(['remove m1']);
  expect(slots(transition(wishIn('claimed'), { type: 'reassign', reason: '党员外出' }, organiser, NOW))).toEqual(['remove m1']);
  expect(slots(transition(wishIn('fulfilled'), { type: 'feedback', satisfaction: 'unsatisfied' }, resident, NOW))).toEqual(['add m1']);
  expect(slots(transition(wishIn('fulfilled'), { type: 'feedback', satisfaction: 'satisfied' }, resident, NOW))).toEqual([]);
  expect(slots(transition(wishIn('closed'), { type: 'reopen', reason: '问题又出现了' }, organiser, NOW))).toEqual(['add m1']);
  expect(slots(transition(wishIn('claimed'), { type: 'progress', note: '已联系' }, member, NOW))).toEqual([]);
  // An assigned wish (an organisation or leader) is nobody's slot.
  expect(slots(transition(wishIn('claimed', 'common'), { type: 'fulfil', note: '办好了' }, organiser, NOW))).toEqual([]);
  // Derived from the two wishes only: another member taking it over moves it from one list to the other.
  const mine = wishIn('claimed');
  const theirs = { ...mine, claim: { ...mine.claim!, memberId: 'm2' } };
  expect(claimSlotChanges(mine, theirs)).toEqual([
    { memberId: 'm1', wishId: 'w1', op: 'remove' },
    { memberId: 'm2', wishId: 'w1', op: 'add' },
  ]);
});

/**
 * Issue 7, "privacy and safety holes found by trying the app as an attacker and as a resident": the pure core's
 * side. Each describe is one item of the issue; tests/security/privacy.test.ts proves the same through the functions.
 */
import {
  collect,
  noticesFor,
  suggestSummary,
  transition,
  viewWish,
  type Actor,
  type Command,
  type Transitioned,
  type Wish,
} from '../../src/core';
import { NOW, input, wishIn } from './fixtures';

// Long, distinctive ids: a leak of any of them shows up in a JSON search of a view.
const resident: Actor = { id: 'openid-resident-wang', role: 'resident', orgId: 'org-a' };
const organiser: Actor = { id: 'openid-organiser-chen', role: 'organiser', orgId: 'org-a', name: '陈静', orgName: '幸福里社区' };
const claimer: Actor = { id: 'openid-member-li', role: 'member', orgId: 'org-a', name: '李明', orgName: '幸福里党支部' };
const other: Actor = { id: 'openid-member-zhao', role: 'member', orgId: 'org-a', name: '赵亮', orgName: '幸福里党支部' };
const quitter: Actor = { id: 'openid-member-sun', role: 'member', orgId: 'org-a', name: '孙强', orgName: '幸福里党支部' };
const IDS = [resident.id, organiser.id, claimer.id, other.id, quitter.id];

const step = (w: Wish, cmd: Command, actor: Actor, at = NOW): Transitioned => {
  const r = transition(w, cmd, actor, at);
  if (!r.ok) throw new Error(`${cmd.type}: ${r.code} ${r.message}`);
  return r;
};
const posted = (): Wish => {
  const r = collect('w7', input, resident, NOW);
  if (!r.ok) throw new Error(r.message);
  return r.wish;
};

describe('item 1: no public summary until an organiser confirms one', () => {
  test('a new wish stores no summary; publish refuses WISH.NO_SUMMARY until one is confirmed at registration or publishing', () => {
    const w = posted();
    expect(w.summary).toBe('');
    const registered = step(w, { type: 'register', category: '精神慰藉', track: 'individual' }, organiser).wish;
    expect(registered.summary).toBe('');
    const refused = transition(registered, { type: 'publish' }, organiser, NOW);
    expect(refused).toMatchObject({ ok: false, code: 'WISH.NO_SUMMARY' });
    if (!refused.ok) expect(refused.message).toMatch(/公开摘要/);
    // Blank is not a summary either.
    expect(transition(registered, { type: 'publish', summary: '   ' }, organiser, NOW)).toMatchObject({
      ok: false,
      code: 'WISH.NO_SUMMARY',
    });
    // Confirmed while publishing …
    const published = step(registered, { type: 'publish', summary: '独居老人希望有人陪伴聊天' }, organiser).wish;
    expect(published).toMatchObject({ status: 'published', summary: '独居老人希望有人陪伴聊天' });
    // … or at registration.
    const confirmed = step(w, { type: 'register', category: '精神慰藉', track: 'individual', summary: '希望有人陪聊' }, organiser).wish;
    expect(step(confirmed, { type: 'publish' }, organiser).wish.summary).toBe('希望有人陪聊');
    // The public view of an assigned (never published) wish has no summary and no content either.
    const assigned = step(
      step(w, { type: 'register', category: '生活帮扶', track: 'common' }, organiser).wish,
      { type: 'assign', kind: 'org', assignee: '物业公司', promisedBy: '2026-11-30' },
      organiser,
    ).wish;
    const seen = viewWish(assigned, other, NOW);
    expect(seen.summary).toBe('');
    expect(JSON.stringify(seen)).not.toContain(input.content);
  });

  test('the suggested summary carries neither the resident’s own words, name, phone nor address', () => {
    const w = { ...posted(), title: '王秀英想请人陪聊 13800001111', content: '老伴走了，我有糖尿病，住幸福里小区 3 栋 201' };
    const s = suggestSummary(w);
    expect(s.length).toBeGreaterThan(0);
    for (const p of [w.content, '糖尿病', '王秀英', '13800001111', '3 栋']) expect(s).not.toContain(p);
  });
});

/** A wish that went through every kind of private note: release, progress, extension, fulfilment, unsatisfied
 * feedback, rework, satisfied feedback, close-out. */
function fullLife(): Wish {
  let w = wishIn('published');
  w = step(w, { type: 'claim', promisedBy: '2026-11-30' }, quitter).wish;
  w = step(w, { type: 'release', reason: '我自己住院了' }, quitter).wish;
  w = step(w, { type: 'claim', promisedBy: '2026-11-30' }, claimer).wish;
  w = step(w, { type: 'progress', note: '已陪同老人去医院做透析' }, claimer).wish;
  w = step(w, { type: 'extend', until: '2026-12-10', reason: '老人透析后身体虚弱' }, claimer).wish;
  w = step(w, { type: 'answerExtension', approve: false, note: '老人下周要复查' }, organiser).wish;
  w = step(w, { type: 'fulfil', note: '已陪同老人去医院做透析，送回家中' }, claimer).wish;
  w = step(w, { type: 'feedback', satisfaction: 'unsatisfied', comment: '护工态度不好' }, organiser).wish;
  w = step(w, { type: 'fulfil', note: '换了护工，陪同复查' }, claimer).wish;
  w = step(w, { type: 'feedback', satisfaction: 'satisfied', comment: '护工态度很好' }, organiser).wish;
  return step(w, { type: 'closeOut', note: '电话回访老人，身体恢复' }, organiser).wish;
}
const PRIVATE_TEXTS = ['我自己住院了', '透析', '虚弱', '下周要复查', '护工', '身体恢复'];

describe('item 2: timeline notes are decided per viewer in privacy.ts', () => {
  test('members who are not the claimer see the public stages only （已落实，已反馈）, never the private texts', () => {
    const closed = fullLife();
    const seen = viewWish({ ...closed, status: 'reviewed', closedAt: null }, other, NOW);
    const json = JSON.stringify(seen);
    for (const p of PRIVATE_TEXTS) expect(json).not.toContain(p);
    const notes = (action: string) => seen.timeline.filter((e) => e.action === action).map((e) => e.note);
    expect(notes('fulfil')).toEqual(['已落实', '已落实']);
    expect(notes('feedback')[1]).toBe('已反馈');
    expect(notes('feedback')[0]).toMatch(/^已反馈/);
    expect(notes('release')).toEqual(['认领人放弃认领，心愿重新回到认领墙']);
    expect(notes('claim').every((n) => !n.includes('李明') && !n.includes('赵亮'))).toBe(true);
    expect(seen).not.toHaveProperty('reason');
  });

  test('every timeline action has a public note that carries none of the stored private text', () => {
    const w = fullLife();
    // reject, defer, withdraw, reassign, reopen, message: their notes carry reasons and words meant for a few.
    const extra: Wish['timeline'] = [
      ['reject', '老人有精神病史'],
      ['defer', '暂不具备办理条件：家属透析费用未落实。计划 12月1日复核'],
      ['withdraw', '社区撤回了心愿：家属透析'],
      ['reassign', '社区收回认领：认领人透析。心愿重新回到认领墙'],
      ['reopen', '社区重新打开：老人透析后又不舒服。已退回领办人重新办理'],
      ['message', '留言：我周六在医院透析'],
    ].map(
      ([action, note]) =>
        ({
          status: 'published',
          action,
          at: NOW.toISOString(),
          actorRole: 'organiser',
          actorId: organiser.id,
          note,
        }) as Wish['timeline'][number],
    );
    const seen = viewWish({ ...w, status: 'published', claim: null, timeline: [...w.timeline, ...extra] }, other, NOW);
    for (const e of seen.timeline) for (const p of [...PRIVATE_TEXTS, '精神病']) expect(e.note).not.toContain(p);
    expect(seen.timeline.every((e) => e.note.length > 0)).toBe(true);
  });

  test('the claimer reads their own work and the resident’s reply; the resident and organisers read everything', () => {
    const w = fullLife();
    const asClaimer = viewWish(w, claimer, NOW).timeline; // closed: the claimer is no longer active
    expect(asClaimer.find((e) => e.action === 'progress')?.note).toContain('透析');
    expect(asClaimer.filter((e) => e.action === 'fulfil').map((e) => e.note)[0]).toContain('透析');
    expect(asClaimer.find((e) => e.action === 'release')?.note).not.toContain('住院'); // another member's reason
    for (const who of [resident, organiser]) {
      const json = JSON.stringify(viewWish({ ...w, residentId: resident.id }, who, NOW).timeline);
      for (const p of PRIVATE_TEXTS) expect(json).toContain(p);
    }
  });

  test('whoever wrote an entry reads it as written: the member who released reads the reason they gave, nothing else private', () => {
    const seen = viewWish(fullLife(), quitter, NOW);
    expect(seen.timeline.find((e) => e.action === 'release')?.note).toContain('我自己住院了');
    const others = JSON.stringify(seen.timeline.filter((e) => e.action !== 'release'));
    for (const p of PRIVATE_TEXTS.filter((t) => t !== '我自己住院了')) expect(others).not.toContain(p);
  });
});

describe('item 5: no actor id reaches anyone but organisers', () => {
  test('resident, claimer and other members get no openid anywhere in the view; organisers get the timeline’s actors', () => {
    const w: Wish = {
      ...fullLife(),
      residentId: resident.id,
      enteredBy: { role: 'resident', id: resident.id },
      moderation: { state: 'approved', reason: '内容正常', at: NOW.toISOString(), by: organiser.id },
    };
    for (const who of [resident, claimer, other]) {
      const json = JSON.stringify(viewWish(w, who, NOW));
      for (const id of IDS) expect(json).not.toContain(id);
    }
    const asOrganiser = viewWish(w, organiser, NOW);
    expect(asOrganiser.timeline.some((e) => e.actorId === claimer.id)).toBe(true);
    expect(asOrganiser.moderation?.by).toBe(organiser.id);
  });
});

describe('item 6: who is coming', () => {
  test('the claim stores the claimer’s name and branch; the resident, organisers and the claimer see them, other members do not', () => {
    const w = { ...wishIn('published'), residentId: resident.id };
    const claimed = step(w, { type: 'claim', promisedBy: '2026-11-30' }, claimer);
    expect(claimed.wish.claim).toMatchObject({ memberId: claimer.id, member: { name: '李明', orgName: '幸福里党支部' } });
    for (const who of [resident, organiser, claimer]) {
      const v = viewWish(claimed.wish, who, NOW);
      expect(v.claim?.member).toEqual({ name: '李明', orgName: '幸福里党支部' });
      expect(v.timeline.at(-1)?.note).toBe('党员李明（幸福里党支部）已认领，承诺 11月30日前完成');
    }
    const public_ = viewWish(claimed.wish, other, NOW);
    expect(public_.claim).not.toHaveProperty('member');
    expect(JSON.stringify(public_)).not.toContain('李明');
    // The resident's notice says who, from which branch, and how to reach them in the app.
    const [notice] = noticesFor(w, claimed.wish, claimed.entry);
    expect(notice).toMatchObject({ to: { openid: resident.id }, kind: 'claimed' });
    expect(notice!.body).toContain('李明');
    expect(notice!.body).toContain('幸福里党支部');
    expect(notice!.body).toMatch(/留言/);
    expect(notice!.body).not.toMatch(/1\d{10}/);
  });

  test('the resident and the claimer reach each other through the app: a message is a notice to the other side', () => {
    const w = step({ ...wishIn('published'), residentId: resident.id }, { type: 'claim', promisedBy: '2026-11-30' }, claimer).wish;
    const asked = step(w, { type: 'message', note: '周六上午我在家，敲门声大一点' }, resident);
    expect(asked.wish.status).toBe('claimed');
    expect(noticesFor(w, asked.wish, asked.entry)).toEqual([
      expect.objectContaining({ to: { openid: claimer.id }, kind: 'message', body: expect.stringContaining('敲门声大一点') }),
    ]);
    const answered = step(asked.wish, { type: 'message', note: '好的，周六十点到' }, claimer);
    expect(noticesFor(asked.wish, answered.wish, answered.entry)).toEqual([
      expect.objectContaining({ to: { openid: resident.id }, kind: 'message', body: expect.stringContaining('周六十点到') }),
    ]);
    // Nobody else may use it, and other members never read it.
    expect(transition(answered.wish, { type: 'message', note: '你好' }, other, NOW)).toMatchObject({ ok: false, code: 'AUTH.FORBIDDEN' });
    expect(JSON.stringify(viewWish(answered.wish, other, NOW))).not.toMatch(/敲门声|周六十点/);
  });

  test('an assigned wish shows the organisation or leader that holds it to the resident and organisers', () => {
    const assigned = viewWish(wishIn('claimed', 'common'), organiser, NOW);
    expect(assigned.claim).toMatchObject({ kind: 'org', assignee: '幸福里社区居委会' });
  });
});

describe('item 7: an organiser withdraws a resident’s wish only with a reason, on the timeline, and tells her', () => {
  test('no reason: refused; with a reason: on the timeline and a notice to the resident; the resident herself needs none', () => {
    const w = { ...wishIn('published'), residentId: resident.id };
    const silent = transition(w, { type: 'withdraw' }, organiser, NOW);
    expect(silent).toMatchObject({ ok: false, code: 'INPUT.INVALID' });
    if (!silent.ok) expect(silent.message).toMatch(/原因/);
    expect(transition(w, { type: 'withdraw', reason: '  ' }, organiser, NOW)).toMatchObject({ ok: false, code: 'INPUT.INVALID' });
    const done = step(w, { type: 'withdraw', reason: '居民电话告知已由家人解决' }, organiser);
    expect(done.wish).toMatchObject({ status: 'withdrawn', reason: '居民电话告知已由家人解决' });
    expect(done.entry).toMatchObject({ actorRole: 'organiser', note: '社区撤回了心愿：居民电话告知已由家人解决' });
    expect(viewWish(done.wish, resident, NOW).timeline.at(-1)?.note).toContain('居民电话告知已由家人解决');
    expect(noticesFor(w, done.wish, done.entry)).toEqual([
      expect.objectContaining({
        to: { openid: resident.id },
        kind: 'withdrawn',
        body: expect.stringContaining('居民电话告知已由家人解决'),
      }),
    ]);
    // The resident withdraws her own wish without a reason and is not told about it.
    const own = step(w, { type: 'withdraw' }, resident);
    expect(noticesFor(w, own.wish, own.entry)).toEqual([]);
  });
});

import { collect, type Actor, type Status, type Wish } from '../../src/core';

export const NOW = new Date('2026-11-23T02:00:00.000Z'); // 2026-11-23 10:00 in China
export const resident: Actor = { id: 'r1', role: 'resident', orgId: 'org-a' };
export const member: Actor = { id: 'm1', role: 'member', orgId: 'org-a' };
export const member2: Actor = { id: 'm2', role: 'member', orgId: 'org-a' };
export const organiser: Actor = { id: 'o1', role: 'organiser', orgId: 'org-a' };
export const outsiderMember: Actor = { id: 'mx', role: 'member', orgId: 'org-b' };
export const outsiderOrganiser: Actor = { id: 'ox', role: 'organiser', orgId: 'org-b' };

export const input = {
  title: '想请人陪我聊聊天',
  content: '老伴走了，一个人在家，希望每周有人来坐坐',
  contactName: '王秀英',
  contactPhone: '13800001111',
  address: '幸福里小区 3 栋 201',
};

/** A wish in `status`, as the lifecycle would have left it, on the given track. */
export function wishIn(status: Status, track: 'individual' | 'common' = 'individual'): Wish {
  const made = collect('w1', input, resident, NOW);
  if (!made.ok) throw new Error('fixture');
  const w: Wish = { ...made.wish, status };
  if (status !== 'collected') w.track = status === 'deferred' ? 'deferred' : track;
  if (['registered', 'published', 'claimed', 'fulfilled', 'reviewed', 'closed'].includes(status)) {
    w.category = '精神慰藉';
    // An organiser confirms the public summary at registration (collect stores none: issue 7).
    if (track === 'individual') w.summary = '独居老人希望有人陪伴聊天';
  }
  if (['claimed', 'fulfilled', 'reviewed', 'closed'].includes(status)) {
    w.claim =
      track === 'individual'
        ? { kind: 'member', memberId: member.id, assignee: null, promisedBy: '2026-11-30', at: NOW.toISOString() }
        : { kind: 'org', memberId: null, assignee: '幸福里社区居委会', promisedBy: '2026-11-30', at: NOW.toISOString() };
  }
  if (['fulfilled', 'reviewed', 'closed'].includes(status)) w.fulfilment = { note: '上门陪聊一小时', photos: [], at: NOW.toISOString() };
  if (['reviewed', 'closed'].includes(status))
    w.feedback = { satisfaction: 'satisfied', comment: '', at: NOW.toISOString(), callback: false };
  return w;
}

/** A seeded generator, so a failure can be replayed (mulberry32; the property tests print the seed or case). */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

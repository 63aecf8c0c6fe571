// 导出我的数据 myData: everything the system holds about the caller (PIPL art. 45): their user record,
// consent, the wishes they posted (as they see them) and the wishes they claimed (as they see them).
import { EmptyEvent, consentState, viewWish, type Wish } from '../../src/core';
import { db } from '../../server/cloud';
import { defineFunction } from '../../server/runner';
import { WISHES } from '../../server/store';

export const main = defineFunction('myData', EmptyEvent, async (_event, { actor, user, org, now }) => {
  const col = db().collection(WISHES);
  const posted = (await col.where({ residentId: actor.id }).orderBy('createdAt', 'desc').limit(1000).get()).data as Wish[];
  const claimed = (await col.where({ 'claim.memberId': actor.id }).orderBy('createdAt', 'desc').limit(1000).get()).data as Wish[];
  return {
    exportedAt: now.toISOString(),
    user: {
      id: actor.id,
      role: actor.role,
      name: user?.name ?? '',
      orgId: actor.orgId,
      orgName: org?.name ?? '',
      // Not who invited them (an organiser's openid: no actor id to anyone but organisers) nor the used code.
      pending: user?.pending ? { orgId: user.pending.orgId, name: user.pending.name, at: user.pending.at } : null,
    },
    consent: { ...consentState(user?.consent), record: user?.consent ?? null },
    posted: posted.map((w) => viewWish(w, actor, now)),
    claimed: claimed.map((w) => viewWish(w, actor, now)),
  };
});

// 导出我的数据 myData: everything the system holds about the caller (PIPL art. 45): their user record,
// consent, the wishes they posted (as they see them) and the wishes they claimed (as they see them).
import { EmptyEvent, consentState, viewWish } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { ownWishes } from '../../server/store';

export const main = defineFunction('myData', EmptyEvent, async (_event, { actor, user, org, now }) => {
  const posted = await ownWishes({ residentId: actor.id });
  const claimed = await ownWishes({ 'claim.memberId': actor.id });
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

// 确认党员 confirmMember: an organiser whose scope covers the organisation a pending member joined confirms
// them as a party member of it (name and branch from the invitation), or refuses (`approve: false`).
import { ConfirmMemberEvent, fail, inScope, auditEffect } from '../../src/core';
import { defineOrganiserFunction } from '../../server/runner';
import { updateUserIf, userById } from '../../server/store';
import { IN_USER, dispatch } from '../../server/effects';

export const main = defineOrganiserFunction(
  'confirmMember',
  ConfirmMemberEvent,
  '只有党组织工作人员可以确认党员',
  async (event, { actor, now }) => {
    const target = await userById(event.openid);
    if (!target?.pending) return fail('USER.NOT_FOUND', '没有找到待确认的党员');
    const pending = target.pending;
    if (!inScope(actor, pending.orgId)) return fail('AUTH.OUT_OF_SCOPE', '这位党员申请加入的不是您所在的组织');
    // A new member starts with an empty claim-limit list (server/claimSlots.ts): their first claim then costs what every
    // later one does, instead of first filling the list from a query of their claims. A list kept from an earlier
    // membership stays as it is.
    const fields = event.approve
      ? {
          role: 'member',
          orgId: pending.orgId,
          name: pending.name,
          pending: null,
          confirmedBy: actor.id,
          ...(target.openClaimIds ? {} : { openClaimIds: [] }),
        }
      : { pending: null };
    // The audit entry is stored with the decision (the user's pendingEffects) and delivered after: never lost to a crash.
    const audit = auditEffect(`${event.openid}-confirmMember-${pending.code}`, actor, {
      at: now.toISOString(),
      action: event.approve ? 'confirmMember' : 'refuseMember',
      target: { kind: 'user', id: event.openid },
      orgId: pending.orgId,
      before: { role: target.role, orgId: target.orgId, pending },
      after: event.approve ? { role: 'member', orgId: pending.orgId, name: pending.name } : { role: target.role, orgId: target.orgId },
    });
    const updated = await updateUserIf({ _id: event.openid, 'pending.code': pending.code, role: 'resident' }, fields, audit);
    if (!updated) return fail('USER.NOT_FOUND', '这条申请已经处理过了');
    await dispatch(event.openid, [audit], IN_USER);
    return {
      openid: event.openid,
      role: event.approve ? 'member' : target.role,
      orgId: event.approve ? pending.orgId : target.orgId,
      name: pending.name,
    };
  },
  { write: true },
);

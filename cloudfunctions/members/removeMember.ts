// 移出党员 removeMember: an organiser whose scope covers a party member's organisation removes a member who
// has left. The member becomes a resident without a community (they may join one again); each wish they hold
// goes back to the claim board through the ordinary reassign transition (timeline entry, audit entry, and the
// claimReleased notice to the member), with a neutral note — the organiser's reason stays in the audit log.
// The role change and its audit entry are one conditional update (the entry waits in the user's `pendingEffects`),
// then delivered (server/effects.ts); a crash in between leaves it for a retry or the daily purge.
import { RemoveMemberEvent, auditRecord, fail, inScope, isFailure, type Effect } from '../../src/core';
import { IN_USER, dispatch } from '../../server/effects';
import { defineOrganiserFunction, runStage } from '../../server/runner';
import { openMemberClaimIds, updateUserIf, userById } from '../../server/store';

/** What the resident and the board read on the timeline: not why the member left. */
const RELEASE_NOTE = '认领的党员已不在本支部';

export const main = defineOrganiserFunction(
  'removeMember',
  RemoveMemberEvent,
  '只有党组织工作人员可以移出党员',
  async (event, caller) => {
    const { actor, now } = caller;
    const target = await userById(event.openid);
    // A removal already stored whose audit entry was not delivered (the call was interrupted): delivered now.
    if (target?.pendingEffects?.length) await dispatch(target._id, target.pendingEffects, IN_USER);
    if (!target || target.role !== 'member' || !target.orgId) return fail('USER.NOT_FOUND', '没有找到这位党员');
    if (!inScope(actor, target.orgId)) return fail('AUTH.OUT_OF_SCOPE', '这位党员不在您所在的组织');
    const at = now.toISOString();
    const audit: Effect = {
      id: `${event.openid}-removeMember-${event.requestId ?? at}`,
      kind: 'audit',
      audit: auditRecord(actor, {
        at,
        action: 'removeMember',
        target: { kind: 'user', id: event.openid },
        orgId: target.orgId,
        before: { role: 'member', orgId: target.orgId, name: target.name },
        after: { role: 'resident', orgId: null, name: target.name, reason: event.reason },
      }),
    };
    // First the role (so no new claim can start), conditional on the member still being where we found them.
    const updated = await updateUserIf(
      { _id: event.openid, role: 'member', orgId: target.orgId },
      { role: 'resident', orgId: null },
      audit,
    );
    if (!updated) return fail('USER.NOT_FOUND', '这位党员已经被移出了');
    await dispatch(event.openid, [audit], IN_USER);
    // Their open claims (at most the per-member limit) go back to the board.
    const open = await openMemberClaimIds(event.openid);
    const released: string[] = [];
    const kept: Array<{ wishId: string; message: string }> = [];
    for (const _id of open) {
      const done = await runStage('removeMember', { reason: RELEASE_NOTE }, _id, { type: 'reassign', reason: RELEASE_NOTE }, caller);
      if (isFailure(done)) kept.push({ wishId: _id, message: done.message });
      else released.push(_id);
    }
    return { openid: event.openid, name: target.name, role: 'resident', released, kept };
  },
  { write: true },
);

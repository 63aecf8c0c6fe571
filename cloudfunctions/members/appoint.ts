// 任命 appoint: an organiser of a parent organisation appoints someone (by openid) as an organiser of an
// organisation strictly below their own. The first administrator is created server-side (scripts/admin.ts).
import { AppointEvent, fail, inScope, mayAppoint, auditEffect } from '../../src/core';
import { defineOrganiserFunction } from '../../server/runner';
import { appointOrganiser, getOrg, userById } from '../../server/store';
import { IN_USER, dispatch } from '../../server/effects';

export const main = defineOrganiserFunction(
  'appoint',
  AppointEvent,
  '只有上级组织的工作人员可以任命',
  async (event, { actor, now }) => {
    const org = await getOrg(event.orgId);
    if (!org) return fail('ORG.NOT_FOUND');
    const refused = mayAppoint(actor, org);
    if (refused) return refused;
    if (event.openid === actor.id) return fail('AUTH.FORBIDDEN', '不能任命自己');
    const before = await userById(event.openid);
    // Someone already working for an organisation outside this organiser's subtree stays where they are.
    if (before && before.role !== 'resident' && before.orgId && !inScope(actor, before.orgId))
      return fail('AUTH.OUT_OF_SCOPE', '此人属于其他组织');
    // The audit entry is stored with the role (the user's pendingEffects) and delivered after: never lost to a crash.
    const at = now.toISOString();
    const audit = auditEffect(`${event.openid}-appoint-${at}`, actor, {
      at,
      action: 'appoint',
      target: { kind: 'user', id: event.openid },
      orgId: org._id,
      before: before ? { role: before.role, orgId: before.orgId, name: before.name } : null,
      after: { role: 'organiser', orgId: org._id, name: event.name },
    });
    const fields = { role: 'organiser', orgId: org._id, name: event.name, appointedBy: actor.id, pending: null };
    await appointOrganiser(event.openid, !!before, fields, audit);
    await dispatch(event.openid, [audit], IN_USER);
    return { openid: event.openid, role: 'organiser', orgId: org._id, orgName: org.name, name: event.name };
  },
  { write: true },
);

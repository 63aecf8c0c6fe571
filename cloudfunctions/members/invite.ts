// 邀请码 invite: an organiser creates an 8-character invitation code (valid 7 days) for party members of
// their organisation or one below it.
import { randomInt } from 'node:crypto';
import { InviteEvent, auditEffect, fail, inScope } from '../../src/core';
import { defineOrganiserFunction } from '../../server/runner';
import { INVITES, addInvite, getOrg } from '../../server/store';
import { dispatch } from '../../server/effects';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export const main = defineOrganiserFunction(
  'invite',
  InviteEvent,
  '只有社区或党组织工作人员可以生成邀请码',
  async (event, { actor, org: own, now }) => {
    const orgId = event.orgId ?? actor.orgId;
    if (!inScope(actor, orgId)) return fail('AUTH.OUT_OF_SCOPE', '只能为本组织及下级组织生成邀请码');
    const org = own?._id === orgId ? own : await getOrg(orgId);
    if (!org) return fail('ORG.NOT_FOUND');
    const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    const invite = {
      _id: code,
      orgId,
      invitedBy: actor.id,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
    };
    // The audit entry is stored in the invitation itself and delivered after it (server/effects.ts dispatch).
    const audit = auditEffect(`${code}-invite`, actor, {
      at: invite.createdAt,
      action: 'invite',
      target: { kind: 'invite', id: code },
      orgId,
      before: null,
      after: { orgId, expiresAt: invite.expiresAt },
    });
    await addInvite({ ...invite, pendingEffects: [audit] });
    await dispatch(code, [audit], { collection: INVITES, field: 'pendingEffects' });
    return { code, orgId, orgName: org.name, expiresAt: invite.expiresAt };
  },
  { write: true },
);

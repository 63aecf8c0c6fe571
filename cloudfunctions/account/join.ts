// 加入组织 join: a resident joins a community (no approval: `{ orgId }`); a party member joins with the
// invitation code an organiser of their branch gave them and their name (`{ code, name }`); the member is
// pending until that organiser confirms them (confirmMember). Roles never come from the event.
import { JoinEvent, fail } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { getOrg, inviteByCode, upsertOwnFields } from '../../server/store';
import { rateSeed } from '../../server/trust';

export const main = defineFunction(
  'join',
  JoinEvent,
  async (event, { actor, user, now }) => {
    if (actor.role !== 'resident') return fail('AUTH.FORBIDDEN', '您已经是党员或社区工作人员，不需要再加入');
    const upsert = async (fields: Record<string, unknown>) =>
      upsertOwnFields(actor.id, !!user, fields, await rateSeed(actor.id, user, now));
    if ('code' in event) {
      const invite = await inviteByCode(event.code);
      if (!invite || invite.expiresAt <= now.toISOString()) return fail('INVITE.INVALID');
      const pending = { orgId: invite.orgId, name: event.name, code: event.code, invitedBy: invite.invitedBy, at: now.toISOString() };
      await upsert({ pending });
      const org = await getOrg(invite.orgId);
      return { status: 'pending', orgId: invite.orgId, orgName: org?.name ?? '', name: event.name };
    }
    const org = await getOrg(event.orgId);
    if (!org || !['community', 'grid'].includes(org.level)) return fail('ORG.NOT_FOUND', '请选择您所在的社区');
    await upsert({ orgId: org._id });
    return { status: 'joined', orgId: org._id, orgName: org.name };
  },
  { write: true },
);

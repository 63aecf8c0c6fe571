// 加入组织 join: a resident joins a community (no approval: `{ orgId }`); a party member joins with the
// invitation code an organiser of their branch gave them and their name (`{ code, name }`); the member is
// pending until that organiser confirms them (confirmMember). Roles never come from the event.
import { JoinEvent, fail } from '../../src/core';
import { db } from '../../server/cloud';
import { defineFunction } from '../../server/runner';
import { getOrg, USERS } from '../../server/store';
import { INVITES } from '../../server/trust';

export const main = defineFunction(
  'join',
  JoinEvent,
  async (event, { actor, user, now }) => {
    if (actor.role !== 'resident') return fail('AUTH.FORBIDDEN', '您已经是党员或社区工作人员，不需要再加入');
    const users = db().collection(USERS);
    // Plain values; objects are replaced whole on update (a plain object would be merged field by field).
    const upsert = async (fields: Record<string, unknown>) => {
      const _ = db().command;
      const patch = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v !== null && typeof v === 'object' ? _.set(v) : v]));
      if (user) return users.doc(actor.id).update(patch);
      try {
        await users.add({ _id: actor.id, role: 'resident', orgId: null, name: '', ...fields });
      } catch (e) {
        if ((e as { code?: string }).code !== 'DATABASE_DUPLICATE_WRITE') throw e;
        await users.doc(actor.id).update(patch);
      }
    };
    if ('code' in event) {
      const r = await db().collection(INVITES).doc(event.code).get();
      const invite = r.data[0] as { orgId: string; invitedBy: string; expiresAt: string } | undefined;
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

// 提醒党员 nudge: an organiser reminds a party member of their subtree who has no claim closed this year (China time).
// Once per member and year: the `nudges` document `<year>|<openid>` is inserted first, and only the call that stored
// it sends the notice (in-app, and WeChat's subscribe message on CloudBase) and writes the audit entry; a second nudge
// answers `already: true` and sends nothing. A member nudged who still has nothing is named in the next bulletin
// (cloudfunctions/bulletin): nudge before naming.
import { NudgeEvent, auditEffect, chinaDate, fail, inScope, memberCounterId, MEMBER_CLOSED, quotaSettings } from '../../src/core';
import { dispatch } from '../../server/effects';
import { rhythmNotice, sendOnce } from '../../server/rhythm';
import { defineOrganiserFunction } from '../../server/runner';
import { NUDGES, addNudge, figuresOf, getOrg, nudgeById, userById } from '../../server/store';
import { orgPathOf } from '../../server/trust';

export const main = defineOrganiserFunction(
  'nudge',
  NudgeEvent,
  '只有党组织工作人员可以提醒党员',
  async (event, { actor, now }) => {
    const year = chinaDate(now).slice(0, 4);
    const [member, counter] = await Promise.all([userById(event.openid), figuresOf(memberCounterId(event.openid, year))]);
    // One answer whatever the reason (unknown openid, not a member, another community's member): a nudge must not
    // tell an organiser whether an openid belongs to someone outside their subtree.
    if (!member || member.role !== 'member' || !member.orgId || !inScope(actor, member.orgId)) return fail('MEMBER.NOT_FOUND');
    const done = (counter ?? {})[MEMBER_CLOSED] ?? 0;
    const org = await getOrg(member.orgId);
    const target = quotaSettings(org).member;
    if (done >= target) return fail('QUOTA.ALREADY_MET');
    const at = now.toISOString();
    const _id = `${year}|${member._id}`;
    // The audit entry is stored in the nudge document (one insert) and delivered after it: never lost to a crash.
    const audit = auditEffect(`${_id}-nudge`, actor, {
      at,
      action: 'nudge',
      target: { kind: 'user', id: member._id },
      orgId: member.orgId,
      before: null,
      after: { year, done, target },
    });
    const inNudge = { collection: NUDGES, field: 'pendingEffects' };
    const orgPath = await orgPathOf(member.orgId);
    if (!(await addNudge({ _id, memberId: member._id, orgId: member.orgId, orgPath, year, at, by: actor.id, pendingEffects: [audit] }))) {
      const first = await nudgeById(_id);
      // A nudge stored by an interrupted call: its audit entry goes now.
      if (first?.pendingEffects?.length) await dispatch(_id, first.pendingEffects, inNudge);
      return { openid: member._id, year, nudged: false, already: true, at: first?.at ?? null };
    }
    const notice = rhythmNotice(
      'nudge',
      `${member.orgId}|${year}`,
      member._id,
      {
        title: '今年还没有办结的微心愿',
        body: `${year}年每位党员至少领办${target}个微心愿，您还没有办结的。去认领墙看看吧`,
        link: '/member/board/index',
      },
      at,
    );
    await Promise.all([sendOnce([notice]), dispatch(_id, [audit], inNudge)]);
    return { openid: member._id, year, nudged: true, already: false, at };
  },
  { write: true },
);

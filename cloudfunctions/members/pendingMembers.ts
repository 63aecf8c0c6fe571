// 待确认党员 pendingMembers: people who joined with an invitation code to an organisation in the organiser's
// scope and wait for confirmation (confirmMember), oldest request first. Their own openid is shown so the
// organiser can confirm them; no other personal data is kept on a pending request.
import { PendingMembersEvent, fail, scopeIds } from '../../src/core';
import { defineOrganiserFunction } from '../../server/runner';
import { anyOf, orgNames, userPage } from '../../server/store';

export const main = defineOrganiserFunction(
  'pendingMembers',
  PendingMembersEvent,
  '只有党组织工作人员可以确认党员',
  async (event, { actor }) => {
    const filter = { role: 'resident', 'pending.orgId': anyOf(scopeIds(actor)) };
    const page = await userPage(filter, { sortBy: 'pending.at', order: 'asc', cursor: event.cursor, limit: event.limit });
    if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
    const nameOf = await orgNames(page.items.map((u) => u.pending!.orgId));
    return {
      items: page.items.map((u) => ({
        openid: u._id,
        name: u.pending!.name,
        orgId: u.pending!.orgId,
        orgName: nameOf.get(u.pending!.orgId) ?? '',
        at: u.pending!.at,
      })),
      cursor: page.cursor,
    };
  },
);

// 支部党员 branchMembers: the current party members of the organiser's organisation and its subtree, by name,
// 20 a page by cursor, each with the organisation they belong to and how many claims they have open. Per page:
// one indexed query on users (role, orgId), then in one round the organisations (names and quotas, from the cache), one
// aggregate for the open claims, and (quotas, issue 9) the members' yearly counters and this year's nudges read by _id.
import { BranchMembersEvent, MEMBER_CLOSED, chinaDate, fail, memberCounterId, progress, quotaSettings, scopeIds } from '../../src/core';
import { defineOrganiserFunction } from '../../server/runner';
import { anyOf, figuresByIds, getOrg, nudgesByIds, openClaimCounts, userPage } from '../../server/store';

export const main = defineOrganiserFunction(
  'branchMembers',
  BranchMembersEvent,
  '只有党组织工作人员可以查看党员名单',
  async (event, { actor, now }) => {
    const filter = { role: 'member', orgId: anyOf(scopeIds(actor)) };
    const page = await userPage(filter, {
      sortBy: 'name',
      order: 'asc',
      cursor: event.cursor,
      limit: event.limit,
      fields: ['_id', 'name', 'orgId', 'role'],
    });
    if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
    const ids = page.items.map((u) => u._id);
    const year = chinaDate(now).slice(0, 4);
    const orgIds = [...new Set(page.items.map((u) => u.orgId).filter((x): x is string => !!x))];
    const [counters, nudges, orgs, openOf] = await Promise.all([
      figuresByIds(ids.map((id) => memberCounterId(id, year))),
      nudgesByIds(ids.map((id) => `${year}|${id}`)),
      Promise.all(orgIds.map(getOrg)),
      openClaimCounts(ids),
    ]);
    const doneOf = new Map(counters.map((d) => [d._id, d.f?.[MEMBER_CLOSED] ?? 0]));
    const nudgedOf = new Map(nudges.map((d) => [d._id, d.at ?? null]));
    const targetOf = new Map(orgIds.map((id, i) => [id, quotaSettings(orgs[i]).member]));
    const nameOf = new Map(orgIds.map((id, i) => [id, orgs[i]?.name ?? '']));
    return {
      items: page.items.map((u) => ({
        openid: u._id,
        name: u.name,
        orgId: u.orgId,
        orgName: (u.orgId && nameOf.get(u.orgId)) || '',
        openClaims: openOf.get(u._id) ?? 0,
        // 今年: closures of their claims this year against the member quota; when they were nudged this year.
        year: progress(doneOf.get(memberCounterId(u._id, year)) ?? 0, (u.orgId && targetOf.get(u.orgId)) || 1),
        nudgedAt: nudgedOf.get(`${year}|${u._id}`) ?? null,
      })),
      cursor: page.cursor,
    };
  },
);

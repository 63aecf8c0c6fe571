// 认领墙 board: published wishes of the caller's boards (a member's organisation, and its parent where
// configured; an organiser's subtree), urgent first then newest, cursor-paginated on the publish-time sort
// key (never a skip). Filters: category, orgId (one organisation in the caller's scope). Public fields only:
// the resident's name leaves the server masked (surname + 某), with the community's name; no phone, no address.
import { BOARD_QUERY_FIELDS, BoardEvent, boardItem, fail, type BoardItem, scopeIds } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { anyOf, listWishes, orgNames } from '../../server/store';

export const main = defineFunction('board', BoardEvent, async (event, { actor }) => {
  if (actor.role === 'resident' || !actor.orgId) return fail('AUTH.FORBIDDEN', '认领墙只对党员和社区工作人员开放');
  const scope = scopeIds(actor);
  if (event.orgId && !scope.includes(event.orgId)) return fail('AUTH.OUT_OF_SCOPE', '只能查看本组织的认领墙');
  const orgs = event.orgId ? [event.orgId] : scope;
  const filter = {
    orgId: anyOf(orgs),
    status: 'published',
    ...(event.category ? { category: event.category } : {}),
  };
  const page = await listWishes(filter, { sortBy: 'boardRank', cursor: event.cursor, limit: event.limit, fields: BOARD_QUERY_FIELDS });
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置：格式不对');
  const nameOf = await orgNames(page.items.map((w) => w.orgId));
  const items: BoardItem[] = page.items.map((w) => ({ ...boardItem(w), urgent: w.urgent === true, orgName: nameOf.get(w.orgId) ?? '' }));
  return { items, cursor: page.cursor };
});

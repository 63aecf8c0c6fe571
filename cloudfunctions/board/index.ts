// 认领墙 board: published wishes of the caller's organisation, urgent first then newest, public fields only,
// cursor-paginated on the publish-time sort key (never a skip). Filters: category, orgId (the caller's own for now).
import { BOARD_FIELDS, BoardEvent, boardItem, fail, type BoardItem } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { listWishes } from '../../server/store';

export const main = defineFunction('board', BoardEvent, async (event, { actor, org }) => {
  if (actor.role === 'resident' || !actor.orgId) return fail('AUTH.FORBIDDEN', '认领墙只对党员和社区工作人员开放');
  if (event.orgId && event.orgId !== actor.orgId) return fail('AUTH.OUT_OF_SCOPE', '只能查看本社区的认领墙');
  const filter = { orgId: actor.orgId, status: 'published', ...(event.category ? { category: event.category } : {}) };
  const page = await listWishes(filter, { sortBy: 'boardRank', cursor: event.cursor, limit: event.limit, fields: BOARD_FIELDS });
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置:格式不对');
  const items: BoardItem[] = page.items.map((w) => ({ ...boardItem(w), urgent: w.urgent === true, orgName: org?.name ?? '' }));
  return { items, cursor: page.cursor };
});

// 认领墙 board: published wishes of the caller's organisation, newest first, public fields only, cursor-paginated.
import { BOARD_FIELDS, BoardEvent, fail, type BoardItem } from '../../src/core';
import { defineFunction } from '../../server/runner';
import { listWishes } from '../../server/store';

export const main = defineFunction('board', BoardEvent, async (event, { actor }) => {
  if (actor.role === 'resident' || !actor.orgId) return fail('AUTH.FORBIDDEN', '认领墙只对党员和社区工作人员开放');
  const filter = { orgId: actor.orgId, status: 'published', ...(event.category ? { category: event.category } : {}) };
  const page = await listWishes(filter, { sortBy: 'publishedAt', cursor: event.cursor, limit: event.limit, fields: BOARD_FIELDS });
  if (page === 'bad-cursor') return fail('INPUT.INVALID', '翻页位置:格式不对');
  return { items: page.items as unknown as BoardItem[], cursor: page.cursor };
});

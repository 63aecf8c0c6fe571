/**
 * The lists behind the workbench's stock tiles (issue 9: each figure "a tap away from the list it counts"). Each view
 * lists exactly the wishes the stock figure of the same name counts on China-time day `today` (stockOf and
 * stockFigures in figures.ts, docs/figures.md), as a filter on the wish fields that say so and a sort that walks a
 * declared index (database/collections.json: orgId, status, then the sort field), so a page is an index walk with a
 * limit, never a scan:
 *   overdue        已逾期        claimed, promised before today                    soonest promised first (most overdue)
 *   dueSoon        3天内到期     claimed, promised today … today + 3                soonest promised first
 *   onTrack        按期办理中    claimed, promised after today + 3                  soonest promised first
 *   open           办理中（合计） claimed, fulfilled or reviewed                      soonest promised first
 *   staleCollected 待登记超过3天 collected, entered before the day today − 3 began  longest waiting first
 *   stalePublished 待认领超过7天 published, entered before the day today − 7 began  longest waiting first
 *   extension      延期申请      claimed with a pending extension request          latest change first
 *   held           待内容审核    collected and held by the content check           longest waiting first
 * "Entered" is `statusAt` (wish.ts: the instant the wish entered its current status, stamped by every transition
 * that changes it): a claim released back to the board (release, reassign) or a deferral revived waits again from
 * then, as the figure's `since:` day does. Pure: imports nothing from storage.
 */
import { addDays } from './dates';
import { DUE_SOON_DAYS, STALE_COLLECTED_DAYS, STALE_PUBLISHED_DAYS, type StockFigures } from './figures';
import { periodRange } from './periodLists';
import type { Status } from './wish';

export const STOCK_VIEWS = ['overdue', 'dueSoon', 'onTrack', 'open', 'staleCollected', 'stalePublished', 'extension', 'held'] as const;
export type StockView = (typeof STOCK_VIEWS)[number];

export interface StockList {
  /** The statuses listed (one: an equality; several: `$in`). */
  statuses: readonly Status[];
  /** Further equalities (fields not in the sort). */
  equals?: Record<string, string>;
  /** A range on the sort field (bounds as stored: a YYYY-MM-DD day or a UTC ISO instant). */
  range?: { lt?: string; gt?: string; gte?: string; lte?: string };
  sortBy: 'claim.promisedBy' | 'statusAt' | 'updatedAt' | 'createdAt';
  order: 'asc' | 'desc';
}

/** The UTC instant the China-time day `today − days` began: a wish that entered its status before it has waited more
 * than `days` days (stockFigures: its `since:` day is before today − days). */
export const staleBefore = (today: string, days: number) => periodRange(addDays(today, -days)).from;

/** What view `view` lists on China-time day `today`. */
export function stockList(view: StockView, today: string): StockList {
  const soon = addDays(today, DUE_SOON_DAYS);
  const byPromise = { sortBy: 'claim.promisedBy', order: 'asc' } as const;
  switch (view) {
    case 'overdue':
      return { statuses: ['claimed'], range: { lt: today }, ...byPromise };
    case 'dueSoon':
      return { statuses: ['claimed'], range: { gte: today, lte: soon }, ...byPromise };
    case 'onTrack':
      return { statuses: ['claimed'], range: { gt: soon }, ...byPromise };
    case 'open':
      return { statuses: ['claimed', 'fulfilled', 'reviewed'], ...byPromise };
    case 'staleCollected':
      return { statuses: ['collected'], range: { lt: staleBefore(today, STALE_COLLECTED_DAYS) }, sortBy: 'statusAt', order: 'asc' };
    case 'stalePublished':
      return { statuses: ['published'], range: { lt: staleBefore(today, STALE_PUBLISHED_DAYS) }, sortBy: 'statusAt', order: 'asc' };
    case 'extension':
      return { statuses: ['claimed'], equals: { 'claim.extension.state': 'pending' }, sortBy: 'updatedAt', order: 'desc' };
    case 'held':
      // Held at collection (nothing else moves a held wish but reject and withdraw): waiting since createdAt.
      return { statuses: ['collected'], equals: { 'moderation.state': 'review' }, sortBy: 'createdAt', order: 'asc' };
  }
}

/** The stock figure each view lists (stockFigures of the subtree's `now` document). */
export function stockCount(view: StockView, s: StockFigures): number {
  return view === 'extension' ? s.extensionsPending : s[view];
}

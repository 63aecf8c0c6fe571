/**
 * The lists behind the workbench's flow tiles (issue 9): "本月销号 12" opens the 12 wishes closed this month, not every
 * closed wish. Each flow figure (docs/figures.md) is read from the wish field that records its step, over the
 * period's UTC range, on an index that leads with orgId (database/collections.json), so the list is an index walk:
 *   collected  → createdAt                         registered → registeredAt (set by register)
 *   published  → publishedAt                       claimed    → claim.at (member claim or assignment)
 *   fulfilled  → fulfilment.at                     closed     → closedAt (status closed)
 *   rejected / deferred / withdrawn → updatedAt with that status (the step that put it there is its last one)
 * The figures count steps (a wish released and claimed again counts twice), the list counts wishes whose latest such
 * step fell in the period; a wish whose step was undone since (a reopened close-out, a fulfilment sent back by
 * 不满意, a revived deferral) is not in the list. Pure: imports nothing but the dates.
 */
import type { Status } from './wish';
import { chinaPeriod } from './dates';

export const PERIOD_STEPS = [
  'collected',
  'registered',
  'published',
  'claimed',
  'fulfilled',
  'closed',
  'rejected',
  'deferred',
  'withdrawn',
] as const;
export type PeriodStep = (typeof PERIOD_STEPS)[number];

/** The field each step's list is read by, and the status it must also have (where the field alone does not say). */
export const PERIOD_FIELD: Record<PeriodStep, { field: string; status?: Status }> = {
  collected: { field: 'createdAt' },
  registered: { field: 'registeredAt' },
  published: { field: 'publishedAt' },
  claimed: { field: 'claim.at' },
  fulfilled: { field: 'fulfilment.at' },
  closed: { field: 'closedAt', status: 'closed' },
  rejected: { field: 'updatedAt', status: 'rejected' },
  deferred: { field: 'updatedAt', status: 'deferred' },
  withdrawn: { field: 'updatedAt', status: 'withdrawn' },
};

/** A China-time period: a day YYYY-MM-DD, a month YYYY-MM or a year YYYY. */
export const PERIOD_PATTERN = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/** The UTC instants [from, to) of a China-time period (dates.ts chinaPeriod). */
export function periodRange(period: string): { from: string; to: string } {
  return chinaPeriod(period);
}

/** How the ledger names a period's list: "2026年12月1日销号的心愿", "2026年12月收集的心愿", "2026年登记的心愿". */
export function periodLabel(period: string): string {
  const [y, m, d] = period.split('-');
  return d ? `${y}年${Number(m)}月${Number(d)}日` : m ? `${y}年${Number(m)}月` : `${y}年`;
}

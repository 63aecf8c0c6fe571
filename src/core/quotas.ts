/**
 * Yearly quotas (年度指标), defined once (issue 9, section 4; docs/figures.md "Quotas"):
 *  - a party member's year is met by at least `member` (default 1) closures of wishes they claimed: a closeOut
 *    entry in that China-time year whose claimer, at that moment, was the member (the actor of the last `claim`
 *    entry before it). A wish reopened and closed again counts again, as every flow does;
 *  - an organisation's year is met by at least `org` (default 3) practical things (实事): closeOut entries of wishes
 *    of the common or hard track (the track of the last registration before the closure), counted for the wish's
 *    organisation and every ancestor like every other figure (`practical` in the year's figures document).
 * Thresholds are per organisation (`quotas` on the organisation's document). Both are counted from the timeline
 * only, so the counters kept with each transition and a recount from the wishes agree by construction.
 * Pure: imports nothing from storage.
 */
import { chinaDate } from './dates';
import type { Wish } from './wish';

export const DEFAULT_MEMBER_QUOTA = 1;
export const DEFAULT_ORG_QUOTA = 3;
/** The year figure of practical things (closures of common / hard wishes). */
export const PRACTICAL = 'practical';
/** A member's yearly counter: one document per (member, year) in `figures`, `_id` `m:<openid>|<year>`. */
export const MEMBER_CLOSED = 'closed';

export interface QuotaSettings {
  member: number;
  org: number;
}

const positiveInt = (n: unknown, fallback: number) => (typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 1000 ? n : fallback);

/** An organisation's thresholds (its document's `quotas`, else the defaults 1 and 3). */
export function quotaSettings(org: { quotas?: Partial<QuotaSettings> | null } | null | undefined): QuotaSettings {
  return { member: positiveInt(org?.quotas?.member, DEFAULT_MEMBER_QUOTA), org: positiveInt(org?.quotas?.org, DEFAULT_ORG_QUOTA) };
}

/** The member who held the claim at timeline entry `i` (the actor of the last `claim` before it), or null when the
 * wish was assigned to an organisation or leader (an `assign` came later) or never claimed. */
export function claimerAt(w: Wish, i: number): string | null {
  for (let j = i - 1; j >= 0; j--) {
    const e = w.timeline[j]!;
    if (e.action === 'claim') return e.actorId;
    if (e.action === 'assign') return null;
  }
  return null;
}

/** The track decided at the last registration before entry `i` (the wish's own when the entry has none). */
function trackAt(w: Wish, i: number): string | null {
  for (let j = i - 1; j >= 0; j--) {
    const e = w.timeline[j]!;
    if (e.action === 'register') return e.track ?? w.track;
  }
  return w.track;
}

/** Entry `i` closes a practical thing: a closeOut of a common or hard wish. */
export function isPracticalClose(w: Wish, i: number): boolean {
  const t = w.timeline[i]!;
  if (t.action !== 'closeOut') return false;
  const track = trackAt(w, i);
  return track === 'common' || track === 'hard';
}

/** The id of a member's counter document for a year. */
export const memberCounterKey = (openid: string) => `m:${openid}`;
export const memberCounterId = (openid: string, year: string) => `${memberCounterKey(openid)}|${year}`;

/** The members' closures among entries `from`.. of `w`: who, and the China-time year. */
export function memberClosures(w: Wish, from = 0): Array<{ member: string; year: string }> {
  const out: Array<{ member: string; year: string }> = [];
  for (let i = from; i < w.timeline.length; i++) {
    if (w.timeline[i]!.action !== 'closeOut') continue;
    const member = claimerAt(w, i);
    if (member) out.push({ member, year: chinaDate(new Date(w.timeline[i]!.at)).slice(0, 4) });
  }
  return out;
}

/** A member counter delta: a figures.ts CounterDelta with `member` set (declared here so that figures.ts, which
 * counts practical things with this module, is not imported back). */
export interface MemberDelta {
  orgId: string;
  period: string;
  figure: string;
  delta: number;
  member: string;
}

/** The member counter deltas of a stored step prev → next: +1 `closed` for the claimer of each closure it added. */
export function memberCountersOf(prev: Wish | null, next: Wish): MemberDelta[] {
  return memberClosures(next, prev?.timeline.length ?? 0).map(({ member, year }) => ({
    orgId: next.orgId,
    period: year,
    figure: MEMBER_CLOSED,
    delta: 1,
    member,
  }));
}

export interface YearProgress {
  done: number;
  target: number;
  met: boolean;
}
export const progress = (done: number, target: number): YearProgress => ({ done, target, met: done >= target });

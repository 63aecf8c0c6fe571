/**
 * The supervision figures (督办数据), defined once. docs/figures.md explains each in words.
 *
 * Two kinds of figure, both counted per organisation for its whole subtree:
 *  - flows: what happened in a period (a China-time day 'YYYY-MM-DD', month 'YYYY-MM' or year 'YYYY'), read from
 *    the dates of the wishes' timeline entries: `collected`, `registered`, …, satisfaction answers, on-time
 *    fulfilments, per category / track / channel, and histograms of days per stage (medians come from these);
 *  - stock: where wishes stand now (period 'now'): per status, claimed wishes by promised date (overdue and due
 *    soon are sums over these for today), collected / published wishes by the day they entered that status (stale
 *    queues), pending extension requests, wishes held for moderation.
 *
 * `entryFigures` (one timeline entry) and `stockOf` (one wish as it stands) are the definitions. `countersOf`
 * turns a stored step prev → next into counter deltas (the new entries' flows, the change of stock) for the wish's
 * organisation; `counterUpdates` rolls deltas up to every ancestor and to day, month and year, as increments of
 * one counter document per (organisation, period). `recount` computes any document's figures from the wishes
 * themselves; a property test checks the maintained counters against it (tests/core/figures.test.ts).
 * Pure: imports nothing from storage.
 */
import { addDays, chinaDate } from './dates';
import { isPracticalClose, memberClosures, memberCounterKey, MEMBER_CLOSED, PRACTICAL } from './quotas';
import { statusSince, type Satisfaction, type Status, type TimelineAction, type Wish } from './wish';

/** One change of a figure: `figure` of organisation `orgId` (itself only: roll-up happens in counterUpdates) in
 * `period` — a China-time day for a flow, 'now' for stock — moves by `delta`. */
export interface CounterDelta {
  orgId: string;
  period: string;
  figure: string;
  delta: number;
  /** A member's yearly counter (src/core/quotas.ts): counted in that member's own document `m:<openid>|<year>`, not
   * rolled up to the organisations. */
  member?: string;
}

export const STOCK = 'now';
/** A claim is due soon when its promised date is today or within this many days. */
export const DUE_SOON_DAYS = 3;
/** Stale queues: collected and not registered after this many days; published and unclaimed after this many. */
export const STALE_COLLECTED_DAYS = 3;
export const STALE_PUBLISHED_DAYS = 7;
/** Day histograms stop here: a stage that took longer counts in this last bucket. */
export const MAX_DAYS = 366;

/** The status-count flows: one more for each timeline entry of these actions. */
export const FLOW_BY_ACTION: Partial<Record<TimelineAction, FlowStatus>> = {
  collect: 'collected',
  register: 'registered',
  publish: 'published',
  claim: 'claimed',
  assign: 'claimed',
  fulfil: 'fulfilled',
  feedback: 'feedback',
  closeOut: 'closed',
  reject: 'rejected',
  defer: 'deferred',
  withdraw: 'withdrawn',
};
export const FLOW_STATUSES = [
  'collected',
  'registered',
  'published',
  'claimed',
  'fulfilled',
  'feedback',
  'closed',
  'rejected',
  'deferred',
  'withdrawn',
] as const;
export type FlowStatus = (typeof FLOW_STATUSES)[number];

/** The stages whose durations are measured (days since the wish entered its previous status), by action. */
export const STAGE_BY_ACTION: Partial<Record<TimelineAction, Stage>> = {
  register: 'register',
  publish: 'publish',
  claim: 'claim',
  assign: 'claim',
  fulfil: 'fulfil',
  feedback: 'feedback',
  closeOut: 'closeOut',
};
export const STAGES = ['register', 'publish', 'claim', 'fulfil', 'feedback', 'closeOut', 'total'] as const;
export type Stage = (typeof STAGES)[number];

/** A figure name may hold any category an organisation configures: no dots or dollars in stored field names. */
export function figureKey(s: string): string {
  return s.replace(/\./g, '．').replace(/\$/g, '＄');
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.min(MAX_DAYS, Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS)));

/** Index of the entry at which the wish entered the status it had at entry `i` (its last status change up to i). */
function enteredAt(w: Wish, i: number): number {
  let j = i;
  while (j > 0 && w.timeline[j - 1]!.status === w.timeline[j]!.status) j--;
  return j;
}

/** The flow figures of timeline entry `i` of `w`, each +1 (counted in the China-time day of the entry). */
export function entryFigures(w: Wish, i: number): string[] {
  const e = w.timeline[i]!;
  const out: string[] = [];
  const flow = FLOW_BY_ACTION[e.action];
  if (flow) out.push(flow);
  if (e.action === 'collect') out.push(`channel:${w.channel}`);
  if (e.action === 'register') {
    const category = e.category ?? w.category;
    const track = e.track ?? w.track;
    if (category) out.push(figureKey(`category:${category}`));
    if (track) out.push(`track:${track}`);
  }
  if (e.action === 'fulfil') {
    const promised = e.promisedBy ?? w.claim?.promisedBy;
    if (promised) out.push(chinaDate(new Date(e.at)) <= promised ? 'onTime' : 'late');
  }
  if (e.action === 'feedback') {
    const s: Satisfaction | undefined = e.satisfaction ?? w.feedback?.satisfaction;
    if (s) {
      out.push(`satisfaction:${s}`);
      if (e.callback) out.push(`callback:${s}`);
    }
  }
  const stage = STAGE_BY_ACTION[e.action];
  if (stage && i > 0 && e.status !== w.timeline[i - 1]!.status) {
    out.push(`days:${stage}:${daysBetween(w.timeline[enteredAt(w, i - 1)]!.at, e.at)}`);
    if (e.action === 'closeOut') out.push(`days:total:${daysBetween(w.timeline[0]!.at, e.at)}`);
  }
  if (isPracticalClose(w, i)) out.push(PRACTICAL);
  return out;
}

/** Where a wish stands now, as stock figures (each +1). */
export function stockOf(w: Wish | null): string[] {
  if (!w || !w.timeline.length) return [];
  const out: string[] = [`status:${w.status}`];
  const since = () => chinaDate(new Date(statusSince(w)));
  if (w.status === 'claimed' && w.claim) {
    out.push(`due:${w.claim.promisedBy}`);
    if (w.claim.extension?.state === 'pending') out.push('extensionPending');
  }
  if (w.status === 'collected') {
    out.push(`since:collected:${since()}`);
    if (w.moderation?.state === 'review') out.push('held');
  }
  if (w.status === 'published') out.push(`since:published:${since()}`);
  return out;
}

/** The counter deltas of a stored step prev → next (prev null: the wish was just collected), for the wish's own
 * organisation: the flows of the entries the step added, in their China-time day, and the change of stock. */
export function countersOf(prev: Wish | null, next: Wish): CounterDelta[] {
  const out: CounterDelta[] = [];
  for (let i = prev?.timeline.length ?? 0; i < next.timeline.length; i++) {
    const day = chinaDate(new Date(next.timeline[i]!.at));
    for (const figure of entryFigures(next, i)) out.push({ orgId: next.orgId, period: day, figure, delta: 1 });
  }
  const moved = new Map<string, number>();
  for (const f of stockOf(prev)) moved.set(f, (moved.get(f) ?? 0) - 1);
  for (const f of stockOf(next)) moved.set(f, (moved.get(f) ?? 0) + 1);
  // A wish's organisation never changes; were it to, its stock would leave one organisation and enter the other.
  if (prev && prev.orgId !== next.orgId) {
    for (const f of stockOf(prev)) out.push({ orgId: prev.orgId, period: STOCK, figure: f, delta: -1 });
    for (const f of stockOf(next)) out.push({ orgId: next.orgId, period: STOCK, figure: f, delta: 1 });
    return out;
  }
  for (const [figure, delta] of moved) if (delta) out.push({ orgId: next.orgId, period: STOCK, figure, delta });
  return out;
}

/** The periods a delta counts in: a day also in its month and year; stock only 'now'. */
export function periodsOf(period: string): string[] {
  if (period === STOCK) return [STOCK];
  return [...new Set([period, period.slice(0, 7), period.slice(0, 4)])];
}

/** The id of the counter document of an organisation and period. */
export const counterId = (orgId: string, period: string) => `${orgId}|${period}`;

export interface CounterUpdate {
  _id: string;
  orgId: string;
  period: string;
  inc: Record<string, number>;
}

/** The increments `deltas` make, rolled up: each delta counts for the organisation and every ancestor (`pathOf`:
 * root first, ending with the organisation itself) and for its day, month and year. One update per document. */
export function counterUpdates(deltas: readonly CounterDelta[], pathOf: (orgId: string) => readonly string[]): CounterUpdate[] {
  const docs = new Map<string, CounterUpdate>();
  for (const d of deltas) {
    if (d.member) {
      const key = memberCounterKey(d.member);
      const year = d.period.slice(0, 4);
      const _id = counterId(key, year);
      const doc = docs.get(_id) ?? { _id, orgId: key, period: year, inc: {} };
      doc.inc[d.figure] = (doc.inc[d.figure] ?? 0) + d.delta;
      docs.set(_id, doc);
      continue;
    }
    for (const orgId of pathOf(d.orgId)) {
      for (const period of periodsOf(d.period)) {
        const _id = counterId(orgId, period);
        const doc = docs.get(_id) ?? { _id, orgId, period, inc: {} };
        doc.inc[d.figure] = (doc.inc[d.figure] ?? 0) + d.delta;
        docs.set(_id, doc);
      }
    }
  }
  for (const doc of docs.values()) for (const [k, n] of Object.entries(doc.inc)) if (n === 0) delete doc.inc[k];
  return [...docs.values()].filter((d) => Object.keys(d.inc).length);
}

/** Adds increments into figures (in place), the way the database's `inc` does. */
export function applyIncrements(into: Record<string, number>, inc: Record<string, number>): Record<string, number> {
  for (const [k, n] of Object.entries(inc)) into[k] = (into[k] ?? 0) + n;
  return into;
}

/** Figures without their zeros (a counter that went up and down again reads as absent). */
export function nonZero(f: Record<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(f ?? {}).filter(([, n]) => n !== 0));
}

/** The figures of organisation `orgId`'s subtree in `period` (a day, month, year or 'now'), counted from the wishes
 * themselves: what the counter document `counterId(orgId, period)` must hold. `pathOf` as in counterUpdates. */
export function recount(
  wishes: Iterable<Wish>,
  pathOf: (orgId: string) => readonly string[],
  orgId: string,
  period: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (f: string) => (out[f] = (out[f] ?? 0) + 1);
  for (const w of wishes) {
    if (orgId.startsWith('m:')) {
      for (const c of memberClosures(w)) if (memberCounterKey(c.member) === orgId && c.year === period) add(MEMBER_CLOSED);
      continue;
    }
    if (!pathOf(w.orgId).includes(orgId)) continue;
    if (period === STOCK) {
      stockOf(w).forEach(add);
      continue;
    }
    w.timeline.forEach((e, i) => {
      if (periodsOf(chinaDate(new Date(e.at))).includes(period)) entryFigures(w, i).forEach(add);
    });
  }
  return out;
}

/** Every counter document the wishes imply, recounted from the wishes in one pass (the reconcile job and the
 * property test compare the maintained documents with this). Zero figures are left out. */
export function recountAll(
  wishes: Iterable<Wish>,
  pathOf: (orgId: string) => readonly string[],
): Map<string, { orgId: string; period: string; f: Record<string, number> }> {
  const docs = new Map<string, { orgId: string; period: string; f: Record<string, number> }>();
  const add = (orgId: string, period: string, figure: string) => {
    const _id = counterId(orgId, period);
    const doc = docs.get(_id) ?? { orgId, period, f: {} };
    doc.f[figure] = (doc.f[figure] ?? 0) + 1;
    docs.set(_id, doc);
  };
  for (const w of wishes) {
    const path = pathOf(w.orgId);
    const stock = stockOf(w);
    const flows = w.timeline.map((e, i) => ({ periods: periodsOf(chinaDate(new Date(e.at))), figures: entryFigures(w, i) }));
    for (const orgId of path) {
      for (const f of stock) add(orgId, STOCK, f);
      for (const { periods, figures } of flows) for (const p of periods) for (const f of figures) add(orgId, p, f);
    }
    for (const c of memberClosures(w)) add(memberCounterKey(c.member), c.year, MEMBER_CLOSED);
  }
  return docs;
}

// ---------------------------------------------------------------------------
// Reading: what a counter document means.
// ---------------------------------------------------------------------------

export interface Rate {
  num: number;
  den: number;
  /** num / den, or null when there is nothing to divide by. */
  rate: number | null;
}
const rate = (num: number, den: number): Rate => ({ num, den, rate: den ? num / den : null });

export interface FlowFigures {
  counts: Record<FlowStatus, number>;
  /** Fulfilments on or before the promised date (China time), over all fulfilments. */
  onTime: Rate;
  /** (satisfied + basically) over all feedback given, call-backs included; `callback` the same for call-backs only. */
  satisfaction: Rate & { satisfied: number; basically: number; unsatisfied: number };
  callback: Rate & { satisfied: number; basically: number; unsatisfied: number };
  /** Median days per stage (null: no wish went through it in the period). */
  medianDays: Record<Stage, number | null>;
  byCategory: Record<string, number>;
  byTrack: Record<string, number>;
  byChannel: Record<string, number>;
  /** Practical things closed (实事: common / hard wishes; src/core/quotas.ts). */
  practical: number;
}

export interface StockFigures {
  byStatus: Record<Status, number>;
  /** claimed + fulfilled + reviewed */
  open: number;
  /** claimed and today (China time) after the promised date */
  overdue: number;
  /** claimed, promised date from today to today + DUE_SOON_DAYS */
  dueSoon: number;
  /** claimed, promised date after that */
  onTrack: number;
  /** collected and not registered after STALE_COLLECTED_DAYS; published and unclaimed after STALE_PUBLISHED_DAYS */
  staleCollected: number;
  stalePublished: number;
  extensionsPending: number;
  held: number;
}

const n = (f: Record<string, number>, k: string) => f[k] ?? 0;
const withPrefix = (f: Record<string, number>, prefix: string) =>
  Object.fromEntries(
    Object.entries(f)
      .filter(([k, v]) => k.startsWith(prefix) && v)
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );

/** The median of a day histogram ({days: count}), or null when it is empty (lower median for an even count). */
export function medianOf(hist: Record<string, number>): number | null {
  const rows = Object.entries(hist)
    .map(([k, v]) => [Number(k), v] as const)
    .filter(([, v]) => v > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = rows.reduce((s, [, v]) => s + v, 0);
  if (!total) return null;
  let seen = 0;
  for (const [k, v] of rows) {
    seen += v;
    if (seen * 2 >= total) return k;
  }
  return null;
}

/** What a flow counter document (day, month or year) says. */
export function flowFigures(f: Record<string, number> | undefined): FlowFigures {
  const x = f ?? {};
  const sat = (p: string) => {
    const [s, b, u] = [n(x, `${p}:satisfied`), n(x, `${p}:basically`), n(x, `${p}:unsatisfied`)];
    return { ...rate(s + b, s + b + u), satisfied: s, basically: b, unsatisfied: u };
  };
  return {
    counts: Object.fromEntries(FLOW_STATUSES.map((s) => [s, n(x, s)])) as Record<FlowStatus, number>,
    onTime: rate(n(x, 'onTime'), n(x, 'onTime') + n(x, 'late')),
    satisfaction: sat('satisfaction'),
    callback: sat('callback'),
    medianDays: Object.fromEntries(STAGES.map((s) => [s, medianOf(withPrefix(x, `days:${s}:`))])) as Record<Stage, number | null>,
    byCategory: withPrefix(x, 'category:'),
    byTrack: withPrefix(x, 'track:'),
    byChannel: withPrefix(x, 'channel:'),
    practical: n(x, PRACTICAL),
  };
}

/** What the stock document says on China-time day `today`. */
export function stockFigures(f: Record<string, number> | undefined, today: string): StockFigures {
  const x = f ?? {};
  const byStatus = withPrefix(x, 'status:') as Record<Status, number>;
  const soon = addDays(today, DUE_SOON_DAYS);
  let overdue = 0;
  let dueSoon = 0;
  let onTrack = 0;
  for (const [day, c] of Object.entries(withPrefix(x, 'due:'))) {
    if (day < today) overdue += c;
    else if (day <= soon) dueSoon += c;
    else onTrack += c;
  }
  const olderThan = (prefix: string, days: number) =>
    Object.entries(withPrefix(x, prefix)).reduce((s, [day, c]) => (day < addDays(today, -days) ? s + c : s), 0);
  return {
    byStatus,
    open: (byStatus.claimed ?? 0) + (byStatus.fulfilled ?? 0) + (byStatus.reviewed ?? 0),
    overdue,
    dueSoon,
    onTrack,
    staleCollected: olderThan('since:collected:', STALE_COLLECTED_DAYS),
    stalePublished: olderThan('since:published:', STALE_PUBLISHED_DAYS),
    extensionsPending: n(x, 'extensionPending'),
    held: n(x, 'held'),
  };
}

/** The China-time periods of `now`: today, this month, this year. */
export function periodsAt(now: Date): { day: string; month: string; year: string } {
  const day = chinaDate(now);
  return { day, month: day.slice(0, 7), year: day.slice(0, 4) };
}

/** The last `count` months up to `month` (YYYY-MM), oldest first. */
export function lastMonths(month: string, count: number): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const t = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** A unit's standing for the lagging-first order of a child-unit table: more overdue claims first, then more stale
 * queues, then a lower on-time rate this year, then fewer wishes closed this year. */
export function laggingOrder(
  a: { stock: StockFigures; year: FlowFigures; name: string },
  b: { stock: StockFigures; year: FlowFigures; name: string },
): number {
  return (
    b.stock.overdue - a.stock.overdue ||
    b.stock.staleCollected + b.stock.stalePublished - (a.stock.staleCollected + a.stock.stalePublished) ||
    (a.year.onTime.rate ?? 1) - (b.year.onTime.rate ?? 1) ||
    a.year.counts.closed - b.year.counts.closed ||
    a.name.localeCompare(b.name, 'zh-CN')
  );
}

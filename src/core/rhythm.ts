/**
 * The campaign's rhythm (issue 9, section 3), defined once: 一周一督促 (weekly reminders), 一旬一通报 (a bulletin on
 * the 1st, 11th and 21st, China time, naming lagging units) and 一月一调度 (a monthly report on an organisation's
 * report day, default the 25th). Which day fires, what a bulletin holds and says, and the periods that make every
 * run idempotent (one notice per kind | organisation | period | recipient). The timer functions
 * (cloudfunctions/weekly, bulletin, monthly) read the figures and store what this decides. Pure.
 */
import * as v from 'valibot';
import { addDays } from './dates';
import type { FlowFigures, StockFigures } from './figures';
import { progress, quotaSettings, type QuotaSettings, type YearProgress } from './quotas';

/** The days of the month a bulletin is issued (China time). */
export const BULLETIN_DAYS = [1, 11, 21] as const;
export const DEFAULT_REPORT_DAY = 25;
/** A unit whose on-time rate this year is below this is named in the bulletin (per organisation: `onTimeThreshold`). */
export const DEFAULT_ON_TIME_THRESHOLD = 0.8;
/** At most this many wishes are listed in one member's weekly reminder. */
export const REMINDER_LIST = 5;

export interface RhythmOrg {
  quotas?: Partial<QuotaSettings> | null;
  onTimeThreshold?: number | null;
  reportDay?: number | null;
}

export interface RhythmSettings {
  quotas: QuotaSettings;
  onTimeThreshold: number;
  reportDay: number;
}

/** An organisation's rhythm settings (its document's fields, else the defaults). */
export function rhythmSettings(org: RhythmOrg | null | undefined): RhythmSettings {
  const t = org?.onTimeThreshold;
  const d = org?.reportDay;
  return {
    quotas: quotaSettings(org),
    onTimeThreshold: typeof t === 'number' && t >= 0 && t <= 1 ? t : DEFAULT_ON_TIME_THRESHOLD,
    reportDay: typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 31 ? d : DEFAULT_REPORT_DAY,
  };
}

const dayOfMonth = (day: string) => Number(day.slice(8, 10));
const lastDayOfMonth = (month: string) => Number(addDays(`${nextMonth(month)}-01`, -1).slice(8, 10));

/** The month after `month` (YYYY-MM). */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
/** The month before `month` (YYYY-MM). */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Whether China-time day `day` (YYYY-MM-DD) is a bulletin day. */
export const isBulletinDay = (day: string) => (BULLETIN_DAYS as readonly number[]).includes(dayOfMonth(day));

/** Whether `day` is the monthly report day `reportDay` (a day past the month's end means its last day). */
export const isReportDay = (day: string, reportDay: number) => dayOfMonth(day) === Math.min(reportDay, lastDayOfMonth(day.slice(0, 7)));

/** The week a weekly reminder belongs to: the Monday (China time) of `day`'s week. */
export function weekOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** The ten days a bulletin issued on `day` reports on, in words: the 11th reports 上旬, the 21st 中旬, the 1st the
 * previous month's 下旬. */
export function bulletinTitle(day: string): string {
  const d = dayOfMonth(day);
  const month = d === 1 ? previousMonth(day.slice(0, 7)) : day.slice(0, 7);
  const part = d === 1 ? '下旬' : d === 11 ? '上旬' : '中旬';
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${y}年${m}月${part}通报`;
}
export const monthlyTitle = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${y}年${m}月调度报告`;
};

/** A member nudged this year who still has nothing (named in the next bulletin): a name and a unit, never an openid
 * (a report goes up and down the tree, to organisers who have no business with another unit's members' ids). */
export interface NamedMember {
  name: string;
  orgId: string;
  orgName: string;
}

/** A stored report as it is answered: each named member as name and unit only (a report stored before issue 19 may
 * still hold their openids; they are dropped on the way out). */
export function reportForReaders<B extends Pick<Bulletin, 'units'>>(b: B): B {
  return {
    ...b,
    units: (b.units ?? []).map((u) => ({
      ...u,
      stillNothing: (u.stillNothing ?? []).map((m) => ({ name: m.name, orgId: m.orgId, orgName: m.orgName })),
    })),
  };
}

/** One child unit's line in a bulletin or a monthly report. */
export interface ReportUnit {
  id: string;
  name: string;
  open: number;
  overdue: number;
  dueSoon: number;
  stale: number;
  month: {
    collected: number;
    claimed: number;
    fulfilled: number;
    closed: number;
    onTimeRate: number | null;
    satisfactionRate: number | null;
  };
  year: { closed: number; onTimeRate: number | null };
  quota: YearProgress;
  /** Members of the unit who were nudged this year and still have nothing (名单不含未提醒的党员: nudge before naming). */
  stillNothing: NamedMember[];
  /** Why the unit is named (empty: not lagging). */
  reasons: string[];
  /** monthly: the month's counts minus last month's. */
  change?: { collected: number; claimed: number; fulfilled: number; closed: number };
}

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);

/** Why a unit lags: overdue claims, an on-time rate this year below the threshold, a quota gap, members nudged who
 * still have nothing. */
export function laggingReasons(u: Omit<ReportUnit, 'reasons'>, threshold: number): string[] {
  const out: string[] = [];
  if (u.overdue > 0) out.push(`超期未办${u.overdue}件`);
  if (u.year.onTimeRate !== null && u.year.onTimeRate < threshold) out.push(`按时办结率${pct(u.year.onTimeRate)}，低于${pct(threshold)}`);
  if (!u.quota.met) out.push(`年度实事${u.quota.done}/${u.quota.target}件`);
  if (u.stillNothing.length) out.push(`${u.stillNothing.map((m) => m.name).join('、')}经提醒仍未领办心愿`);
  return out;
}

/** A child unit's line from its figures (stock now, the month's and the year's flows). */
export function reportUnit(
  unit: { id: string; name: string },
  f: { stock: StockFigures; month: FlowFigures; year: FlowFigures; lastMonth?: FlowFigures },
  settings: RhythmSettings,
  stillNothing: NamedMember[],
): ReportUnit {
  const base: Omit<ReportUnit, 'reasons'> = {
    id: unit.id,
    name: unit.name,
    open: f.stock.open,
    overdue: f.stock.overdue,
    dueSoon: f.stock.dueSoon,
    stale: f.stock.staleCollected + f.stock.stalePublished,
    month: {
      collected: f.month.counts.collected,
      claimed: f.month.counts.claimed,
      fulfilled: f.month.counts.fulfilled,
      closed: f.month.counts.closed,
      onTimeRate: f.month.onTime.rate,
      satisfactionRate: f.month.satisfaction.rate,
    },
    year: { closed: f.year.counts.closed, onTimeRate: f.year.onTime.rate },
    quota: progress(f.year.practical, settings.quotas.org),
    stillNothing,
  };
  if (f.lastMonth) {
    const l = f.lastMonth.counts;
    base.change = {
      collected: base.month.collected - l.collected,
      claimed: base.month.claimed - l.claimed,
      fulfilled: base.month.fulfilled - l.fulfilled,
      closed: base.month.closed - l.closed,
    };
  }
  return { ...base, reasons: laggingReasons(base, settings.onTimeThreshold) };
}

/** A stored bulletin or monthly report (`bulletins`, `_id` `<kind>|<orgId>|<period>`). */
export interface Bulletin {
  _id: string;
  kind: 'bulletin' | 'monthly';
  orgId: string;
  orgName: string;
  /** Root first, the organisation last: who may read it (organisers of an organisation on this path, or below it). */
  orgPath: string[];
  period: string; // bulletin: the issue day YYYY-MM-DD; monthly: YYYY-MM
  title: string;
  at: string; // UTC ISO
  /** The organisation's own figures (its whole subtree). */
  total: Omit<ReportUnit, 'reasons' | 'stillNothing' | 'id' | 'name'>;
  units: ReportUnit[];
  /** Units named as lagging, in the order they are listed. */
  named: Array<{ id: string; name: string; reasons: string[] }>;
}

export const bulletinId = (kind: Bulletin['kind'], orgId: string, period: string) => `${kind}|${orgId}|${period}`;

/** One line per named unit, for the notice and the page. */
export function namedLine(n: { name: string; reasons: string[] }): string {
  return `${n.name}：${n.reasons.join('；')}`;
}

// Events.
const Id = v.pipe(v.string('格式不对'), v.regex(/^[A-Za-z0-9_-]{1,64}$/, '格式不对'));
const BulletinIdField = v.pipe(
  v.string('格式不对'),
  v.regex(/^(bulletin|monthly)\|[A-Za-z0-9_-]{1,64}\|\d{4}-\d{2}(-\d{2})?$/, '格式不对'),
);
/** 我的一年: this year (China time) of the calling member. */
export const MyYearEvent = v.object({});
/** 提醒党员: an organiser nudges a member of their subtree who has nothing this year. */
export const NudgeEvent = v.object({
  openid: Id,
  requestId: v.optional(v.pipe(v.string('格式不对'), v.regex(/^[A-Za-z0-9_-]{1,64}$/, '格式不对'))),
});
/** 通报: the list (the caller's organisation and those above it, or `orgId` of their subtree), or one by `id`. */
export const BulletinsEvent = v.object({
  id: v.optional(BulletinIdField),
  orgId: v.optional(Id),
  kind: v.optional(v.picklist(['bulletin', 'monthly'], '格式不对')),
  cursor: v.optional(v.pipe(v.string('格式不对'), v.maxLength(200, '格式不对'))),
  limit: v.optional(v.pipe(v.number('请填写数字'), v.integer('请填写整数'), v.minValue(1, '至少 1 条'), v.maxValue(20, '最多 20 条'))),
});
/** A timer's event ({ Type: 'Timer', TriggerName, Time }); extra keys ignored. The time is never read from it. */
export const TimerEvent = v.object({ Type: v.optional(v.literal('Timer', '格式不对')) });

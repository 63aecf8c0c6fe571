/**
 * China time, in one module (issue 21): calendar days, day and month boundaries, and every time shown to a person.
 * Promised dates, re-review dates, periods and ledgers are calendar days a person means in Beijing time; timestamps are
 * stored as UTC ISO strings and shown in China time wherever the phone is. Core, server, local cloud, scripts and
 * pages all read China time from here; a lint rule (eslint.config.mjs) refuses the offset written anywhere else.
 *
 * Built on dayjs with its `utc` plugin, the zone as a fixed offset (`utcOffset(480)`): China has kept UTC+8 without
 * daylight saving since 1991, so the fixed offset is exact for every date this app handles. Not the `timezone` plugin
 * (`.tz('Asia/Shanghai')`): it converts through `Intl.DateTimeFormat(…, { timeZone })`, which the WeChat mini-program
 * runtime on Android does not honour — the zone is ignored and the phone's own is used (dayjs issue #2635, Taro issue
 * #16078) — and engines without full Intl (older base libraries) lack it. The fixed offset needs no Intl at all.
 */
import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

/** China's offset from UTC, in minutes (UTC+8, no daylight saving). The one place it is written. */
const CHINA_OFFSET_MINUTES = 480;
const CHINA_SUFFIX = '+08:00';

/** The calendar helpers below are pure and called in every guard (a promised date's range, today's day): dayjs builds
 * and formats an object each time, which was three quarters of the core's property tests. They remember their last
 * answers (a bounded map, emptied when full). */
function remembered<A extends string | number, R>(fn: (key: A) => R): (key: A) => R {
  const seen = new Map<A, R>();
  return (key) => {
    let r = seen.get(key);
    if (r === undefined) {
      if (seen.size >= 4096) seen.clear();
      r = fn(key);
      seen.set(key, r);
    }
    return r;
  };
}

const dayOf = remembered((instant: number | string) => inChina(instant).format('YYYY-MM-DD'));
const dayAfter = remembered((key: string) => {
  const [day, n] = key.split('|') as [string, string];
  return dayjs.utc(`${day}T00:00:00Z`).add(Number(n), 'day').format('YYYY-MM-DD');
});
const calendarDay = remembered((s: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = dayjs.utc(`${s}T00:00:00Z`);
  return d.isValid() && d.format('YYYY-MM-DD') === s;
});

/** An instant (Date, UTC ISO string or epoch ms) read in China time. */
export function inChina(instant: Date | string | number): Dayjs {
  return dayjs.utc(instant).utcOffset(CHINA_OFFSET_MINUTES);
}

/** The China calendar day (YYYY-MM-DD) at instant `now`. */
export function chinaDate(now: Date | string | number): string {
  return dayOf(typeof now === 'object' ? now.getTime() : now);
}

/** The China calendar month (YYYY-MM) at instant `now`. */
export function chinaMonth(now: Date | string | number): string {
  return inChina(now).format('YYYY-MM');
}

/** The instant a China-time wall clock reading starts: `chinaInstant('2026-12-01')` is 2026-11-30T16:00:00.000Z;
 * `chinaInstant('2026-12', )` the month's first moment; `chinaInstant('2026-12-11', '09:00')` nine in the morning. */
export function chinaInstant(dayOrMonthOrYear: string, time = '00:00'): Date {
  const [y, m = '01', d = '01'] = dayOrMonthOrYear.split('-');
  return new Date(`${y}-${m}-${d}T${time}:00${CHINA_SUFFIX}`);
}

/** The UTC instants [from, to) of a China-time period: a day YYYY-MM-DD, a month YYYY-MM or a year YYYY. */
export function chinaPeriod(period: string): { from: string; to: string } {
  const unit = period.length === 4 ? 'year' : period.length === 7 ? 'month' : 'day';
  const start = inChina(chinaInstant(period));
  return { from: start.toISOString(), to: start.add(1, unit).toISOString() };
}

/** `day` (YYYY-MM-DD) plus `n` days. */
export function addDays(day: string, n: number): string {
  return dayAfter(`${day}|${n}`);
}

/** True when `s` is a real calendar day written YYYY-MM-DD (rejects 2026-02-30). */
export function isCalendarDay(s: string): boolean {
  return calendarDay(s);
}

/** A calendar day as people write it in a note: "11月30日"; with the year when it is not `refYear` ("2027年1月10日"). */
export function monthDay(day: string, refYear?: string): string {
  const [y, m, d] = day.split('-');
  const md = `${Number(m)}月${Number(d)}日`;
  return refYear && y !== refYear ? `${y}年${md}` : md;
}

const WEEKDAY_NAMES = '日一二三四五六';

/**
 * An instant (UTC ISO) shown in China time, wherever the phone is: `time` "11月23日 14:05", `when` "11月23日 周日
 * 14:05", `full` "2026年11月23日 14:05", `fullWeek` "2026年11月23日 星期日 14:05", `stamp` "2026-11-23 14:05" (WeChat's
 * `time` template field). '' for no or an invalid instant.
 */
export function chinaTime(iso: string | null | undefined, style: 'time' | 'when' | 'full' | 'fullWeek' | 'stamp' = 'time'): string {
  if (!iso) return '';
  const t = inChina(iso);
  if (!t.isValid()) return '';
  const week = WEEKDAY_NAMES[t.day()]!;
  switch (style) {
    case 'time':
      return t.format('M月D日 HH:mm');
    case 'when':
      return `${t.format('M月D日')} 周${week} ${t.format('HH:mm')}`;
    case 'full':
      return t.format('YYYY年M月D日 HH:mm');
    case 'fullWeek':
      return `${t.format('YYYY年M月D日')} 星期${week} ${t.format('HH:mm')}`;
    case 'stamp':
      return t.format('YYYY-MM-DD HH:mm');
  }
}

/** A China calendar day (YYYY-MM-DD) for display: `day` "11月30日", `full` "2026年11月30日", `fullWeek` "2026年11月30日
 * 星期一" (its weekday in China). The day as given, if it is not one. */
export function chinaDay(day: string | null | undefined, style: 'day' | 'full' | 'fullWeek' = 'day'): string {
  if (!day) return '';
  if (!isCalendarDay(day)) return day;
  if (style === 'day') return monthDay(day);
  const [y] = day.split('-');
  const full = `${y}年${monthDay(day)}`;
  return style === 'full' ? full : `${full} 星期${WEEKDAY_NAMES[dayjs.utc(`${day}T00:00:00Z`).day()]}`;
}

/** A person's words inside a longer sentence: without their own closing 。！？ (and spaces), so "原因。" + "。" is not "。。". */
export function clause(s: string): string {
  return s.replace(/[\s。．.！!？?，,；;]+$/u, '');
}

/**
 * Calendar days in China time (UTC+8, no daylight saving). Promised dates and re-review dates are
 * calendar days a person means in Beijing time; timestamps are stored as UTC ISO strings.
 */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The China calendar day (YYYY-MM-DD) at instant `now`. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** `day` (YYYY-MM-DD) plus `n` days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** True when `s` is a real calendar day written YYYY-MM-DD (rejects 2026-02-30). */
export function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** A calendar day as people write it in a note: "11月30日"; with the year when it is not `refYear` ("2027年1月10日"). */
export function monthDay(day: string, refYear?: string): string {
  const [y, m, d] = day.split('-');
  const md = `${Number(m)}月${Number(d)}日`;
  return refYear && y !== refYear ? `${y}年${md}` : md;
}

/** A person's words inside a longer sentence: without their own closing 。！？ (and spaces), so "原因。" + "。" is not "。。". */
export function clause(s: string): string {
  return s.replace(/[\s。．.！!？?，,；;]+$/u, '');
}

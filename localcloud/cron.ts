/**
 * CloudBase's timer trigger cron (seven fields: second minute hour day-of-month month day-of-week year), evaluated in
 * China time (UTC+8: "触发器规则的时区为 UTC+8"), and the local cloud's scheduler that runs each function's timer
 * triggers (its config.json `triggers`) when they fall due.
 *
 * Why not a cron library: the well-kept ones (cron-parser, croner) read five or six fields; CloudBase's seventh
 * (year) and its day-of-week numbering (0 = Sunday, or SUN–SAT) would need translating anyway, and the grammar it
 * documents is small — `*`, lists `a,b`, ranges `a-b`, increments `a/n` (also on a star: every n), month and weekday names. When both
 * day-of-month and day-of-week are restricted, either matching fires (CloudBase: "两者为或关系"). Tested in
 * tests/localcloud/cron.test.ts.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chinaDate, chinaInstant, chinaTime, inChina } from '../src/core/dates';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  values: Set<number>;
  any: boolean;
}
export interface Cron {
  second: Field;
  minute: Field;
  hour: Field;
  day: Field;
  month: Field;
  weekday: Field;
  year: Field;
}

const FIELDS: Array<{ name: keyof Cron; min: number; max: number; names?: string[]; offset?: number }> = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, offset: 1 },
  { name: 'weekday', min: 0, max: 6, names: WEEKDAYS, offset: 0 },
  { name: 'year', min: 1970, max: 2099 },
];

export class CronError extends Error {}

/** Parses a seven-field CloudBase cron expression; throws CronError with the reason. */
export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 7)
    throw new CronError(`cron "${expr}": CloudBase needs seven fields (second minute hour day month weekday year), got ${parts.length}`);
  const out = {} as Cron;
  FIELDS.forEach((f, i) => {
    out[f.name] = parseField(parts[i]!, f, expr);
  });
  return out;
}

function parseField(text: string, f: (typeof FIELDS)[number], expr: string): Field {
  const values = new Set<number>();
  const num = (s: string): number => {
    const upper = s.toUpperCase();
    const named = f.names?.indexOf(upper) ?? -1;
    const n = named >= 0 ? named + (f.offset ?? 0) : /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isInteger(n) || n < f.min || n > f.max) throw new CronError(`cron "${expr}": ${f.name} "${s}" is not in ${f.min}-${f.max}`);
    return n;
  };
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronError(`cron "${expr}": bad increment "${item}"`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [f.min, f.max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      [lo, hi] = [num(a), num(b)];
      if (lo > hi) throw new CronError(`cron "${expr}": range "${range}" runs backwards`);
    } else {
      lo = num(range);
      hi = stepText === undefined ? lo : f.max; // "1/10": from 1 every 10
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, any: text === '*' };
}

/** Whether the instant `t` (whole seconds) matches, read in China time. */
export function matches(c: Cron, t: Date): boolean {
  const x = inChina(t);
  const dayOk = c.day.values.has(x.date());
  const weekdayOk = c.weekday.values.has(x.day());
  const dateOk = c.day.any && c.weekday.any ? true : c.day.any ? weekdayOk : c.weekday.any ? dayOk : dayOk || weekdayOk;
  return (
    c.second.values.has(x.second()) &&
    c.minute.values.has(x.minute()) &&
    c.hour.values.has(x.hour()) &&
    c.month.values.has(x.month() + 1) &&
    c.year.values.has(x.year()) &&
    dateOk
  );
}

/** The first instant strictly after `after` at which `c` fires, or null within the next ~two years (or past 2099). */
export function nextFire(c: Cron, after: Date): Date | null {
  // Walk China-time days, then the day's hours, minutes, seconds: at most ~800 days × cheap checks.
  const start = Math.floor(after.getTime() / 1000) * 1000 + 1000;
  let dayStart = chinaInstant(chinaDate(start)).getTime(); // the China day's first moment
  for (let d = 0; d < 800; d++, dayStart += 86_400_000) {
    const day = inChina(dayStart);
    if (!c.year.values.has(day.year()) || !c.month.values.has(day.month() + 1)) continue;
    const noon = new Date(dayStart + 12 * 3600 * 1000);
    const probe = { ...c, hour: ANY(0, 23), minute: ANY(0, 59), second: ANY(0, 59) };
    if (!matches(probe, noon)) continue;
    for (const h of [...c.hour.values].sort((a, b) => a - b))
      for (const m of [...c.minute.values].sort((a, b) => a - b))
        for (const s of [...c.second.values].sort((a, b) => a - b)) {
          const t = dayStart + ((h * 60 + m) * 60 + s) * 1000;
          if (t >= start) return new Date(t);
        }
  }
  return null;
}
const ANY = (min: number, max: number): Field => ({ values: new Set(Array.from({ length: max - min + 1 }, (_, i) => min + i)), any: true });

export interface TimerTrigger {
  fn: string;
  name: string;
  config: string;
  cron: Cron;
}

/** Every timer trigger declared in `<functionsDir>/<fn>/config.json`. A trigger whose cron does not parse stops the
 * start with the reason (as deploying it would fail). */
export function timerTriggers(functionsDir: string): TimerTrigger[] {
  const out: TimerTrigger[] = [];
  for (const fn of readdirSync(functionsDir)) {
    const file = join(functionsDir, fn, 'config.json');
    if (!existsSync(file)) continue;
    const config = JSON.parse(readFileSync(file, 'utf8')) as { triggers?: Array<{ name: string; type: string; config: string }> };
    for (const t of config.triggers ?? [])
      if (t.type === 'timer') out.push({ fn, name: t.name, config: t.config, cron: parseCron(t.config) });
  }
  return out;
}

export interface Scheduler {
  /** The next instant each trigger fires. */
  next(): Array<{ fn: string; name: string; at: Date | null }>;
  stop(): void;
}

/**
 * Runs each trigger when it falls due: `fire(fn, event)` with CloudBase's timer event ({ Type: 'Timer', TriggerName,
 * Time }). `clock` and `setTimer` are injectable (tests use a fake clock). A run that fails is logged; the next one
 * is scheduled either way. Timers set far ahead are re-armed in steps of at most a day (setTimeout's limit).
 */
export function startScheduler(
  triggers: TimerTrigger[],
  fire: (fn: string, event: object) => Promise<unknown>,
  opts: { clock?: () => Date; setTimer?: (f: () => void, ms: number) => { cancel(): void }; log?: (...a: unknown[]) => void } = {},
): Scheduler {
  const clock = opts.clock ?? (() => new Date());
  const setTimer =
    opts.setTimer ??
    ((f: () => void, ms: number) => {
      const t = setTimeout(f, ms);
      t.unref();
      return { cancel: () => clearTimeout(t) };
    });
  const log = opts.log ?? console.log;
  const due = new Map<TimerTrigger, Date | null>();
  const timers = new Map<TimerTrigger, { cancel(): void }>();
  let stopped = false;
  const arm = (t: TimerTrigger, after: Date) => {
    const at = nextFire(t.cron, after);
    due.set(t, at);
    if (!at || stopped) return;
    const wait = Math.min(at.getTime() - clock().getTime(), 86_400_000);
    timers.set(
      t,
      setTimer(
        () => {
          if (stopped) return;
          if (clock().getTime() < at.getTime()) return arm(t, new Date(at.getTime() - 1000)); // woke early: wait on
          log(`timer ${t.fn}/${t.name} (${t.config}) at ${chinaTime(at.toISOString(), 'when')} China time`);
          fire(t.fn, { Type: 'Timer', TriggerName: t.name, Time: at.toISOString() })
            .catch((e) => log(`timer ${t.fn} failed:`, e))
            .finally(() => undefined);
          arm(t, at);
        },
        Math.max(0, wait),
      ),
    );
  };
  for (const t of triggers) arm(t, clock());
  return {
    next: () => triggers.map((t) => ({ fn: t.fn, name: t.name, at: due.get(t) ?? null })),
    stop: () => {
      stopped = true;
      for (const t of timers.values()) t.cancel();
    },
  };
}

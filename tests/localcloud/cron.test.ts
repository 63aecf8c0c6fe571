/**
 * The local cloud's timer triggers (localcloud/cron.ts): CloudBase's seven-field cron read in China time, the
 * project's own triggers firing on the right China-time days, and the scheduler running a function when its trigger
 * falls due, on a fake clock.
 */
import { join } from 'node:path';
import { CronError, matches, nextFire, parseCron, startScheduler, timerTriggers } from '../../localcloud/cron';

/** China time "YYYY-MM-DD HH:mm:ss" as an instant. */
const cn = (s: string) => new Date(`${s.replace(' ', 'T')}+08:00`);
const iso = (d: Date | null) => d && new Date(d.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);

test('parses the seven fields; refuses what CloudBase would', () => {
  expect(() => parseCron('0 0 9 * * *')).toThrow(CronError); // six fields
  expect(() => parseCron('0 0 24 * * * *')).toThrow(/hour "24"/);
  expect(() => parseCron('0 0 9 32 * * *')).toThrow(/day "32"/);
  expect(() => parseCron('0 0 9 * * 7 *')).toThrow(/weekday "7"/);
  expect(() => parseCron('0 0 9 * * * 2100')).toThrow(/year/);
  expect(() => parseCron('0 0 9 5-1 * * *')).toThrow(/backwards/);
  expect(() => parseCron('0 */0 9 * * * *')).toThrow(/increment/);
  const c = parseCron('0 15 10 * * MON-FRI *');
  expect(matches(c, cn('2026-12-04 10:15:00'))).toBe(true); // a Friday
  expect(matches(c, cn('2026-12-05 10:15:00'))).toBe(false); // a Saturday
  expect(matches(parseCron('0 0 12 * * WED *'), cn('2026-12-02 12:00:00'))).toBe(true);
  expect(matches(parseCron('0 0 2 1 JAN,JUL * *'), cn('2027-07-01 02:00:00'))).toBe(true);
  // "1/10": from 1 every 10.
  expect([...parseCron('0 1/10 * * * * *').minute.values]).toEqual([1, 11, 21, 31, 41, 51]);
  // Day of month and day of week both restricted: either fires.
  const either = parseCron('0 0 8 1 * 0 *');
  expect(matches(either, cn('2026-12-01 08:00:00'))).toBe(true); // the 1st, a Tuesday
  expect(matches(either, cn('2026-12-06 08:00:00'))).toBe(true); // a Sunday
  expect(matches(either, cn('2026-12-07 08:00:00'))).toBe(false);
});

test('next fire, in China time: across the day line, month ends and years', () => {
  // 08:00 China is 00:00 UTC: the day is China's, not UTC's.
  expect(iso(nextFire(parseCron('0 0 8 1,11,21 * * *'), cn('2026-12-10 23:59:59')))).toBe('2026-12-11 08:00:00');
  expect(nextFire(parseCron('0 0 8 1,11,21 * * *'), cn('2026-12-10 23:59:59'))!.toISOString()).toBe('2026-12-11T00:00:00.000Z');
  expect(iso(nextFire(parseCron('0 0 8 1,11,21 * * *'), cn('2026-12-21 08:00:00')))).toBe('2027-01-01 08:00:00');
  expect(iso(nextFire(parseCron('0 0 0 31 * * *'), cn('2027-01-31 00:00:01')))).toBe('2027-03-31 00:00:00');
  expect(iso(nextFire(parseCron('*/5 * * * * * *'), cn('2026-12-01 10:00:02')))).toBe('2026-12-01 10:00:05');
  expect(nextFire(parseCron('0 0 0 1 1 * 2026'), cn('2026-06-01 00:00:00'))).toBeNull();
});

test("the project's timers fire on the right China-time days", () => {
  const triggers = timerTriggers(join(__dirname, '../../cloudfunctions'));
  // One function holds every timer (src/core/functions.ts GROUPS.timers); each trigger is named after its operation.
  expect(new Set(triggers.map((t) => t.fn))).toEqual(new Set(['timers']));
  const by = (name: string) => triggers.find((t) => t.name === name)!.cron;
  expect(triggers.map((t) => t.name).sort()).toEqual(['bulletin', 'monthly', 'overdueAlerts', 'purge', 'reconcile', 'remind', 'weekly']);
  // 一旬一通报: the 1st, 11th and 21st at 08:00.
  const fires = (fn: string, from: string, n: number) => {
    const out: string[] = [];
    let t = cn(from);
    for (let i = 0; i < n; i++) out.push(iso((t = nextFire(by(fn), t)!))!);
    return out;
  };
  expect(fires('bulletin', '2026-12-01 09:00:00', 4)).toEqual([
    '2026-12-11 08:00:00',
    '2026-12-21 08:00:00',
    '2027-01-01 08:00:00',
    '2027-01-11 08:00:00',
  ]);
  // 一周一督促: Thursdays at 09:00 (2026-12-03 is a Thursday).
  expect(fires('weekly', '2026-12-01 00:00:00', 3)).toEqual(['2026-12-03 09:00:00', '2026-12-10 09:00:00', '2026-12-17 09:00:00']);
  // 一月一调度: every day at 08:30; the function itself acts on each organisation's report day.
  expect(fires('monthly', '2026-12-24 09:00:00', 2)).toEqual(['2026-12-25 08:30:00', '2026-12-26 08:30:00']);
});

test('the scheduler runs a function when its trigger falls due (fake clock), with the timer event', async () => {
  let now = cn('2026-12-10 23:00:00');
  const pending: Array<{ at: number; f: () => void; cancelled: boolean }> = [];
  const fired: Array<{ fn: string; event: any; at: string }> = [];
  const triggers = timerTriggers(join(__dirname, '../../cloudfunctions')).filter((t) => t.name === 'bulletin' || t.name === 'weekly');
  const s = startScheduler(
    triggers,
    async (fn, event) => {
      fired.push({ fn, event, at: iso(now)! });
    },
    {
      clock: () => now,
      setTimer: (f, ms) => {
        const t = { at: now.getTime() + ms, f, cancelled: false };
        pending.push(t);
        return { cancel: () => (t.cancelled = true) };
      },
      log: () => undefined,
    },
  );
  expect(s.next().map((n) => [n.name, iso(n.at)])).toEqual(
    expect.arrayContaining([
      ['bulletin', '2026-12-11 08:00:00'],
      ['weekly', '2026-12-17 09:00:00'],
    ]),
  );
  // Advance the fake clock to 2026-12-22, running each timer as it comes due.
  const until = cn('2026-12-22 00:00:00').getTime();
  for (;;) {
    const live = pending.filter((p) => !p.cancelled).sort((a, b) => a.at - b.at);
    const next = live[0];
    if (!next || next.at > until) break;
    pending.splice(pending.indexOf(next), 1);
    now = new Date(next.at);
    next.f();
  }
  expect(fired.map((f) => [f.fn, f.event.TriggerName, f.at])).toEqual([
    ['timers', 'bulletin', '2026-12-11 08:00:00'],
    ['timers', 'weekly', '2026-12-17 09:00:00'],
    ['timers', 'bulletin', '2026-12-21 08:00:00'],
  ]);
  expect(fired[0]!.event).toEqual({ Type: 'Timer', TriggerName: 'bulletin', Time: '2026-12-11T00:00:00.000Z' });
  s.stop();
  expect(pending.every((p) => p.cancelled || p.at > until)).toBe(true);
});

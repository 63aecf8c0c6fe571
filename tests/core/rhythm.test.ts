/**
 * The rhythm's and the quotas' definitions (src/core/rhythm.ts, quotas.ts): which China-time days fire, the
 * periods that make a run idempotent, what names a unit, and who a closure counts for.
 */
import {
  bulletinTitle,
  claimerAt,
  flowFigures,
  isBulletinDay,
  isPracticalClose,
  isReportDay,
  laggingReasons,
  memberCountersOf,
  progress,
  quotaSettings,
  rhythmSettings,
  stockFigures,
  reportUnit,
  weekOf,
  type Wish,
} from '../../src/core';

test('bulletin days, report days (clamped to the month), weeks and titles', () => {
  expect(['2026-12-01', '2026-12-11', '2026-12-21'].every(isBulletinDay)).toBe(true);
  expect(['2026-12-02', '2026-12-10', '2026-12-31', '2026-12-20'].some(isBulletinDay)).toBe(false);
  expect(isReportDay('2026-12-25', 25)).toBe(true);
  expect(isReportDay('2026-12-24', 25)).toBe(false);
  expect(isReportDay('2027-02-28', 31)).toBe(true); // the last day stands in for a day the month lacks
  expect(isReportDay('2028-02-28', 31)).toBe(false); // a leap year has the 29th
  expect(isReportDay('2028-02-29', 30)).toBe(true);
  expect(weekOf('2026-12-03')).toBe('2026-11-30'); // a Thursday → its Monday
  expect(weekOf('2026-12-06')).toBe('2026-11-30'); // Sunday ends the week
  expect(weekOf('2026-12-07')).toBe('2026-12-07');
  expect(bulletinTitle('2026-12-11')).toBe('2026年12月上旬通报');
  expect(bulletinTitle('2026-12-21')).toBe('2026年12月中旬通报');
  expect(bulletinTitle('2027-01-01')).toBe('2026年12月下旬通报');
});

test('settings: per organisation, defaults 1, 3, 80% and the 25th; nonsense falls back', () => {
  expect(rhythmSettings(null)).toEqual({ quotas: { member: 1, org: 3 }, onTimeThreshold: 0.8, reportDay: 25 });
  expect(rhythmSettings({ quotas: { org: 5 }, onTimeThreshold: 0.9, reportDay: 10 })).toEqual({
    quotas: { member: 1, org: 5 },
    onTimeThreshold: 0.9,
    reportDay: 10,
  });
  expect(quotaSettings({ quotas: { member: 0, org: -1 } })).toEqual({ member: 1, org: 3 });
  expect(rhythmSettings({ onTimeThreshold: 2, reportDay: 32 })).toMatchObject({ onTimeThreshold: 0.8, reportDay: 25 });
});

test('lagging reasons: overdue, on-time rate under the threshold, a quota gap, members nudged who still have nothing', () => {
  const base = {
    stock: stockFigures({ 'due:2026-12-01': 2, 'status:claimed': 2 }, '2026-12-11'),
    month: flowFigures({}),
    year: flowFigures({ onTime: 3, late: 2, practical: 3 }),
  };
  const u = reportUnit({ id: 'c', name: '幸福里社区' }, base, rhythmSettings(null), [{ name: '赵华', orgId: 'c', orgName: '幸福里社区' }]);
  expect(u.reasons).toEqual(['超期未办2件', '按时办结率60%，低于80%', '赵华经提醒仍未领办心愿']);
  expect(u.quota).toEqual({ done: 3, target: 3, met: true });
  const fine = reportUnit(
    { id: 'd', name: '安康社区' },
    { ...base, stock: stockFigures({}, '2026-12-11'), year: flowFigures({ onTime: 1, practical: 1 }) },
    rhythmSettings({ quotas: { org: 1 } }),
    [],
  );
  expect(fine.reasons).toEqual([]);
  expect(laggingReasons({ ...fine, quota: progress(1, 3) }, 0.8)).toEqual(['年度实事1/3件']);
});

const entry = (action: string, actorId: string, at: string, extra: object = {}) => ({
  status: 'claimed',
  action,
  at,
  actorRole: 'member',
  actorId,
  note: '',
  ...extra,
});
const wish = (timeline: object[], track = 'individual'): Wish =>
  ({ _id: 'w', orgId: 'c', track, version: timeline.length, timeline }) as unknown as Wish;

test('who a closure counts for: the member of the last claim before it; an assignment counts for nobody; practical = common or hard', () => {
  const w = wish([
    entry('collect', 'r', '2026-03-01T00:00:00Z'),
    entry('register', 'o', '2026-03-01T01:00:00Z', { track: 'individual' }),
    entry('claim', 'm1', '2026-03-02T00:00:00Z'),
    entry('release', 'm1', '2026-03-03T00:00:00Z'),
    entry('claim', 'm2', '2026-03-04T00:00:00Z'),
    entry('fulfil', 'm2', '2026-03-05T00:00:00Z'),
    entry('closeOut', 'o', '2026-12-31T16:30:00Z'), // 2027-01-01 in China
  ]);
  expect(claimerAt(w, 6)).toBe('m2');
  expect(memberCountersOf(wish(w.timeline.slice(0, 6)), w)).toEqual([
    { orgId: 'c', period: '2027', figure: 'closed', delta: 1, member: 'm2' },
  ]);
  expect(memberCountersOf(w, w)).toEqual([]); // nothing new in the step
  expect(isPracticalClose(w, 6)).toBe(false);
  const assigned = wish(
    [
      entry('collect', 'r', '2026-03-01T00:00:00Z'),
      entry('register', 'o', '2026-03-01T01:00:00Z', { track: 'common' }),
      entry('assign', 'o', '2026-03-02T00:00:00Z'),
      entry('closeOut', 'o', '2026-03-09T00:00:00Z'),
    ],
    'common',
  );
  expect(claimerAt(assigned, 3)).toBeNull();
  expect(memberCountersOf(null, assigned)).toEqual([]);
  expect(isPracticalClose(assigned, 3)).toBe(true);
  expect(flowFigures({ practical: 2 }).practical).toBe(2);
});

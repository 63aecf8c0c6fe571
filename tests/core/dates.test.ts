// China time in one module (issue 21 item 5): the same answers whatever zone the process (or phone) runs in.
import { chinaDate, chinaDay, chinaInstant, chinaMonth, chinaPeriod, chinaTime, periodRange } from '../../src/core';
import { periodRange as ledgerRange } from '../../src/core/ledger';

test('day boundaries are China midnight', () => {
  expect(chinaDate(new Date('2026-11-30T15:59:59.999Z'))).toBe('2026-11-30');
  expect(chinaDate(new Date('2026-11-30T16:00:00.000Z'))).toBe('2026-12-01');
  expect(chinaMonth('2026-12-31T16:00:00.000Z')).toBe('2027-01');
  expect(chinaInstant('2026-12-01').toISOString()).toBe('2026-11-30T16:00:00.000Z');
  expect(chinaInstant('2026-12-11', '09:00').toISOString()).toBe('2026-12-11T01:00:00.000Z');
});

test('periods are [from, to) in China time: a day, a month (December into January), a year', () => {
  expect(chinaPeriod('2026-03-01')).toEqual({ from: '2026-02-28T16:00:00.000Z', to: '2026-03-01T16:00:00.000Z' });
  expect(periodRange('2026-12')).toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
  expect(chinaPeriod('2028')).toEqual({ from: '2027-12-31T16:00:00.000Z', to: '2028-12-31T16:00:00.000Z' });
  expect(ledgerRange('2026-01', '2026-12')).toEqual({ start: '2025-12-31T16:00:00.000Z', end: '2026-12-31T16:00:00.000Z' });
});

test('displayed times are China time, not the device zone', () => {
  expect(chinaTime('2026-11-22T16:05:00.000Z')).toBe('11月23日 00:05');
  expect(chinaTime('2026-11-22T16:05:00.000Z', 'when')).toBe('11月23日 周一 00:05');
  expect(chinaTime('2026-11-22T16:05:00.000Z', 'full')).toBe('2026年11月23日 00:05');
  expect(chinaTime('2026-11-22T16:05:00.000Z', 'fullWeek')).toBe('2026年11月23日 星期一 00:05');
  expect(chinaTime('2026-11-22T16:05:00.000Z', 'stamp')).toBe('2026-11-23 00:05');
  expect(chinaTime('not a time')).toBe('');
  expect(chinaDay('2026-11-30')).toBe('11月30日');
  expect(chinaDay('2026-11-30', 'fullWeek')).toBe('2026年11月30日 星期一');
});

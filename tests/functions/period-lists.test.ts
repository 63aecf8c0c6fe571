/**
 * The workbench's flow tiles open exactly the wishes they count (issue 9): orgWishes with a `period` (China-time day,
 * month or year) and a flow status lists the wishes that took that step in the period, through a declared index (the
 * local cloud's strict mode refuses any other query). On the demo data and on wishes moved today, for today, this
 * month and this year, each list is as long as the workbench's figure.
 */
import { addDemoWishes } from '../../localcloud/demo';
import { PERIOD_STEPS, periodRange } from '../../src/core';
import { ok, refused, startCloud, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
const STREET = 'period-street-organiser';
beforeAll(async () => {
  env = await startCloud();
  await addDemoWishes(env.cloud);
  await env.db.collection('users').add({ _id: STREET, role: 'organiser', orgId: 'demo-street', name: '街道 周敏' });
}, 120_000);
afterAll(() => env.stop());

async function list(event: Record<string, unknown>, openid: string): Promise<Array<{ _id: string; status: string }>> {
  const out: Array<{ _id: string; status: string }> = [];
  let cursor: string | undefined;
  do {
    const page = ok(await env.call('orgWishes', { ...event, limit: 7, ...(cursor ? { cursor } : {}) }, openid));
    out.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return out;
}

test('China-time periods as UTC ranges', () => {
  expect(periodRange('2026-12-01')).toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-01T16:00:00.000Z' });
  expect(periodRange('2026-12')).toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
  expect(periodRange('2026')).toEqual({ from: '2025-12-31T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
  expect(periodRange('2026-02')).toEqual({ from: '2026-01-31T16:00:00.000Z', to: '2026-02-28T16:00:00.000Z' });
});

test('each flow tile, for today, this month and this year, opens a list exactly as long as its figure', async () => {
  await env.resetRateLimits();
  // Some steps today besides the demo's: a wish registered, published, claimed, fulfilled; one rejected; one withdrawn.
  const w = ok(await env.call('collect', { ...wishInput, title: '周期列表' }, 'demo-resident'));
  ok(await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '周期列表测试' }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  ok(
    await env.call('claim', { wishId: w._id, promisedBy: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) }, 'demo-member-2'),
  );
  ok(await env.call('fulfil', { wishId: w._id, note: '已办好' }, 'demo-member-2'));
  const r = ok(await env.call('collect', { ...wishInput, title: '周期列表二' }, 'demo-resident'));
  ok(await env.call('register', { wishId: r._id, decision: 'reject', reason: '不属于本社区' }, 'demo-organiser'));
  const wd = ok(await env.call('collect', { ...wishInput, title: '周期列表三' }, 'demo-resident'));
  ok(await env.call('withdraw', { wishId: wd._id }, 'demo-resident'));

  const wb = ok(await env.call('workbench', {}, STREET));
  const periods = { today: wb.periods.day, month: wb.periods.month, year: wb.periods.year } as const;
  const seen: string[] = [];
  for (const [key, period] of Object.entries(periods)) {
    for (const step of PERIOD_STEPS) {
      const n = wb[key].counts[step] as number;
      const items = await list({ status: step, period }, STREET);
      expect({ key, step, listed: items.length }).toEqual({ key, step, listed: n });
      if (n) seen.push(`${key}:${step}`);
    }
  }
  // Not vacuous: today's list of each of these steps is non-empty.
  expect(seen).toEqual(
    expect.arrayContaining([
      'today:collected',
      'today:registered',
      'today:published',
      'today:claimed',
      'today:fulfilled',
      'today:rejected',
      'today:withdrawn',
    ]),
  );
  // A unit's list, and a period with nothing in it.
  for (const unit of wb.units as Array<{ id: string; month: { counts: Record<string, number> } }>) {
    const mine = await list({ status: 'collected', period: wb.periods.month, orgId: unit.id }, STREET);
    expect({ unit: unit.id, listed: mine.length }).toEqual({ unit: unit.id, listed: unit.month.counts.collected });
  }
  expect(await list({ status: 'closed', period: '2019' }, STREET)).toEqual([]);
});

test('a period with a status that is not a step, or a malformed period, is refused before anything is read', async () => {
  refused(await env.call('orgWishes', { status: 'overdue', period: '2026-12' }, STREET), 400, 'INPUT.INVALID');
  refused(await env.call('orgWishes', { period: '2026-12' }, STREET), 400, 'INPUT.INVALID');
  refused(await env.call('orgWishes', { status: 'closed', period: '2026-13' }, STREET), 400, 'INPUT.INVALID');
  refused(await env.call('orgWishes', { status: 'closed', period: '26-12' }, STREET), 400, 'INPUT.INVALID');
  refused(await env.call('orgWishes', { status: 'closed', period: '2026' }, 'demo-member'), 403, 'AUTH.FORBIDDEN');
});

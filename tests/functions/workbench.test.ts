/**
 * 督办台 workbench and 公开栏 publicResults (issue 9), on the demo data through the real functions: who may read what,
 * each workbench figure equal to the length of the list it taps into, the child units lagging first, and the
 * public board carrying no personal data (string search, as in tests/security/privacy.test.ts).
 */
import { addDemoWishes } from '../../localcloud/demo';
import { inDays, ok, refused, startCloud, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
const STREET = 'street-organiser';
beforeAll(async () => {
  env = await startCloud();
  await addDemoWishes(env.cloud);
  // A street organiser (和平街道): sees both communities.
  await env.db.collection('users').add({ _id: STREET, role: 'organiser', orgId: 'demo-street', name: '街道 周敏' });
}, 120_000);
afterAll(() => env.stop());

/** Every item of an orgWishes view (cursor pages). */
async function list(status: string, openid: string, orgId?: string): Promise<Array<{ _id: string }>> {
  const out: Array<{ _id: string }> = [];
  let cursor: string | undefined;
  do {
    const page = ok(await env.call('orgWishes', { status, ...(orgId ? { orgId } : {}), ...(cursor ? { cursor } : {}) }, openid));
    out.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return out;
}

test('workbench: organisers only, their own subtree; a bad event is refused before anything is read', async () => {
  refused(await env.call('workbench', {}, 'demo-member'), 403, 'AUTH.FORBIDDEN');
  refused(await env.call('workbench', {}, 'demo-resident'), 403, 'AUTH.FORBIDDEN');
  refused(await env.call('workbench', { orgId: 'demo-street' }, 'demo-organiser'), 403, 'AUTH.OUT_OF_SCOPE');
  refused(await env.call('workbench', { orgId: 'demo-community-2' }, 'demo-organiser'), 403, 'AUTH.OUT_OF_SCOPE');
  refused(await env.call('workbench', { orgId: '../x' }, 'demo-organiser'), 400, 'INPUT.INVALID');
  refused(await env.call('workbench', {}, undefined), 401, 'AUTH.NO_IDENTITY');
  refused(await env.call('orgWishes', { status: 'overdue', orgId: 'demo-community-2' }, 'demo-organiser'), 403, 'AUTH.OUT_OF_SCOPE');
  const own = ok(await env.call('workbench', {}, 'demo-organiser'));
  expect(own.org).toMatchObject({ id: 'demo-community', name: '幸福里社区' });
});

test('workbench: a street organiser sees each community, lagging first; each figure is the length of its list', async () => {
  const wb = ok(await env.call('workbench', {}, STREET));
  expect(wb.org.id).toBe('demo-street');
  expect(wb.periods.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  // The demo: 幸福里社区 has the overdue claim, 安康社区 nothing; the street committee is a child too.
  expect(wb.units.map((u: { id: string }) => u.id)).toEqual(
    expect.arrayContaining(['demo-community', 'demo-community-2', 'demo-street-committee']),
  );
  expect(wb.units[0]).toMatchObject({ id: 'demo-community', lagging: true, stock: { overdue: 1 } });
  expect(wb.units.find((u: { id: string }) => u.id === 'demo-community-2')).toMatchObject({ lagging: false, stock: { overdue: 0 } });
  // Tap a figure: the list behind it has exactly that many wishes.
  expect(wb.now.overdue).toBe(1);
  expect((await list('overdue', STREET)).length).toBe(wb.now.overdue);
  expect(wb.now.dueSoon).toBeGreaterThan(0);
  expect((await list('dueSoon', STREET)).length).toBe(wb.now.dueSoon);
  expect((await list('extension', STREET)).length).toBe(wb.now.extensionsPending);
  expect((await list('published', STREET)).length).toBe(wb.now.byStatus.published);
  expect((await list('collected', STREET)).length).toBe(wb.now.byStatus.collected);
  const open = (await list('claimed', STREET)).length + (await list('fulfilled', STREET)).length + (await list('reviewed', STREET)).length;
  expect(open).toBe(wb.now.open);
  // …and a unit's row taps into that unit's list.
  expect((await list('overdue', STREET, 'demo-community')).length).toBe(1);
  expect((await list('overdue', STREET, 'demo-community-2')).length).toBe(0);
  // Today's flows: the demo posted, registered and closed wishes today.
  expect(wb.today.counts.collected).toBeGreaterThan(5);
  expect(wb.year.counts.closed).toBe(1);
  expect(wb.year.satisfaction).toMatchObject({ satisfied: 1, rate: 1 });
  expect(wb.trend).toHaveLength(12);
  expect(wb.trend[11].month).toBe(wb.periods.month);

  // A claim in 安康社区 that runs out: the next day's reading moves it up (figures are read for "today").
  await env.resetRateLimits();
  const w = ok(await env.call('collect', { ...wishInput, title: '督办测试', orgId: 'demo-community-2' }, 'demo-resident'));
  ok(await env.call('register', { wishId: w._id, category: '其他', track: 'individual', summary: '督办测试' }, 'demo-organiser-2'));
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser-2'));
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(0) }, 'demo-member-3'));
  const after = ok(await env.call('workbench', {}, STREET));
  expect(after.now.dueSoon).toBe(wb.now.dueSoon + 1);
  expect(after.today.counts.claimed).toBe(wb.today.counts.claimed + 1);
});

test('publicResults: anyone, no sign-in; this month and this year per unit; recent closures with summary and category only', async () => {
  // An individual wish closed with a confirmed summary, the resident's words and name nowhere on the board.
  await env.resetRateLimits();
  const words = '我家老伴瘫痪在床需要有人帮忙翻身';
  const w = ok(
    await env.call(
      'collect',
      {
        ...wishInput,
        title: '求助护理老伴',
        content: words,
        contactName: '钱桂兰',
        contactPhone: '13912345678',
        address: '安康小区 9 栋 902',
      },
      'demo-resident',
    ),
  );
  ok(
    await env.call(
      'register',
      { wishId: w._id, category: '医疗健康', track: 'individual', summary: '行动不便老人需要护理帮助' },
      'demo-organiser',
    ),
  );
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(3) }, 'demo-member'));
  ok(await env.call('fulfil', { wishId: w._id, note: '李明上门帮忙翻身两次' }, 'demo-member'));
  ok(await env.call('feedback', { wishId: w._id, satisfaction: 'satisfied', comment: '钱桂兰很满意' }, 'demo-resident'));
  ok(await env.call('closeOut', { wishId: w._id }, 'demo-organiser'));

  refused(await env.call('publicResults', { orgId: 'x y' }, undefined), 400, 'INPUT.INVALID');
  refused(await env.call('publicResults', { orgId: 'nowhere' }, undefined), 404, 'ORG.NOT_FOUND');
  const root = ok(await env.call('publicResults', {}, undefined));
  expect(root.org).toEqual({ id: 'demo-city', name: '湘潭市' });
  expect(root.units.map((u: { id: string }) => u.id)).toEqual(['demo-district']);
  const street = ok(await env.call('publicResults', { orgId: 'demo-street' }, undefined));
  expect(street.parent).toEqual({ id: 'demo-district', name: '岳塘区' });
  expect(street.year).toMatchObject({ finished: 2, satisfactionRate: 1 });
  expect(street.year.handled).toBeGreaterThanOrEqual(street.year.finished);
  expect(street.month.inProgress).toBeGreaterThan(0);
  expect(street.recent[0]).toEqual({
    summary: '行动不便老人需要护理帮助',
    category: '医疗健康',
    closedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
  });
  expect(street.recent).toHaveLength(2);
  // Signed in or not, the same answer.
  expect(ok(await env.call('publicResults', { orgId: 'demo-street' }, 'demo-member'))).toEqual(street);

  // No personal data: names, phones, addresses, the resident's own words, notes, comments, ids, file ids.
  const everything = JSON.stringify([root, street, ok(await env.call('publicResults', { orgId: 'demo-community' }, undefined))]);
  for (const secret of [
    '钱桂兰',
    '13912345678',
    '安康小区',
    words,
    '求助护理老伴', // the resident's title
    '李明',
    '赵华',
    '王秀英',
    '13800001111',
    '幸福里小区 3 栋',
    '很满意',
    '上门帮忙',
    'demo-resident',
    'demo-member',
    w._id,
    'cloud://',
    'contact',
    'timeline',
    'openid',
  ])
    expect({ secret, found: everything.includes(secret) }).toEqual({ secret, found: false });
});

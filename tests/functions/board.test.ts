/** The claim board: urgent first then newest, filters by category and community, cursor paging (never a skip). */
import { ok, startCloud, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
beforeAll(async () => {
  env = await startCloud();
}, 60_000);
beforeEach(() => env.resetRateLimits());
afterAll(() => env.stop());

async function publish(category: string, urgent: boolean, title: string) {
  const w = ok(await env.call('collect', { ...wishInput, title }, 'demo-resident'));
  ok(await env.call('register', { wishId: w._id, category, track: 'individual', urgent, summary: `${category}心愿` }, 'demo-organiser'));
  return ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'))._id as string;
}

type Item = { _id: string; urgent: boolean; orgName: string; category: string; publishedAt: string; title: string; name: string };
async function all(event: Record<string, unknown>, limit: number) {
  const seen: Item[] = [];
  let cursor: string | null = null;
  let calls = 0;
  do {
    const page: { items: Item[]; cursor: string | null } = ok(
      await env.call('board', { ...event, limit, ...(cursor ? { cursor } : {}) }, 'demo-member'),
    );
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items);
    cursor = page.cursor;
    calls++;
  } while (cursor && calls < 30);
  return seen;
}

test('urgent first, then newest; every item once across pages; category and community filters', async () => {
  const plain: string[] = [];
  const urgent: string[] = [];
  for (let i = 0; i < 7; i++) {
    plain.push(await publish(i % 2 ? '助学圆梦' : '生活帮扶', false, `普通心愿 ${i}`));
    if (i % 3 === 0) urgent.push(await publish('生活帮扶', true, `紧急心愿 ${i}`));
  }
  const seen = await all({}, 3);
  const ids = seen.map((x) => x._id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual([...urgent.reverse(), ...plain.slice().reverse()]);
  expect(seen.slice(0, urgent.length).every((x) => x.urgent)).toBe(true);
  expect(seen.slice(urgent.length).every((x) => x.urgent === false)).toBe(true);
  expect(seen.every((x) => x.orgName === '幸福里社区')).toBe(true);
  expect(Object.keys(seen[0]!).sort()).toEqual([
    '_id',
    'category',
    'createdAt',
    'name',
    'orgId',
    'orgName',
    'publishedAt',
    'status',
    'summary',
    'title',
    'urgent',
  ]);
  expect(seen.every((x) => x.name === '王某')).toBe(true); // the resident's name leaves the server masked

  const study = await all({ category: '助学圆梦' }, 2);
  expect(study.map((x) => x._id)).toEqual(plain.filter((_, i) => i % 2).reverse());
  expect(study.every((x) => x.category === '助学圆梦')).toBe(true);

  expect((await all({ orgId: 'demo-community' }, 20)).map((x) => x._id)).toEqual(ids);
  const other = await env.call('board', { orgId: 'demo-street' }, 'demo-member');
  expect({ status: other.status, code: (other.body as { code: string }).code }).toEqual({ status: 403, code: 'AUTH.OUT_OF_SCOPE' });

  // A claimed wish leaves the board, a released one comes back in its place (its publish time is kept).
  const target = plain[3]!;
  ok(
    await env.call(
      'claim',
      { wishId: target, promisedBy: new Date(Date.now() + 5 * 864e5 + 8 * 36e5).toISOString().slice(0, 10) },
      'demo-member',
    ),
  );
  expect((await all({}, 20)).map((x) => x._id)).not.toContain(target);
  ok(await env.call('release', { wishId: target, reason: '临时有事' }, 'demo-member'));
  expect((await all({}, 20)).map((x) => x._id)).toEqual(ids);
}, 60_000);

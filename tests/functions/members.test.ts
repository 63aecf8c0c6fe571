/**
 * 党员管理 (issue 10): the branch's current members with their open claims (branchMembers), and removing a
 * member who has left (removeMember): role and scope checked, the event validated before any database call,
 * their open claims back on the board with the usual notice, an audit entry, and nothing else touched.
 */
import { acceptNotice, inDays, ok, refused, startCloud, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
jest.setTimeout(30_000); // a loaded two-core machine
beforeAll(async () => {
  env = await startCloud();
  await acceptNotice(env, 'demo-resident');
  await env.db.collection('users').add({ _id: 'leaving-member', role: 'member', orgId: 'demo-community', name: '钱多多' });
}, 60_000);
beforeEach(() => env.resetRateLimits());
afterAll(() => env.stop());

async function claimedBy(member: string, title: string) {
  const w = ok(await env.call('collect', { ...wishInput, title }, 'demo-resident'));
  ok(
    await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '居民需要生活帮扶' }, 'demo-organiser'),
  );
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(5) }, member));
  return w._id as string;
}

type Member = { openid: string; name: string; orgName: string; openClaims: number };
async function members(openid = 'demo-organiser'): Promise<Member[]> {
  const out: Member[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Member[]; cursor: string | null } = ok(
      await env.call('branchMembers', { limit: 2, ...(cursor ? { cursor } : {}) }, openid),
    );
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor && out.length < 50);
  return out;
}

test("the branch list shows every current member once, with their organisation and open claims; not other branches'", async () => {
  const wish = await claimedBy('leaving-member', '想请人帮忙搬花盆');
  const list = await members();
  const names = list.map((m) => m.name);
  expect(names).toEqual(expect.arrayContaining(['李明', '赵华', '钱多多']));
  expect(new Set(list.map((m) => m.openid)).size).toBe(list.length);
  expect(names).not.toContain('孙强'); // 安康社区's member
  expect(list.find((m) => m.openid === 'leaving-member')).toMatchObject({ openClaims: 1, orgName: expect.stringMatching(/\S/) });
  expect((await members('demo-organiser-2')).map((m) => m.name)).toEqual(['孙强']);
  await refusedCall('branchMembers', {}, 'demo-member', 403, 'AUTH.FORBIDDEN');
  expect(wish).toBeTruthy();
});

async function refusedCall(fn: string, event: object, who: string, status: number, code: string) {
  const before = env.cloud.stats().wireTotal;
  refused(await env.call(fn, event, who), status, code);
  return env.cloud.stats().wireTotal - before;
}

test('removing a member who has left: their open claims go back to the board with a notice, audited', async () => {
  const a = await claimedBy('leaving-member', '想请人修自行车');
  const stranger = await claimedBy('demo-member', '想请人读报纸');

  // Refusals first: bad events before any database call; wrong role; wrong scope; not a member.
  expect(await refusedCall('removeMember', { openid: 'leaving-member' }, 'demo-organiser', 400, 'INPUT.INVALID')).toBe(0);
  expect(await refusedCall('removeMember', { openid: { $ne: null }, reason: '搬走了' }, 'demo-organiser', 400, 'INPUT.INVALID')).toBe(0);
  await refusedCall('removeMember', { openid: 'leaving-member', reason: '搬走了' }, 'demo-member', 403, 'AUTH.FORBIDDEN');
  await refusedCall('removeMember', { openid: 'leaving-member', reason: '搬走了' }, 'demo-organiser-2', 403, 'AUTH.OUT_OF_SCOPE');
  await refusedCall('removeMember', { openid: 'demo-resident', reason: '搬走了' }, 'demo-organiser', 404, 'USER.NOT_FOUND');
  expect((await env.db.collection('users').doc('leaving-member').get()).data[0]).toMatchObject({ role: 'member' });

  const done = ok(await env.call('removeMember', { openid: 'leaving-member', reason: '搬到外地去了' }, 'demo-organiser'));
  expect(done.released).toEqual(expect.arrayContaining([a]));
  expect(done.kept).toEqual([]);
  expect((await env.db.collection('users').doc('leaving-member').get()).data[0]).toMatchObject({ role: 'resident', orgId: null });

  // Back on the board, claimable again; the timeline does not carry the organiser's reason.
  const wish = ok(await env.call('wishDetail', { wishId: a }, 'demo-organiser'));
  expect(wish.status).toBe('published');
  expect(wish.claim).toBeNull();
  expect(wish.timeline.at(-1).note).toContain('认领的党员已不在本支部');
  expect(JSON.stringify(wish.timeline)).not.toContain('外地');
  ok(await env.call('claim', { wishId: a, promisedBy: inDays(4) }, 'demo-member-2'));
  // Another member's claim is untouched.
  expect(ok(await env.call('wishDetail', { wishId: stranger }, 'demo-organiser')).status).toBe('claimed');

  // The notice to the member, and one audit entry with the reason.
  const notices = (await env.db.collection('outbox').where({ wishId: a, to: 'leaving-member', kind: 'claimReleased' }).get()).data;
  expect(notices).toHaveLength(1);
  const audit = (await env.db.collection('audit').where({ action: 'removeMember', 'target.id': 'leaving-member' }).get()).data;
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({ actorId: 'demo-organiser', after: { role: 'resident', reason: '搬到外地去了' } });

  // Gone from the list; the removed person cannot claim; removing again is refused.
  expect((await members()).map((m) => m.openid)).not.toContain('leaving-member');
  refused(await env.call('claim', { wishId: stranger, promisedBy: inDays(3) }, 'leaving-member'), 403, 'AUTH.FORBIDDEN');
  await refusedCall('removeMember', { openid: 'leaving-member', reason: '搬走了' }, 'demo-organiser', 404, 'USER.NOT_FOUND');
});

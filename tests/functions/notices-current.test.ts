/**
 * Notices that stay true (issue 22 item 5) through the real functions: a notice about a wish says what is current when
 * it is opened — an action already taken by someone else is marked done with a short reason, repeated unread notices
 * about the same thing fold into one with a count — and 催办 is limited to once a China day per wish.
 */
import { allDocs, inDays, ok, refused, startCloud, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
beforeAll(async () => {
  env = await startCloud();
}, 120_000);
afterAll(() => env.stop());
beforeEach(() => env.resetRateLimits());

interface Item {
  _id: string;
  kind: string;
  wishId: string;
  read: boolean;
  done?: boolean;
  doneReason?: string;
  count?: number;
  ids?: string[];
}
const notices = async (who: string): Promise<Item[]> => ok(await env.call('notifications', { limit: 20 }, who)).items;
const about = async (who: string, wishId: string, kind: string) =>
  (await notices(who)).filter((n) => n.wishId === wishId && n.kind === kind);

async function claimed(member = 'demo-member'): Promise<string> {
  const w = ok(await env.call('collect', wishInput, 'demo-resident'));
  ok(await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '帮老人修水管' }, 'demo-organiser'));
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(5) }, member));
  return w._id;
}

test('收到一个心愿 is done once the wish is registered or withdrawn; until then it stays to do', async () => {
  const a = ok(await env.call('collect', wishInput, 'demo-resident'));
  const [fresh] = await about('demo-organiser', a._id, 'newWish');
  expect(fresh).toMatchObject({ kind: 'newWish', read: false });
  expect(fresh!.done).toBeUndefined();
  ok(await env.call('withdraw', { wishId: a._id, reason: '不需要了' }, 'demo-resident'));
  expect((await about('demo-organiser', a._id, 'newWish'))[0]).toMatchObject({ done: true, doneReason: '心愿已撤回' });

  const b = ok(await env.call('collect', wishInput, 'demo-resident'));
  ok(await env.call('register', { wishId: b._id, category: '生活帮扶', track: 'individual' }, 'demo-organiser'));
  expect((await about('demo-organiser', b._id, 'newWish'))[0]).toMatchObject({ done: true, doneReason: '已登记' });
});

test('请评价 / 请电话回访 are done once the resident gave feedback, and say so after close-out', async () => {
  const id = await claimed();
  ok(await env.call('fulfil', { wishId: id, note: '换了新的水龙头' }, 'demo-member'));
  expect((await about('demo-resident', id, 'feedbackNeeded'))[0]!.done).toBeUndefined();
  expect((await about('demo-organiser', id, 'fulfilled'))[0]!.done).toBeUndefined();
  ok(await env.call('feedback', { wishId: id, satisfaction: 'satisfied' }, 'demo-resident'));
  expect((await about('demo-organiser', id, 'fulfilled'))[0]).toMatchObject({ done: true, doneReason: '居民已反馈' });
  ok(await env.call('closeOut', { wishId: id }, 'demo-organiser'));
  expect((await about('demo-resident', id, 'feedbackNeeded'))[0]).toMatchObject({ done: true, doneReason: '已反馈，心愿已销号' });
});

test('repeated unread notices of one kind about one wish fold into the newest, with a count and every id', async () => {
  const id = await claimed('demo-member-2');
  ok(await env.call('message', { wishId: id, note: '您好' }, 'demo-resident'));
  ok(await env.call('message', { wishId: id, note: '明天在家' }, 'demo-resident'));
  const docs = (await allDocs<{ _id: string; to: string; wishId: string; kind: string }>(env.db as never, 'outbox')).filter(
    (d) => d.wishId === id && d.kind === 'message' && d.to === 'demo-member-2',
  );
  expect(docs).toHaveLength(2);
  const folded = await about('demo-member-2', id, 'message');
  expect(folded).toHaveLength(1);
  expect(folded[0]!.count).toBe(2);
  expect([...folded[0]!.ids!].sort()).toEqual(docs.map((d) => d._id).sort());
  // Read ones are not folded: each stays as it was.
  ok(await env.call('markRead', { ids: folded[0]!.ids }, 'demo-member-2'));
  expect(await about('demo-member-2', id, 'message')).toHaveLength(2);
});

test('催办 once a China day per wish: a second chase the same day is refused with a stable code and writes nothing', async () => {
  const id = await claimed('demo-member');
  ok(await env.call('chase', { wishId: id, note: '居民在等', requestId: 'chase-day-1' }, 'demo-organiser'));
  const outboxBefore = (await allDocs(env.db as never, 'outbox')).length;
  const timelineBefore = ok(await env.call('wishDetail', { wishId: id }, 'demo-organiser')).timeline.length;
  refused(await env.call('chase', { wishId: id, requestId: 'chase-day-2' }, 'demo-organiser'), 409, 'WISH.CHASED_TODAY');
  expect((await allDocs(env.db as never, 'outbox')).length).toBe(outboxBefore);
  expect(ok(await env.call('wishDetail', { wishId: id }, 'demo-organiser')).timeline.length).toBe(timelineBefore);
  // The retry of the first chase still answers as before (idempotent), nothing sent twice.
  ok(await env.call('chase', { wishId: id, note: '居民在等', requestId: 'chase-day-1' }, 'demo-organiser'));
});

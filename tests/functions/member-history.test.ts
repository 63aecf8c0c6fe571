/**
 * Issue 10, member and resident: a member's record of what they have done (myWishes scope `claimed`, view
 * `open` / `done`, paged by cursor; a closed wish stays findable and viewable), and the resident told the new
 * date when an extension is approved.
 */
import { acceptNotice, inDays, ok, refused, startCloud, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
jest.setTimeout(30_000); // a loaded two-core machine
beforeAll(async () => {
  env = await startCloud();
  await acceptNotice(env, 'demo-resident');
}, 60_000);
beforeEach(() => env.resetRateLimits());
afterAll(() => env.stop());

async function claimed(title: string, member = 'demo-member') {
  const w = ok(await env.call('collect', { ...wishInput, title }, 'demo-resident'));
  ok(
    await env.call('register', { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '居民需要生活帮扶' }, 'demo-organiser'),
  );
  ok(await env.call('publish', { wishId: w._id }, 'demo-organiser'));
  ok(await env.call('claim', { wishId: w._id, promisedBy: inDays(5) }, member));
  return w._id as string;
}

async function closed(title: string) {
  const id = await claimed(title);
  ok(await env.call('fulfil', { wishId: id, note: '已经办好了' }, 'demo-member'));
  ok(await env.call('feedback', { wishId: id, satisfaction: 'satisfied' }, 'demo-resident'));
  ok(await env.call('closeOut', { wishId: id }, 'demo-organiser'));
  return id;
}

const ids = (page: { items: Array<{ _id: string }> }) => page.items.map((w) => w._id);

test('in hand and done are separate views; the done ones page by cursor and stay open to the member after close-out', async () => {
  const inHand = await claimed('想请人帮忙修水管');
  const done1 = await closed('想请人陪我去医院');
  const done2 = await closed('想请人帮忙换灯泡');
  const someoneElses = await claimed('想要一副老花镜', 'demo-member-2');

  const open = ok(await env.call('myWishes', { scope: 'claimed', view: 'open' }, 'demo-member'));
  expect(ids(open)).toContain(inHand);
  expect(ids(open)).not.toEqual(expect.arrayContaining([done1]));
  expect(open.items.every((w: { status: string }) => ['claimed', 'fulfilled'].includes(w.status))).toBe(true);

  // The history, one a page: every closed wish once, newest activity first, nobody else's.
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Array<{ _id: string; status: string }>; cursor: string | null } = ok(
      await env.call('myWishes', { scope: 'claimed', view: 'done', limit: 1, ...(cursor ? { cursor } : {}) }, 'demo-member'),
    );
    expect(page.items.length).toBeLessThanOrEqual(1);
    for (const w of page.items) expect(w.status).toBe('closed');
    seen.push(...ids(page));
    cursor = page.cursor;
  } while (cursor && seen.length < 10);
  expect(seen).toEqual([done2, done1]);
  expect(seen).not.toContain(someoneElses);

  // Found again after close-out: the member opens it and reads what they did, without the resident's contact.
  const detail = ok(await env.call('wishDetail', { wishId: done1 }, 'demo-member'));
  expect(detail.status).toBe('closed');
  expect(detail.fulfilment.note).toBe('已经办好了');
  expect(detail.contact).toBeUndefined();

  // Another member's history does not hold these; `view` belongs to the claims only.
  expect(ids(ok(await env.call('myWishes', { scope: 'claimed', view: 'done' }, 'demo-member-2')))).not.toContain(done1);
  refused(await env.call('myWishes', { scope: 'posted', view: 'done' }, 'demo-resident'), 400, 'INPUT.INVALID');
  refused(await env.call('myWishes', { scope: 'claimed', view: 'later' }, 'demo-member'), 400, 'INPUT.INVALID');
});

test('an approved extension tells the resident the new date; a refused one does not', async () => {
  const id = await claimed('想请人帮忙修门锁');
  const notices = async () =>
    (await env.db.collection('outbox').where({ wishId: id, to: 'demo-resident', kind: 'promiseMoved' }).get()).data as Array<{
      body: string;
    }>;
  ok(await env.call('extend', { wishId: id, until: inDays(9), reason: '锁芯要订货' }, 'demo-member'));
  ok(await env.call('answerExtension', { wishId: id, approve: false }, 'demo-organiser'));
  expect(await notices()).toEqual([]);
  ok(await env.call('extend', { wishId: id, until: inDays(12), reason: '锁芯还没到' }, 'demo-member'));
  ok(await env.call('answerExtension', { wishId: id, approve: true }, 'demo-organiser'));
  const [m, d] = inDays(12).split('-').slice(1).map(Number);
  const sent = await notices();
  expect(sent).toHaveLength(1);
  expect(sent[0]!.body).toContain(`完成日期改到了 ${m}月${d}日`);
  expect(sent[0]!.body).not.toContain('锁芯'); // the member's reason is between the member and the organiser
});

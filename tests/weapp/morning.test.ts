/**
 * The key steps of an organiser's morning (issue 22, "Done when"; tests/browser/morning.test.ts walks all of it on the
 * H5 build) in the weapp bundle, by taps on the organiser's phone: the workbench's 今日待办 counts, and 待登记 opens
 * its list → register with a public title → publish → link a returned card by the 心愿编号 read off the wish's page →
 * chase an overdue claim once → close out the wish waiting for it, after which the workbench's strip is current. Each
 * step's outcome is read back through the functions (wishDetail, orgWishes, notifications), not from the screen.
 * Printing and the spreadsheet import are the browser's (the mini-program opens the print page in a browser, and
 * picks no local file), so the card here is issued through the functions.
 */
import { inDays, ok, refused, wishInput } from '../functions/harness';
import type { OpenedPage } from './harness';
import { phones } from './phones';
import { TODO_LISTS } from '../workbench-todo';

const { env, phone, clean } = phones();
const ORGANISER = 'demo-organiser';
const detail = async (wishId: string) => ok(await env().call('wishDetail', { wishId }, ORGANISER));
const listed = async (status: string) => ok(await env().call('orgWishes', { status, limit: 20 }, ORGANISER)).items.length as number;

/** The 今日待办 strip as rendered: label → number. */
function todo(page: OpenedPage): Record<string, number> {
  const strip = page.$('.wb-todo')!;
  expect(strip).not.toBeNull();
  const out: Record<string, number> = {};
  for (const t of page.$$('.wb-todo .wb-tile'))
    out[t.querySelector('.main--wb-label')!.textContent!.trim()] = Number(t.querySelector('.main--wb-num')!.textContent);
  return out;
}

const RESIDENT_TITLE = '想请人帮忙修厨房的水龙头';
const PUBLIC_TITLE = '老人家厨房水龙头要修';
let toRegister = '';
let fromCard = '';
let late = '';
let waiting = '';
let cardNo = '';

beforeAll(async () => {
  // As the night left it: three wishes to register (one entered from a returned card without its number), a claim past
  // its promised day, a wish the family has answered (待销号), and a printed sheet of one card.
  toRegister = ok(await env().call('collect', { ...wishInput, title: RESIDENT_TITLE }, 'demo-resident'))._id;
  ok(await env().call('collect', { ...wishInput, title: '想请人陪我去社区医院量血压', contactPhone: '13800002222' }, 'demo-resident'));
  fromCard = ok(
    await env().call(
      'collect',
      {
        title: '周大爷想换个亮一点的灯泡',
        content: '楼道灯泡太暗，晚上看不清台阶',
        contactName: '周大爷',
        contactPhone: '13700002222',
        address: '幸福里小区 6 栋 102',
        channel: 'card',
      },
      ORGANISER,
    ),
  )._id;
  const published = async (title: string, phoneNo: string) => {
    const w = ok(await env().call('collect', { ...wishInput, title, contactPhone: phoneNo }, 'demo-resident'));
    ok(
      await env().call(
        'register',
        { wishId: w._id, category: '生活帮扶', track: 'individual', summary: '居民需要帮忙', publicTitle: title },
        ORGANISER,
      ),
    );
    ok(await env().call('publish', { wishId: w._id }, ORGANISER));
    return w._id as string;
  };
  late = await published('想请人帮忙把旧冰箱搬下楼', '13800003333');
  ok(await env().call('claim', { wishId: late, promisedBy: inDays(1) }, 'demo-member'));
  // Time passes: the promise was two days ago (no function takes a past date), and the nightly reconcile recounts.
  await env()
    .db.collection('wishes')
    .doc(late)
    .update({ 'claim.promisedBy': inDays(-2) });
  waiting = await published('想请人教我在手机上挂号', '13800004444');
  ok(await env().call('claim', { wishId: waiting, promisedBy: inDays(3) }, 'demo-member-2'));
  ok(await env().call('fulfil', { wishId: waiting, note: '上门教了两次，已经会用了' }, 'demo-member-2'));
  ok(await env().call('feedback', { wishId: waiting, satisfaction: 'satisfied' }, 'demo-resident'));
  cardNo = ok(await env().call('wishCards', { mode: 'issue', count: 1 }, ORGANISER)).cards[0].cardNo;
  ok(await env().trigger('reconcile', { Type: 'Timer' }));
}, 120_000);

test('今日待办: each count is the list it opens; 待登记 opens the three', async () => {
  const app = phone(ORGANISER);
  const bench = await app.open('organiser/workbench/index');
  const shown = todo(bench);
  expect(shown).toEqual({ 待登记: 3, 待发布: 0, 待销号: 1, 延期申请: 0, 待内容审核: 0, 已逾期: 1 });
  for (const [label, status] of Object.entries(TODO_LISTS)) expect([label, shown[label]]).toEqual([label, await listed(status)]);
  await bench.tap('.wb-todo .wb-tile'); // the first: 待登记
  expect(app.world.navigations.at(-1)!.url).toMatch(/^\/organiser\/queue\/index\?status=collected&/);
  const queue = await app.follow();
  for (const t of [RESIDENT_TITLE, '想请人陪我去社区医院量血压', '周大爷想换个亮一点的灯泡']) expect(queue.text()).toContain(t);
  expect(queue.$$('.queue-list .wish-card')).toHaveLength(3);
  clean(app);
});

test('登记、发布: registered with the public title typed, published under it only', async () => {
  const app = phone(ORGANISER);
  const page = await app.open('organiser/wish/index', { id: toRegister });
  await page.tap({ text: '生活帮扶' });
  await page.type('.input-public-title', PUBLIC_TITLE);
  await page.tap('.btn-register');
  expect(await detail(toRegister)).toMatchObject({ status: 'registered', title: RESIDENT_TITLE, publicTitle: PUBLIC_TITLE });
  await page.tap('.btn-publish');
  expect(await detail(toRegister)).toMatchObject({ status: 'published' });
  const board = ok(await env().call('board', {}, 'demo-member'));
  expect(board.items.find((w: { _id: string }) => w._id === toRegister)).toMatchObject({ title: PUBLIC_TITLE });
  expect(JSON.stringify(board)).not.toContain(RESIDENT_TITLE);
  clean(app);
});

test('关联收回的心愿卡: the card is linked by the 心愿编号 shown on the wish’s page', async () => {
  const app = phone(ORGANISER);
  const wish = await app.open('organiser/wish/index', { id: fromCard });
  const no = wish
    .$('.wish-no')!
    .textContent!.replace(/^心愿编号：/, '')
    .trim();
  expect(no).toBe((await detail(fromCard)).wishNo);
  const cards = await app.open('organiser/cards/index');
  expect(cards.text()).toContain(no); // in the list of card wishes without a card
  await cards.type('.link-card', cardNo);
  await cards.type('.link-wish', no);
  await cards.tap('.btn-link-card');
  expect(cards.text()).toContain(`心愿卡 ${cardNo} 已关联到心愿 ${no}。`);
  expect(await detail(fromCard)).toMatchObject({ cardNo });
  expect(ok(await env().call('wishCards', { mode: 'progress', cardNo }, ORGANISER))).toMatchObject({ linked: true, status: 'collected' });
  clean(app);
});

test('催办: the overdue claim chased once; the form is then gone (the page says why), and a second chase today is refused', async () => {
  const app = phone(ORGANISER);
  const page = await app.open('organiser/wish/index', { id: late });
  expect(page.$('.action-chase')).not.toBeNull();
  await page.type('.input-chase-note', '居民在等，请这两天上门');
  await page.tap('.btn-chase');
  const chased = async () =>
    ok(await env().call('notifications', {}, 'demo-member')).items.filter((n: { kind: string }) => n.kind === 'chased');
  expect((await chased()).map((n: { body: string }) => n.body)).toEqual([expect.stringContaining('居民在等，请这两天上门')]);
  expect(JSON.stringify((await detail(late)).timeline)).toContain('社区催办：居民在等，请这两天上门');
  expect(page.$('.action-chase')).toBeNull(); // not offered again today; the page says why
  expect(page.$('.chased-today')!.textContent).toBe('今天已经催办过，认领人已收到提醒。每个心愿每天最多催办一次，明天可以再催。');
  refused(await env().call('chase', { wishId: late }, ORGANISER), 409, 'WISH.CHASED_TODAY');
  expect(await chased()).toHaveLength(1);
  clean(app);
});

test('销号: the wish waiting for it is closed out; the workbench then shows 待销号 0', async () => {
  const app = phone(ORGANISER);
  const page = await app.open('organiser/wish/index', { id: waiting });
  await page.tap('.btn-close-out');
  expect(await detail(waiting)).toMatchObject({ status: 'closed' });
  const bench = await app.open('organiser/workbench/index');
  const shown = todo(bench);
  expect(shown).toEqual({ 待登记: 2, 待发布: 0, 待销号: 0, 延期申请: 0, 待内容审核: 0, 已逾期: 1 });
  for (const [label, status] of Object.entries(TODO_LISTS)) expect([label, shown[label]]).toEqual([label, await listed(status)]);
  clean(app);
});

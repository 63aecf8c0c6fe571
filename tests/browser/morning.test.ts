/**
 * An organiser's morning on the H5 build (issue 22, "Done when"), at a 320 px phone in large text, through the UI:
 * the workbench's 今日待办 → register a wish with a public title → publish it → print cards → link a returned card by
 * its number (the 心愿编号 read off the wish's page) → import a spreadsheet with a 心愿卡号 column → chase an overdue
 * claim once (the form is then gone, and a second chase the same day is refused) → close out the wish waiting for it, and back on the workbench
 * (the header's back arrow) the figures are current. Each step's outcome is read back through the functions as the
 * organiser (or the member), as well as on the screen. Screenshots of each key screen: tests/browser/screenshots/morning-*.png.
 */
import ExcelJS from 'exceljs';
import { api, dbOf, seedWish, setupBrowser, trigger, ui } from './helpers';
import { TODO_LISTS } from '../workbench-todo';

const ctx = setupBrowser();
const u = ui(ctx);
const page = () => ctx.page;
const chinaDay = (plus: number) => new Date(Date.now() + plus * 864e5 + 8 * 36e5).toISOString().slice(0, 10);

interface Detail {
  _id: string;
  status: string;
  title: string;
  publicTitle?: string;
  summary?: string;
  wishNo?: string;
  cardNo?: string;
}
const detail = (wishId: string) => api<Detail>(ctx, 'demo-organiser', 'wishDetail', { wishId });
/** How many wishes the list behind a tile holds, read through the functions (not the counter the tiles read). */
async function listed(status: string): Promise<number> {
  const r = await api<{ items: unknown[] }>(ctx, 'demo-organiser', 'orgWishes', { status, limit: 20 });
  return r.items.length;
}
/** The 今日待办 strip as shown: label → number. */
async function todo(): Promise<Record<string, number>> {
  const tiles = page().locator('.wb-todo:visible .wb-tile');
  await tiles.first().waitFor();
  const out: Record<string, number> = {};
  for (const t of await tiles.all()) out[await t.locator('.wb-label').innerText()] = Number(await t.locator('.wb-num').innerText());
  return out;
}

/** What sticks out beyond the 320 px phone on the visible page ([] when nothing does). */
async function overflow(): Promise<string[]> {
  return page().evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`document ${document.documentElement.scrollWidth} > ${width}`);
    for (const root of Array.from(document.querySelectorAll<HTMLElement>('.page')).filter((p) => p.offsetParent !== null)) {
      for (const el of [root, ...Array.from(root.querySelectorAll<HTMLElement>('*'))]) {
        const r = el.getBoundingClientRect();
        if (r.width && r.height && (r.right > width + 0.5 || r.left < -0.5))
          out.push(`${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} ${(el.innerText || '').slice(0, 16)}`);
      }
    }
    return out.slice(0, 6);
  });
}
/** A screenshot of the key screen, after checking that nothing sticks out at 320 px. */
async function shot(name: string) {
  await page()
    .locator('.state-loading')
    .waitFor({ state: 'detached', timeout: 5000 })
    .catch(() => undefined);
  // Let the H5 router's slide-in finish: a page on its way in stands partly right of the screen.
  await page().waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page().waitForTimeout(300);
  expect([name, await overflow()]).toEqual([name, []]);
  await u.shot(`morning-${name}`);
}

const RESIDENT_TITLE = '想请人帮忙修厨房的水龙头';
const PUBLIC_TITLE = '老人家厨房水龙头要修';
let toRegister = '';
let fromCard = '';
let late = '';
let waiting = '';
const cards: string[] = [];

beforeAll(async () => {
  // The morning's starting point, as the night left it: three wishes waiting to be registered (two from residents,
  // one entered from a returned paper card whose number was not typed in), one claim past its promised day, one wish
  // the family has given feedback on (待销号).
  toRegister = await seedWish(ctx, RESIDENT_TITLE, 'collected');
  await seedWish(ctx, '想请人陪我去社区医院量血压', 'collected');
  fromCard = (
    await api(ctx, 'demo-organiser', 'collect', {
      title: '周大爷想换个亮一点的灯泡',
      content: '楼道灯泡太暗，晚上看不清台阶',
      contactName: '周大爷',
      contactPhone: '13700002222',
      address: '幸福里小区 6 栋 102',
      channel: 'card',
    })
  )._id;
  late = await seedWish(ctx, '想请人帮忙把旧冰箱搬下楼', 'published');
  await api(ctx, 'demo-member', 'claim', { wishId: late, promisedBy: chinaDay(1) });
  // Time passes: the promise was two days ago (no function takes a past date, so the test moves it), and the nightly
  // reconcile recounts the figures from the wishes as it would find them.
  await dbOf(ctx)
    .collection('wishes')
    .doc(late)
    .update({ 'claim.promisedBy': chinaDay(-2) });
  waiting = await seedWish(ctx, '想请人教我在手机上挂号', 'published');
  await api(ctx, 'demo-member-2', 'claim', { wishId: waiting, promisedBy: chinaDay(3) });
  await api(ctx, 'demo-member-2', 'fulfil', { wishId: waiting, note: '上门教了两次，已经会用了' });
  await api(ctx, 'demo-resident', 'feedback', { wishId: waiting, satisfaction: 'satisfied' });
  await trigger(ctx, 'reconcile');

  // The organiser's phone: 320 px wide, large text on (the switch on the home page).
  await u.as('demo-organiser');
  const sw = page().locator('.large-switch');
  await sw.waitFor();
  if ((await page().locator('.page.large-text').count()) === 0) await sw.click();
  await page().locator('.page.large-text').first().waitFor();
  await page().setViewportSize({ width: 320, height: 740 });
});

test('今日待办: each count is the list it opens, zero only where nothing waits; 待登记 opens the three', async () => {
  await u.tab('tab-workbench');
  await page().locator('.wb-org:visible').waitFor();
  const shown = await todo();
  expect(shown).toEqual({ 待登记: 3, 待发布: 0, 待销号: 1, 延期申请: 0, 待内容审核: 0, 已逾期: 1 });
  for (const [label, status] of Object.entries(TODO_LISTS)) expect([label, shown[label]]).toEqual([label, await listed(status)]);
  // The strip is the first thing under the organisation's card, in large text, on a 320 px phone.
  await shot('0-workbench');
  await page().locator('.wb-todo:visible .wb-tile', { hasText: '待登记' }).click();
  await page().locator('.queue-list .wish-card:visible').nth(2).waitFor();
  expect(await page().locator('.queue-list .wish-card:visible').count()).toBe(3);
  await page().locator('.queue-list .wish-card:visible').first().scrollIntoViewIfNeeded();
  await shot('1-to-register');
});

test('登记: the public title is prefilled with a suggestion that is not the resident’s, confirmed as typed', async () => {
  await page().locator('.queue-list .wish-card:visible', { hasText: RESIDENT_TITLE }).click();
  await page().locator('.action-register').waitFor();
  await page().locator('.category-chips .chip', { hasText: '生活帮扶' }).click();
  const suggested = await page().locator('.input-public-title input').inputValue();
  expect(suggested).not.toBe('');
  expect(suggested).not.toContain('水龙头'); // made from the category, never from the resident's words
  expect(await page().locator('.input-summary textarea').inputValue()).not.toContain('水龙头');
  await u.fill('input-public-title', PUBLIC_TITLE);
  await page().locator('.input-public-title').scrollIntoViewIfNeeded();
  await shot('2-register-form');
  await page().locator('.btn-register').click();
  await u.status('已登记');
  const w = await detail(toRegister);
  expect(w).toMatchObject({ status: 'registered', title: RESIDENT_TITLE, publicTitle: PUBLIC_TITLE });
  expect(w.summary).toBeTruthy();
  expect(w.summary).not.toContain(RESIDENT_TITLE);
});

test('发布: the wish goes to the board under its public title only', async () => {
  await page().locator('.action-publish').waitFor();
  expect(await page().locator('.input-publish-title input').inputValue()).toBe(PUBLIC_TITLE);
  await page().locator('.btn-publish').click();
  await u.status('待认领');
  await page().locator('.wish-status').scrollIntoViewIfNeeded();
  await shot('3-published');
  expect(await detail(toRegister)).toMatchObject({ status: 'published' });
  const board = await api<{ items: Array<{ _id: string; title: string }> }>(ctx, 'demo-member', 'board', {});
  expect(board.items.find((x) => x._id === toRegister)).toMatchObject({ title: PUBLIC_TITLE });
  expect(JSON.stringify(board)).not.toContain(RESIDENT_TITLE);
  expect(JSON.stringify(board)).not.toContain('请帮帮忙'); // the resident's content (seedWish)
});

test('印制心愿卡: a sheet of two numbered cards, not yet linked to any wish', async () => {
  await u.go('/organiser/cards/index');
  await u.fill('card-count', '2');
  await page().locator('.btn-make-cards').click();
  await page().locator('.wish-card-print').nth(1).waitFor();
  expect(await page().locator('.wish-card-print').count()).toBe(2);
  for (const c of await page().locator('.wish-card-print').all())
    cards.push(/卡号 ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(await c.innerText())![1]!);
  expect(new Set(cards).size).toBe(2);
  await shot('4-cards');
  for (const cardNo of cards)
    expect(await api(ctx, 'demo-organiser', 'wishCards', { mode: 'progress', cardNo })).toMatchObject({ cardNo, linked: false });
});

test('关联收回的心愿卡: the card is linked by the 心愿编号 read off the wish’s page', async () => {
  await u.wish(fromCard, true);
  const no = (await page().locator('.wish-no:visible').innerText()).replace(/^心愿编号：/, '').trim();
  expect(no).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  expect(no).toBe((await detail(fromCard)).wishNo);
  await shot('5-wish-number');

  await u.go('/organiser/cards/index');
  // The wish waits in the list of card wishes without a card, under the same number.
  await page().locator('.unlinked-wish', { hasText: no }).waitFor();
  await u.fill('link-card', cards[0]!.toLowerCase()); // typed as read off the card: case forgiven
  await u.fill('link-wish', no);
  await page().locator('.btn-link-card').click();
  const done = page().locator('.card-line', { hasText: '已关联到心愿' });
  await done.waitFor();
  expect(await done.innerText()).toBe(`心愿卡 ${cards[0]} 已关联到心愿 ${no}。`);
  await expect(page().locator('.unlinked-wish', { hasText: no }).count()).resolves.toBe(0);
  await done.scrollIntoViewIfNeeded();
  await shot('6-card-linked');
  expect(await detail(fromCard)).toMatchObject({ cardNo: cards[0] });
  expect(await api(ctx, 'demo-organiser', 'wishCards', { mode: 'progress', cardNo: cards[0] })).toMatchObject({
    linked: true,
    status: 'collected',
  });
});

test('批量导入: a row with a 心愿卡号 is entered and linked to that card', async () => {
  const t = await api<{ url: string }>(ctx, 'demo-organiser', 'importBatch', { mode: 'template' });
  const tpl = new ExcelJS.Workbook();
  await tpl.xlsx.load((await (await fetch(t.url)).arrayBuffer()) as ArrayBuffer);
  const sheet = tpl.getWorksheet('心愿')!;
  expect(sheet.getRow(2).values).toContain('心愿卡号');
  const col = (sheet.getRow(2).values as unknown[]).indexOf('心愿卡号');
  const row = sheet.getRow(3);
  row.values = ['吴阿姨', '13900003333', '幸福里小区 4 栋 301', '想请人帮忙修纱窗', '夏天蚊子多，纱窗破了', '心愿卡'];
  row.getCell(col).value = cards[1]!;
  const bytes = Buffer.from(await tpl.xlsx.writeBuffer());

  await u.go('/organiser/ledgers/index');
  await page().locator('.btn-import').waitFor();
  const [chooser] = await Promise.all([page().waitForEvent('filechooser'), page().locator('.btn-import').click()]);
  await chooser.setFiles({
    name: '心愿卡收回.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: bytes,
  });
  await page().locator('.import-counts').waitFor();
  expect(await page().locator('.import-counts').innerText()).toBe('共 1 行：新录入 1 条，已录入过 0 条，未通过 0 条。');
  expect(await page().locator('.import-issue').count()).toBe(0);
  await page().locator('.import-report').scrollIntoViewIfNeeded();
  await shot('7-imported');
  expect(await api(ctx, 'demo-organiser', 'wishCards', { mode: 'progress', cardNo: cards[1] })).toMatchObject({
    linked: true,
    status: 'collected',
  });
  const collected = await api<{ items: Array<{ title: string; cardNo?: string; channel: string }> }>(ctx, 'demo-organiser', 'orgWishes', {
    status: 'collected',
  });
  expect(collected.items.find((x) => x.title === '想请人帮忙修纱窗')).toMatchObject({ cardNo: cards[1], channel: 'card' });
});

test('催办: the overdue claim from 今日待办, chased once; then the page says so in place of the form, and a second chase the same day is refused, nothing sent', async () => {
  await u.go('/organiser/workbench/index');
  const red = page().locator('.wb-todo:visible .wb-tile', { hasText: '已逾期' });
  await red.waitFor();
  expect(await red.locator('.wb-num').innerText()).toBe('1');
  await red.click();
  const card = page().locator('.queue-list .wish-card:visible', { hasText: '想请人帮忙把旧冰箱搬下楼' });
  await card.waitFor();
  expect(await card.innerText()).toContain('李明'); // who holds it is named
  await card.click();
  await page().locator('.action-chase').waitFor();
  expect(await page().locator('.claim-info').innerText()).toContain('李明');
  await u.fill('input-chase-note', '居民在等，请这两天上门');
  await page().locator('.btn-chase').click();
  await page().locator('.timeline', { hasText: '社区催办：居民在等，请这两天上门' }).first().waitFor();
  const chased = async () =>
    (await api<{ items: Array<{ kind: string; body: string }> }>(ctx, 'demo-member', 'notifications', {})).items.filter(
      (n) => n.kind === 'chased',
    );
  expect((await chased()).map((n) => n.body)).toEqual([expect.stringContaining('居民在等，请这两天上门')]);
  // Chased today: in place of the form, the page says so and when it comes back (the operation is not offered again),
  // and a second chase through the functions is refused with nothing sent.
  await page().locator('.action-chase').waitFor({ state: 'detached' });
  expect(await page().locator('.chased-today').innerText()).toBe(
    '今天已经催办过，认领人已收到提醒。每个心愿每天最多催办一次，明天可以再催。',
  );
  await page().locator('.action-chased-today').scrollIntoViewIfNeeded();
  await shot('8-chased');
  await expect(api(ctx, 'demo-organiser', 'chase', { wishId: late, note: '再催一次' })).rejects.toThrow('WISH.CHASED_TODAY');
  expect(await chased()).toHaveLength(1);
  expect(await detail(late)).toMatchObject({ status: 'claimed' });
});

test('销号: from 待销号 to 已办结; back on the workbench (header’s back arrow) the strip is current', async () => {
  await u.go('/organiser/workbench/index');
  await page().locator('.wb-todo:visible .wb-tile', { hasText: '待销号' }).click();
  const card = page().locator('.queue-list .wish-card:visible', { hasText: '想请人教我在手机上挂号' });
  await card.waitFor();
  await card.click();
  await page().locator('.btn-close-out').click();
  await u.status('已办结');
  expect(await detail(waiting)).toMatchObject({ status: 'closed' });
  await page().locator('.wish-status').scrollIntoViewIfNeeded();
  await shot('9-closed');
  // Back twice (wish → list → workbench) with the header's arrow: the workbench reads its figures again.
  for (const at of ['/organiser/queue/index', '/organiser/workbench/index']) {
    await page().locator('.taro-navigation-bar-back').click();
    await page().waitForFunction((p) => location.hash.includes(p), at);
  }
  await page().locator('.wb-todo:visible .wb-tile', { hasText: '待销号' }).locator('.wb-num', { hasText: /^0$/ }).waitFor();
  const shown = await todo();
  // 待登记: three, less the one registered, plus the imported one; 已逾期 stays until the claimer delivers.
  expect(shown).toEqual({ 待登记: 3, 待发布: 0, 待销号: 0, 延期申请: 0, 待内容审核: 0, 已逾期: 1 });
  for (const [label, status] of Object.entries(TODO_LISTS)) expect([label, shown[label]]).toEqual([label, await listed(status)]);
  await shot('10-workbench-after');
});

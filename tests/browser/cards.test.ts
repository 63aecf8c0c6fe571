/**
 * Paper wish cards in Chromium (issue 11): the organiser's print page renders a sheet of cards with Chinese text and a
 * QR code that a decoder reads back (jsQR on the screenshot) as the card's own progress page; that page, opened from
 * the decoded URL, shows the wish's stages with no personal data. In print, only the cards are on the page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { SHOTS, api, dbOf, setupBrowser, ui } from './helpers';

process.env.ORG_CACHE_MS = '0'; // the local cloud (started with this environment) reads the changed cardReturnTo at once

const ctx = setupBrowser();
const u = ui(ctx);
const page = () => ctx.page;

function decode(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data ?? null;
}

test('a printed sheet: Chinese text, readable QR codes to each card’s page, which shows the progress and nothing personal', async () => {
  // Where filled-in cards go back (the organisation's cardReturnTo): a long one, two lines beside the code.
  const RETURN_TO = '幸福里社区居委会一楼服务大厅（周一至周五上午八点半到下午五点）';
  await dbOf(ctx).collection('orgs').doc('demo-community').update({ cardReturnTo: RETURN_TO });
  await u.as('demo-organiser');
  await u.go('/organiser/cards/index');
  await u.fill('card-count', '4');
  await page().locator('.btn-make-cards').click();
  await page().locator('.wish-card-print').nth(3).waitFor();
  expect(await page().locator('.wish-card-print').count()).toBe(4);
  const first = page().locator('.wish-card-print').first();
  const text = await first.innerText();
  expect(text).toContain('幸福里社区 · 微心愿卡');
  expect(text).toContain('我的心愿');
  const cardNo = /卡号 ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(text)![1]!;
  expect(text).toMatch(/查询码\s*\d{6}/);
  expect(text).toContain(`填好后请交回：${RETURN_TO}`);
  // The QR code as printed (a screenshot of the card), read back by a decoder.
  const shot = await first.screenshot({ path: join(SHOTS, 'wish-card.png') });
  const url = decode(shot);
  expect(url).toBe(`${ctx.base}/#/card/index?no=${cardNo}`);
  // Printing hides the form and the header: only the cards.
  // At an A4 page's width (794 CSS px), each card holds all its lines: nothing is cut off or runs into the next card.
  const screenSize = page().viewportSize()!;
  await page().setViewportSize({ width: 794, height: 1123 });
  await page().emulateMedia({ media: 'print' });
  expect(await page().locator('.no-print').first().isVisible()).toBe(false);
  expect(await page().locator('#taro-navigation-bar').isVisible()).toBe(false);
  const overflow = await page()
    .locator('.wish-card-print')
    .evaluateAll((cards) => cards.map((c) => c.scrollHeight - c.clientHeight));
  expect(overflow).toEqual([0, 0, 0, 0]);
  // The PIN's box lies inside the card's inner edge (its padding kept: never on the cut line, issue 22: it sat on the
  // border, 258 px of content in a 247 px card), and the six digits inside that box; the stub stays one line.
  const boxes = await page()
    .locator('.wish-card-print')
    .evaluateAll((cards) =>
      cards.map((c) => {
        const card = c.getBoundingClientRect();
        const s = getComputedStyle(c);
        const edge = (side: 'Top' | 'Bottom' | 'Left' | 'Right') => parseFloat(s[`border${side}Width`]) + parseFloat(s[`padding${side}`]);
        const fuzz = 0.5; // sub-pixel layout: the box ends at the content edge on the right
        const inner = {
          top: card.top + edge('Top') - fuzz,
          bottom: card.bottom - edge('Bottom') + fuzz,
          left: card.left + edge('Left') - fuzz,
          right: card.right - edge('Right') + fuzz,
        };
        const pin = c.querySelector('.wc-pin')!.getBoundingClientRect();
        const no = c.querySelector('.wc-pin-no')!.getBoundingClientRect();
        return {
          inCard: pin.top >= inner.top && pin.bottom <= inner.bottom && pin.left >= inner.left && pin.right <= inner.right,
          inBox: no.top >= pin.top && no.bottom <= pin.bottom && no.left >= pin.left && no.right <= pin.right,
          oneLine: c.querySelector('.wc-stub-text')!.getBoundingClientRect().height <= pin.height * 1.2,
        };
      }),
    );
  expect(boxes).toEqual(Array(4).fill({ inCard: true, inBox: true, oneLine: true }));
  await page().screenshot({ path: join(SHOTS, 'wish-cards-print.png'), fullPage: true });
  await page().emulateMedia({ media: 'screen' });
  await page().setViewportSize(screenSize);

  // The card comes back filled in: the organiser enters it (channel 心愿卡) and links it.
  const wish = await api(ctx, 'demo-organiser', 'collect', {
    title: '王秀英想修好家里的灯',
    content: '灯坏了，晚上看不见',
    contactName: '王秀英',
    contactPhone: '13800005555',
    address: '幸福里小区 8 栋 101',
    channel: 'card',
  });
  await api(ctx, 'demo-organiser', 'wishCards', { mode: 'link', cardNo, wishId: wish._id });
  await api(ctx, 'demo-organiser', 'register', {
    wishId: wish._id,
    category: '生活帮扶',
    track: 'individual',
    summary: '居民家里的灯需要维修',
  });
  await api(ctx, 'demo-organiser', 'publish', { wishId: wish._id });
  await api(ctx, 'demo-member', 'claim', {
    wishId: wish._id,
    promisedBy: new Date(Date.now() + 8 * 3600_000 + 3 * 86_400_000).toISOString().slice(0, 10),
  });

  // Her daughter scans it (here: opens the decoded URL, signed in as someone else entirely).
  await u.as('demo-member-2');
  await page().goto('about:blank');
  await page().goto(url!);
  await page().locator('.card-claimed').waitFor();
  const shown = await page().locator('.card-view').innerText();
  expect(shown).toContain('已被幸福里社区党员认领');
  expect(shown).toContain('党员已认领');
  expect(shown).toMatch(/承诺 \d+月\d+日前办好/);
  for (const personal of ['王秀英', '13800005555', '幸福里小区 8 栋 101', '灯坏了', '李明']) expect(await u.text()).not.toContain(personal);
  await u.shot('card-progress');
  expect(readFileSync(join(SHOTS, 'card-progress.png')).length).toBeGreaterThan(1000);
});

test('a receipt (回执) for a hotline wish: opened from the organiser’s wish page, printed with a QR code that reads back as the card’s page', async () => {
  const wish = await api(ctx, 'demo-organiser', 'collect', {
    title: '电话里说想请人帮忙修水管',
    content: '厨房水管漏水',
    contactName: '张桂兰',
    contactPhone: '13800006666',
    address: '幸福里小区 2 栋 302',
    channel: 'hotline',
  });
  await u.as('demo-organiser');
  await u.go(`/organiser/wish/index?id=${wish._id}`);
  await page().locator('.btn-receipt').click();
  await page().locator('.btn-make-receipt').click();
  const receipt = page().locator('.wish-receipt');
  await receipt.waitFor();
  const text = await receipt.innerText();
  expect(text).toContain('幸福里社区 · 微心愿回执');
  expect(text).toContain('心愿热线');
  expect(text).toMatch(/查询码 \d{6}/);
  for (const personal of ['张桂兰', '13800006666', '2 栋 302', '水管漏水']) expect(text).not.toContain(personal);
  const cardNo = /卡号 ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(text)![1]!;
  const url = decode(await receipt.screenshot({ path: join(SHOTS, 'wish-receipt.png') }));
  expect(url).toBe(`${ctx.base}/#/card/index?no=${cardNo}`);
  await page().emulateMedia({ media: 'print' });
  expect(await page().locator('.no-print').first().isVisible()).toBe(false);
  await page().emulateMedia({ media: 'screen' });
  // The resident's son scans it: the wish is received, nothing personal.
  await u.as('demo-member-2');
  await page().goto('about:blank');
  await page().goto(url!);
  await page().locator('.card-stage').first().waitFor();
  expect(await page().locator('.card-view').innerText()).toContain('收到心愿');
  for (const personal of ['张桂兰', '13800006666', '水管漏水']) expect(await u.text()).not.toContain(personal);
});

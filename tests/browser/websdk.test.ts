/**
 * The pages anyone may open, through CloudBase's web client (issue 23): the card page (progress, PIN feedback, a
 * wrong PIN refused), the card page opened from a receipt's card number, and 公开栏 — each calling its functions with
 * the real @cloudbase/js-sdk (anonymous sign-in, callFunction) against the local cloud's copy of the gateway's wire
 * (localcloud/gateway.ts), never the local /api.
 */
import { join } from 'node:path';
import { SHOTS, api, seedWish, setupBrowser } from './helpers';

const ctx = setupBrowser();
const page = () => ctx.page;
const seen: string[] = [];

/** A fresh load (the web-cloud switch is on from the first script: transport.h5.ts webCloud, the same build). */
async function open(path: string) {
  await page().goto('about:blank');
  await page().goto(`${ctx.base}/#${path}`);
}

beforeAll(async () => {
  await page().addInitScript(() => localStorage.setItem('web-cloud', 'js-sdk'));
  page().on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (p.startsWith('/api/') || p.startsWith('/v1/') || p.startsWith('/auth/')) seen.push(`${r.method()} ${p}`);
  });
});

test('the card page through js-sdk: progress, a wrong PIN refused, then feedback with the right PIN', async () => {
  const sheet = await api<{ cards: Array<{ cardNo: string; pin: string }> }>(ctx, 'demo-organiser', 'wishCards', {
    mode: 'issue',
    count: 1,
  });
  const { cardNo, pin } = sheet.cards[0]!;
  const id = await seedWish(ctx, '想请人换个灯泡', 'published');
  await api(ctx, 'demo-organiser', 'wishCards', { mode: 'link', cardNo, wishId: id });
  await api(ctx, 'demo-member', 'claim', { wishId: id, promisedBy: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10) });
  await api(ctx, 'demo-member', 'fulfil', { wishId: id, note: '已经换好了灯泡' });
  seen.length = 0;

  await open(`/card/index?no=${cardNo}`);
  await page().locator('.card-feedback').waitFor();
  expect(await page().locator('.card-view').innerText()).toContain('收到心愿');
  await page().screenshot({ path: join(SHOTS, 'card-js-sdk.png'), fullPage: true });
  // Signed in anonymously, then the function called through the gateway's route: never the local /api.
  expect(seen).toContain('POST /auth/v1/signin/anonymously');
  expect(seen).toContain('POST /v1/functions/wishCards');
  expect(seen.filter((s) => s.includes('/api/'))).toEqual([]);

  await page().locator('.chip-satisfied').click();
  await page()
    .locator('.card-pin')
    .locator('input')
    .first()
    .fill(pin === '000000' ? '000001' : '000000');
  await page().locator('.btn-card-feedback').click();
  await page()
    .locator('.form-error')
    .filter({ hasText: /查询码/ })
    .waitFor();
  expect(await page().locator('.card-thanks').count()).toBe(0);

  await page().locator('.card-pin').locator('input').first().fill(pin);
  await page().locator('.btn-card-feedback').click();
  await page().locator('.card-thanks').waitFor();
  expect(seen.filter((s) => s.includes('/api/'))).toEqual([]);
});

test('a receipt’s card and 公开栏 through js-sdk', async () => {
  const w = await api(ctx, 'demo-organiser', 'collect', {
    title: '电话里说想请人帮忙修水管',
    content: '厨房水管漏水',
    contactName: '张桂兰',
    contactPhone: '13800006666',
    address: '幸福里小区 2 栋 302',
    channel: 'hotline',
  });
  const receipt = await api<{ cardNo: string }>(ctx, 'demo-organiser', 'wishCards', { mode: 'receipt', wishId: w._id });
  seen.length = 0;
  await open(`/card/index?no=${receipt.cardNo}`);
  await page().locator('.card-stage').first().waitFor();
  expect(await page().locator('.card-view').innerText()).toContain('收到心愿');
  expect(await page().locator('body').innerText()).not.toContain('张桂兰');

  await open('/public/index');
  await page().locator('.pub-figure').first().waitFor();
  expect(seen).toContain('POST /v1/functions/publicResults');
  expect(seen.filter((s) => s.includes('/api/'))).toEqual([]);
  await page().screenshot({ path: join(SHOTS, 'public-js-sdk.png'), fullPage: true });
});

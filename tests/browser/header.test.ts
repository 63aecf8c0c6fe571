/**
 * The H5 build's header (Taro's navigation bar, shown because app.config.ts sets navigationStyle 'default'): the page
 * title everywhere, a back button on an inner page reached from another, which goes back; and a favicon.
 */
import { setupBrowser, ui } from './helpers';

const ctx = setupBrowser();
const u = ui(ctx);
const page = () => ctx.page;
const bar = () => page().locator('#taro-navigation-bar');

test('the header shows the page title, a back button on inner pages that goes back, and the tab has a favicon', async () => {
  await u.as('demo-resident');
  await bar().waitFor();
  expect(await bar().locator('.taro-navigation-bar-title').innerText()).toBe('微心愿');
  expect(await page().locator('.taro-navigation-bar-back').isVisible()).toBe(false);
  const icon = await page().locator('link[rel="icon"]').getAttribute('href');
  expect(icon).toMatch(/^data:image\/svg\+xml,/);

  // 我的心愿 on the home page opens the page on top of it (a tab of the bottom bar replaces the page instead, and
  // the header then offers 首页 rather than back).
  await page().locator('.btn-mine:visible').click();
  await page().waitForFunction(() => location.hash.includes('/pages/mine/index'));
  await page().locator('.taro-navigation-bar-back').waitFor();
  expect(await bar().locator('.taro-navigation-bar-title').innerText()).toBe('我的心愿');
  await u.shot('header-inner-page');

  await page().locator('.taro-navigation-bar-back').click();
  await page().waitForFunction(() => location.hash.includes('/pages/index/index'));
  await page().waitForFunction(() => document.querySelector('#taro-navigation-bar .taro-navigation-bar-title')?.textContent === '微心愿');
  expect(await page().locator('.taro-navigation-bar-back').isVisible()).toBe(false);

  await u.tab('tab-notices');
  await page().waitForFunction(() => location.hash.includes('/pages/notices/index'));
  await page().locator('.taro-navigation-bar-home').waitFor();
  expect(await bar().locator('.taro-navigation-bar-title').innerText()).toBe('消息');
});

/**
 * Every page at a 320px and a 390px wide phone, in normal and large text (issue 10): nothing may stick out
 * to the right (no horizontal scrolling, nothing cut off), also while the H5 router slides a page in, and the document
 * is never taller than the screen (issue 22: the header must not scroll away). The
 * typed text in large-text mode must be as large as the labels. Large-text screenshots of each role's main
 * screens land in tests/browser/screenshots/layout-*.png.
 */
import { api, seedWish, setupBrowser, ui } from './helpers';

const ctx = setupBrowser();
const u = ui(ctx);
const page = () => ctx.page;
const chinaDay = (plus: number) => new Date(Date.now() + plus * 864e5 + 8 * 36e5).toISOString().slice(0, 10);

/** What sticks out beyond the viewport's right edge on the visible page ([] when nothing does). */
async function overflow(): Promise<string[]> {
  return page().evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`document ${document.documentElement.scrollWidth} > ${width}`);
    // Nor taller than the screen: each page scrolls inside itself, under the header (a taller document scrolled the
    // whole app and left a band over the header).
    if (document.documentElement.scrollHeight > window.innerHeight + 0.5)
      out.push(`document height ${document.documentElement.scrollHeight} > ${window.innerHeight}`);
    const visiblePage = Array.from(document.querySelectorAll<HTMLElement>('.page')).filter(
      (p) => p.offsetParent !== null || getComputedStyle(p).position === 'fixed',
    );
    for (const root of visiblePage) {
      for (const el of [root, ...Array.from(root.querySelectorAll<HTMLElement>('*'))]) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.right > width + 0.5 || r.left < -0.5) {
          const text = (el.innerText || '').slice(0, 20).replace(/\s+/g, ' ');
          out.push(
            `${el.tagName.toLowerCase()}.${String(el.className).split(' ').slice(0, 3).join('.')} [${Math.round(r.left)}..${Math.round(r.right)}] ${text}`,
          );
        }
      }
      if (root.scrollWidth > root.clientWidth + 0.5) out.push(`.page scrollWidth ${root.scrollWidth} > ${root.clientWidth}`);
    }
    return out.slice(0, 8);
  });
}

/** Load `path`, wait for it to settle (no loading state), and check it at both widths (the screenshot shows `ready`). */
async function check(name: string, path: string, ready: string, large: boolean, shot = false, scroll = false) {
  for (const width of [320, 390]) {
    await page().setViewportSize({ width, height: 740 });
    await u.go(path);
    await page().locator(ready).first().waitFor();
    await page()
      .locator('.state-loading')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await page().waitForTimeout(150);
    expect([name, width, large ? 'large' : 'normal', await overflow()]).toEqual([name, width, large ? 'large' : 'normal', []]);
    if (shot && large) {
      if (scroll) await page().locator(ready).first().scrollIntoViewIfNeeded();
      await u.shot(`layout-${name}-large-${width}`);
    }
  }
}

async function setLarge(large: boolean) {
  await page().setViewportSize({ width: 390, height: 740 });
  await u.go('/pages/index/index');
  const sw = page().locator('.large-switch');
  await sw.waitFor();
  if ((await page().locator('.page.large-text').count()) !== (large ? 1 : 0)) await sw.click();
  await page()
    .locator(large ? '.page.large-text' : '.page:not(.large-text)')
    .first()
    .waitFor();
}

let posted = '';
let claimed = '';
beforeAll(async () => {
  posted = await seedWish(ctx, '想请人帮我把阳台上那台很旧很重的洗衣机搬到楼下', 'published');
  claimed = await seedWish(ctx, '想请人每周陪我去一次菜市场买菜', 'published', { urgent: true });
  await api(ctx, 'demo-member', 'claim', { wishId: claimed, promisedBy: chinaDay(5) });
  await api(ctx, 'demo-member', 'progress', { wishId: claimed, note: '已电话联系王阿姨，约好周六上午九点在楼下见面，一起去菜市场' });
});

for (const large of [false, true]) {
  const mode = large ? 'large' : 'normal';

  test(`resident pages (${mode})`, async () => {
    await u.as('demo-resident');
    await setLarge(large);
    await check('resident-home', '/pages/index/index', '.whoami', large, true);
    await check('resident-post', '/pages/post/index', '.post-form', large, true);
    await check('resident-mine', '/pages/mine/index', '.wish-card', large, true);
    await check('resident-wish', `/pages/wish/index?id=${claimed}`, '.wish-status', large, true);
    await check('resident-notices', '/pages/notices/index', '.notice', large, true);
    await check('resident-data', '/account/data/index', '.page', large);
    await check('resident-consent', '/consent/index', '.page', large);
  });

  test(`member pages (${mode})`, async () => {
    await u.as('demo-member');
    await setLarge(large);
    await check('member-board', '/member/board/index', '.board-card', large, true);
    await check('member-claims', '/member/claims/index', '.wish-card', large, true);
    await check('member-wish', `/pages/wish/index?id=${claimed}`, '.wish-status', large, true);
    await check('member-join', '/account/join/index', '.page', large);
  });

  test(`organiser pages (${mode})`, async () => {
    await u.as('demo-organiser');
    await setLarge(large);
    await check('organiser-queue', '/organiser/queue/index', '.status-tabs', large, true);
    await check('organiser-workbench', '/organiser/workbench/index', '.wb-months', large, true, true);
    await check('organiser-wish', `/organiser/wish/index?id=${posted}`, '.wish-status', large, true);
    await check('organiser-members', '/organiser/members/index', '.page', large, true);
    await check('organiser-moderation', '/organiser/moderation/index', '.page', large);
    await check('organiser-audit', '/organiser/audit/index', '.page', large, true);
    await check('organiser-post', '/pages/post/index', '.post-form', large);
  });
}

test('large text reaches what is typed: the textarea and inputs are as large as their labels, inside their border', async () => {
  await u.as('demo-resident');
  await setLarge(true);
  await page().setViewportSize({ width: 320, height: 740 });
  await u.go('/pages/post/index');
  await u.fill('input-content', '厨房水龙头一直滴水');
  const sizes = await page().evaluate(() => {
    const px = (sel: string) => parseFloat(getComputedStyle(document.querySelector(sel)!).fontSize);
    const box = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
    const outer = box('.input-content');
    const inner = box('.input-content textarea');
    return {
      label: px('.field-label'),
      typedTitle: px('.input-title input'),
      typedContent: px('.input-content textarea'),
      button: px('.btn-next'),
      innerInsideBorder: inner.bottom <= outer.bottom - 1.5, // the 2px bottom border stays visible
    };
  });
  expect(sizes.typedTitle).toBeGreaterThanOrEqual(sizes.label);
  expect(sizes.typedContent).toBeGreaterThanOrEqual(sizes.label);
  expect(sizes.button).toBeGreaterThanOrEqual(sizes.label);
  expect(sizes.innerInsideBorder).toBe(true);
});

test('the document never becomes wider than the phone while a page slides in', async () => {
  await u.as('demo-resident');
  await page().setViewportSize({ width: 320, height: 740 });
  await u.go('/pages/mine/index');
  await page().locator('.wish-card').first().waitFor();
  // Sample the document width on every frame while the router animates to the next page.
  await page().evaluate(() => {
    const w = window as unknown as { __widest: number; __sampling: boolean };
    w.__widest = 0;
    w.__sampling = true;
    const tick = () => {
      w.__widest = Math.max(w.__widest, document.documentElement.scrollWidth, document.body.scrollWidth);
      if (w.__sampling) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page().locator('.wish-card').first().click(); // navigateTo: the wish page slides in from the right
  await page().locator('.wish-status').waitFor();
  await page().waitForTimeout(500);
  const widest = await page().evaluate(() => {
    const w = window as unknown as { __widest: number; __sampling: boolean };
    w.__sampling = false;
    return w.__widest;
  });
  expect(widest).toBeLessThanOrEqual(320);
});

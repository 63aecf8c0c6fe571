/**
 * The resident (居民) in Chromium: large-text mode that stays on, posting in three screens, the
 * parcel-style timeline in plain words, withdrawing an unclaimed wish, 不满意 sending it back for rework,
 * and the notices page. Setup through the functions over HTTP, the behaviour through the UI.
 */
import { api, seedWish, setupBrowser, ui } from './helpers';

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const ctx = setupBrowser();
const u = ui(ctx);
const page = () => ctx.page;

test('large text stays on; a wish is posted in three screens and its timeline reads plainly', async () => {
  await u.as('demo-resident');
  await page().locator('.large-switch').click();
  await page().locator('.page.large-text').waitFor();
  await u.shot('resident-0-home-large');
  // Kept in storage: a reload (a new launch) still has it, and so does every other page.
  await page().reload();
  await page().locator('.whoami').waitFor();
  expect(await page().locator('.page.large-text').count()).toBe(1);
  expect(await page().locator('.large-switch-state').innerText()).toContain('已打开');
  // The resident's tab bar.
  expect(await page().locator('.tabbar:visible .tabbar-item .tabbar-label').allInnerTexts()).toEqual(['首页', '许愿', '我的心愿', '消息']);

  await u.tab('tab-post');
  await page().locator('.post-form.post-step-1').waitFor();
  expect(await page().locator('.page.large-text').count()).toBe(1);
  await page().locator('.btn-next').click();
  expect((await page().locator('.field-error').first().innerText()).trim()).toBe('请填写“您需要什么帮助”');
  await u.fill('input-title', '想请人帮我修一下水龙头');
  await u.fill('input-content', '厨房水龙头一直滴水，我腿脚不方便');
  await u.shot('resident-1-post-step1');
  await page().locator('.btn-next').click();
  await page().locator('.post-form.post-step-2').waitFor();
  await u.fill('input-contact-name', '王秀英');
  await u.fill('input-contact-phone', '1380000');
  await page().locator('.btn-next').click();
  // Each problem under its own field, in the words on screen; fixing a field takes its problem away.
  const problem = (cls: string) =>
    page()
      .locator('.field', { has: page().locator(`.${cls}`) })
      .locator('.field-error');
  expect((await problem('input-contact-phone').innerText()).trim()).toBe(
    '联系电话：请填写 11 位手机号，或带区号的固定电话（如 0731-12345678）',
  );
  expect((await problem('input-address').innerText()).trim()).toBe('请填写“住址”');
  await u.fill('input-contact-phone', '138 0000 2222');
  await problem('input-contact-phone').waitFor({ state: 'detached' });
  await u.fill('input-address', '幸福里小区 5 栋 302');
  await problem('input-address').waitFor({ state: 'detached' });
  await u.shot('resident-2-post-step2');
  await page().locator('.btn-next').click();
  await page().locator('.post-form.post-step-3').waitFor();
  expect(await page().locator('.post-review').innerText()).toContain('13800002222');
  // An optional photo (H5: the file chooser, then photoUpload and the signed PUT on the local cloud).
  const [chooser] = await Promise.all([page().waitForEvent('filechooser'), page().locator('.btn-add-photo').click()]);
  await chooser.setFiles({ name: 'tap.png', mimeType: 'image/png', buffer: PNG });
  await page().locator('.post-form .photo').first().waitFor();
  await u.shot('resident-3-post-step3');
  await page().locator('.btn-submit').click();
  await u.status('待登记');
  // The photo is on the wish, loaded from the local cloud's storage.
  const photo = page().locator('.wish-photos .photo img, .wish-photos img').first();
  await photo.waitFor();
  // A signed temporary URL (fileUrls) that really serves the image: it loads with a size.
  await page().waitForFunction(
    (el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0,
    await photo.elementHandle(),
  );
  expect(await photo.getAttribute('src')).toMatch(/\/files\/uploads\/[0-9a-f]{16}\/[0-9a-f]{32}\.(png|jpg)\?sign=\d+\.[0-9a-f]{64}$/);
  const first = page().locator('.timeline-entry').first();
  expect(await first.locator('.timeline-note').innerText()).toBe('心愿已提交，等待社区登记');
  expect(await first.locator('.timeline-meta').innerText()).toMatch(/^居民 · \d+月\d+日 周. \d\d:\d\d$/);
  await u.shot('resident-4-posted');
});

test('withdraw a wish nobody has claimed yet; a claimed one offers no withdraw', async () => {
  const open = await seedWish(ctx, '想要一副老花镜', 'published');
  const taken = await seedWish(ctx, '想请人陪我去医院', 'published');
  await api(ctx, 'demo-member', 'claim', {
    wishId: taken,
    promisedBy: new Date(Date.now() + 5 * 864e5 + 8 * 36e5).toISOString().slice(0, 10),
  });

  await u.as('demo-resident');
  await u.wish(taken);
  await u.status('办理中');
  expect(await page().locator('.btn-withdraw').count()).toBe(0);

  await u.wish(open);
  await page().locator('.btn-withdraw').click();
  await page().locator('.taro-model__confirm').click(); // 撤回 in the confirm dialog
  await u.status('已撤回');
  expect(await page().locator('.end-note').innerText()).toContain('已撤回，不再办理');
  expect(await page().locator('.timeline-entry').first().locator('.timeline-action').innerText()).toBe('撤回');
  await u.shot('resident-5-withdrawn');
});

test('不满意 sends the wish back for rework and says so; notices tell the resident', async () => {
  const id = await seedWish(ctx, '想请人帮忙换灯泡', 'published');
  const day = new Date(Date.now() + 3 * 864e5 + 8 * 36e5).toISOString().slice(0, 10);
  await api(ctx, 'demo-member', 'claim', { wishId: id, promisedBy: day });
  await api(ctx, 'demo-member', 'fulfil', { wishId: id, note: '已经换好了客厅的灯泡' });

  await u.as('demo-resident');
  await u.wish(id);
  await u.status('待反馈');
  // The claim line reads in plain words and says who is coming: "党员李明（幸福里社区）已认领，承诺 11月30日前完成".
  expect(await page().locator('.timeline-note', { hasText: '已认领' }).innerText()).toMatch(
    /^党员李明（.+）已认领，承诺 \d+月\d+日 ?前完成$/,
  );
  expect(await page().locator('.fulfilment').innerText()).toContain('已经换好了客厅的灯泡');
  await page().locator('.chip-unsatisfied').click();
  expect(await page().locator('.action-feedback').innerText()).toContain('退回给认领人重新办理');
  await u.fill('input-comment', '卫生间的灯还是不亮');
  await page().locator('.btn-feedback').click();
  await u.status('办理中');
  const latest = page().locator('.timeline-entry').first();
  expect(await latest.locator('.timeline-note').innerText()).toContain('不满意：卫生间的灯还是不亮。已退回认领人重新办理');
  await u.shot('resident-6-rework');

  // The notices page: the resident's outbox, unread first, marked read when opened.
  await u.go('/pages/notices/index');
  await page().locator('.notice').first().waitFor();
  const unread = await page().locator('.notice-unread').count();
  expect(unread).toBeGreaterThan(0);
  expect(await page().locator('.tabbar:visible .tab-notices .tabbar-badge').innerText()).toBe(String(unread));
  await u.shot('resident-7-notices');
  await page().locator('.btn-read-all').click();
  await page().locator('.btn-read-all').waitFor({ state: 'detached' });
  expect(await page().locator('.notice-unread').count()).toBe(0);
});

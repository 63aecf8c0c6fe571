/**
 * The party member (党员) in Chromium: the board (urgent first, category filter, no personal data),
 * claiming within the date bounds, the contact shown only while the claim is active, my claims with the
 * countdown, a progress note, an extension request, fulfilling with a photo, releasing a claim back to
 * the board, and the open-claim limit message.
 */
import { api, seedWish, setupBrowser, ui } from './helpers';

const ctx = setupBrowser();
const u = ui(ctx);
const page = () => ctx.page;
const chinaDay = (plus: number) => new Date(Date.now() + plus * 864e5 + 8 * 36e5).toISOString().slice(0, 10);
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

test('board: urgent first, filter by category, no phone; claim, see the contact, progress, extension, fulfil with a photo', async () => {
  // The urgent wish is published first (older): it still comes first.
  await seedWish(ctx, '下水道堵了急需疏通', 'published', { urgent: true, phone: '13911110002' });
  await seedWish(ctx, '想学用智能手机', 'published', { category: '助学圆梦', phone: '13911110001' });

  await u.as('demo-member');
  expect(await page().locator('.tabbar:visible .tabbar-item .tabbar-label').allInnerTexts()).toEqual([
    '首页',
    '认领墙',
    '我的认领',
    '消息',
  ]);
  await u.tab('tab-board');
  await page().locator('.board-card').first().waitFor();
  const titles = await page().locator('.board-card .card-title').allInnerTexts();
  expect(titles.slice(0, 2)).toEqual(['下水道堵了急需疏通', '想学用智能手机']);
  expect(await page().locator('.board-card').first().locator('.badge-urgent').count()).toBe(1);
  const body = await u.text();
  expect(body).not.toContain('13911110001');
  expect(body).not.toContain('幸福里小区');
  await u.shot('member-0-board');
  await page().locator('.category-filter .chip-助学圆梦').click();
  // The unfiltered list still holds the card until the filtered one replaces it: wait for the other card to go first.
  await page().locator('.board-card', { hasText: '下水道堵了急需疏通' }).waitFor({ state: 'detached' });
  await page().locator('.board-card', { hasText: '想学用智能手机' }).waitFor();
  expect(await page().locator('.board-card').count()).toBe(1);
  await page().locator('.category-filter .chip-就业创业').click();
  await page().locator('.state-empty').waitFor();
  expect(await page().locator('.state-empty').innerText()).toContain('全部分类');
  await page().locator('.btn-clear-filter').click();
  await page().locator('.board-card', { hasText: '下水道堵了急需疏通' }).click();

  // Before claiming: no personal data on the detail either.
  await u.status('待认领');
  expect(await page().locator('.contact').count()).toBe(0);
  expect(await u.text()).not.toContain('13911110002');
  await page().locator('.btn-claim').click();
  await u.status('办理中');
  // While the claim is active: name, phone, address and the call button.
  expect(await page().locator('.contact').innerText()).toContain('13911110002');
  expect(await page().locator('.btn-call').innerText()).toBe('拨打电话');
  expect(await page().locator('.claim-info .countdown').innerText()).toBe('还剩 7 天');

  // A progress note goes on the timeline.
  await u.fill('input-progress', '已联系居民，约好明天上午上门');
  const [pick] = await Promise.all([page().waitForEvent('filechooser'), page().locator('.btn-progress-photo').click()]);
  await pick.setFiles({ name: 'before.png', mimeType: 'image/png', buffer: PNG });
  await page().locator('.progress-photos .photo').first().waitFor();
  await page().locator('.btn-progress').click();
  await page().locator('.timeline-entry').first().locator('.timeline-note', { hasText: '进展：已联系居民，约好明天上午上门' }).waitFor();
  // Shown through fileUrls' short-lived URL, which loads after the entry.
  await page().locator('.timeline-entry').first().locator('.timeline-photos .photo').first().waitFor();
  expect(await page().locator('.timeline-entry').first().locator('.timeline-photos .photo').count()).toBe(1);

  // Ask for an extension with a reason.
  await u.fill('input-extend-reason', '需要买配件，要多等几天');
  await page().locator('.btn-extend').click();
  await page().locator('.extension-pending').waitFor();
  expect(await page().locator('.timeline-entry').first().locator('.timeline-note').innerText()).toMatch(
    /^申请延期至 \d+月\d+日 ?：需要买配件，要多等几天$/,
  );
  await u.shot('member-1-claimed');

  // My claims: the countdown and the pending extension on the card.
  await u.go('/member/claims/index');
  const card = page().locator('.wish-card', { hasText: '下水道堵了急需疏通' });
  await card.waitFor();
  expect(await card.locator('.countdown').innerText()).toBe('还剩 7 天');
  expect(await card.locator('.badge-extension').innerText()).toBe('延期待批');
  await u.shot('member-2-my-claims');

  // Fulfil with a note and a photo (H5: file chooser → photoUpload → PUT with the signed upload metadata).
  await card.click();
  await u.fill('input-note', '疏通好了，试过水了');
  const [chooser] = await Promise.all([page().waitForEvent('filechooser'), page().locator('.btn-add-photo').click()]);
  await chooser.setFiles({ name: 'done.png', mimeType: 'image/png', buffer: PNG });
  await page().locator('.action-fulfil .photo').first().waitFor();
  await page().locator('.btn-fulfil').click();
  await u.status('待反馈');
  await page().locator('.fulfilment .photo').first().waitFor();
  expect(await page().locator('.fulfilment .photo').count()).toBe(1);
  const img = page().locator('.fulfilment-photos img').first();
  await img.waitFor();
  // A signed temporary URL (fileUrls) that really serves the image: it loads with a size.
  await page().waitForFunction(
    (el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0,
    await img.elementHandle(),
  );
  expect(await img.getAttribute('src')).toMatch(/\/files\/uploads\/[0-9a-f]{16}\/[0-9a-f]{32}\.(png|jpg)\?sign=\d+\.[0-9a-f]{64}$/);
  await u.shot('member-3-fulfilled');
  // Evidence is not on the public board data.
  const board = await api<{ items: object[] }>(ctx, 'demo-member-2', 'board', {});
  expect(JSON.stringify(board)).not.toContain('疏通好了');
});

test('release a claim with a reason: it goes back on the board; the open-claim limit shows the function message', async () => {
  const mine = await seedWish(ctx, '想请人帮忙搬花盆', 'published');
  await api(ctx, 'demo-member', 'claim', { wishId: mine, promisedBy: chinaDay(3) });
  await u.as('demo-member');
  await u.wish(mine);
  await page().locator('.btn-release').click();
  expect(await u.errorIn('action-release')).toContain('请写明原因');
  await u.fill('input-release-reason', '这周要出差');
  await page().locator('.btn-release').click();
  await u.status('待认领');
  expect(await page().locator('.contact').count()).toBe(0); // no longer mine: no personal data
  expect(await page().locator('.timeline-entry').first().innerText()).toContain('这周要出差');
  await u.go('/member/board/index');
  await page().locator('.board-card', { hasText: '想请人帮忙搬花盆' }).waitFor();

  // 赵华 already has three open claims (the default limit): the fourth is refused with the function's message.
  for (const t of ['帮忙取快递', '帮忙买菜', '帮忙修椅子']) {
    const id = await seedWish(ctx, t, 'published');
    await api(ctx, 'demo-member-2', 'claim', { wishId: id, promisedBy: chinaDay(5) });
  }
  await u.as('demo-member-2');
  await u.wish(mine);
  await page().locator('.btn-claim').click();
  expect(await u.errorIn('action-claim')).toBe('您已有 3 个未完成的认领（最多 3 个），请先完成或放弃一个再认领');
  await u.status('待认领');
  await u.shot('member-4-claim-limit');
});

/**
 * The organiser (组织者) in Chromium: entering a wish for a resident with its channel and seeing the
 * duplicate suggestion; reject with a reason the resident reads; defer into the pending archive and
 * revive; batch publish; assign and reassign; answer an extension; record a call-back; close out and
 * reopen. Setup through the functions over HTTP, the behaviour through the UI.
 */
import { api, seedWish, setupBrowser, ui } from './helpers';

const ctx = setupBrowser();
const u = ui(ctx);
const page = () => ctx.page;
const chinaDay = (plus: number) => new Date(Date.now() + plus * 864e5 + 8 * 36e5).toISOString().slice(0, 10);

async function tab(status: string) {
  await page().locator(`.status-tabs .chip-${status}`).click();
}

test('enter a wish for a resident (channel, details), see the duplicate; reject another with a reason the resident reads', async () => {
  const earlier = await seedWish(ctx, '楼道灯坏了', 'collected', { phone: '13700001234' });
  await u.as('demo-organiser');
  expect(await page().locator('.tabbar:visible .tabbar-item .tabbar-label').allInnerTexts()).toEqual([
    '首页',
    '督办台',
    '台账',
    '代录',
    '消息',
  ]);
  await u.tab('tab-post');
  await page().locator('.post-form').waitFor();
  await u.fill('input-title', '3 栋楼道灯不亮');
  await u.fill('input-content', '晚上上下楼看不见，老人怕摔');
  await page().locator('.btn-next').click();
  expect(await page().locator('.field-error').innerText()).toBe('收集渠道：请选择收集渠道');
  await page().locator('.channel-chips .chip-hotline').click();
  await page().locator('.btn-next').click();
  await u.fill('input-contact-name', '刘大爷');
  await u.fill('input-contact-phone', '13700001234');
  await u.fill('input-address', '幸福里小区 3 栋 101');
  await page().locator('.btn-next').click();
  await page().locator('.btn-submit').click();
  await u.status('待登记');
  expect(await page().locator('.timeline-note').first().innerText()).toContain('心愿热线');
  // The registration form with the duplicate suggestion (same phone as the earlier wish).
  const dup = page().locator('.duplicates .duplicate');
  await dup.first().waitFor();
  expect(await dup.first().innerText()).toContain('楼道灯坏了');
  expect(await dup.first().innerText()).toContain('电话相同');
  await u.shot('organiser-0-duplicates');

  // Reject the earlier one: a reason is required, and the resident reads it.
  await u.wish(earlier, true);
  await page().locator('.btn-reject').click();
  expect(await u.errorIn('action-reject')).toContain('请写明不予受理的原因');
  await u.fill('input-reject-reason', '与 3 栋楼道灯的心愿重复，已合并办理');
  await page().locator('.btn-reject').click();
  await u.status('未受理');
  await u.as('demo-resident');
  await u.wish(earlier);
  await u.status('未受理');
  expect(await page().locator('.wish-reason').innerText()).toContain('与 3 栋楼道灯的心愿重复，已合并办理');
  await u.shot('organiser-1-rejected-resident-view');
});

test('defer into the pending archive with a re-review date, then revive it', async () => {
  const id = await seedWish(ctx, '想在小区装健身器材', 'collected');
  await u.as('demo-organiser');
  await u.wish(id, true);
  await page().locator('.track-chips .chip-deferred').click();
  await u.fill('input-reason', '小区改造规划还没定，定了再装');
  await page().locator('.btn-register').click();
  await u.status('暂缓办理');
  expect(await page().locator('.end-note').innerText()).toContain('已放入待办档案');
  await u.go('/organiser/queue/index');
  await tab('deferred');
  const card = page().locator('.wish-card', { hasText: '想在小区装健身器材' });
  await card.waitFor();
  expect(await card.locator('.review-on').innerText()).toMatch(/^计划 \d+月\d+日 复核$/);
  await u.shot('organiser-2-archive');
  await card.click();
  await page().locator('.btn-revive').click();
  await u.status('待登记');
});

test('batch publish from the registered list; assign a common wish, then reassign it', async () => {
  const ids = [];
  for (const t of ['帮忙贴春联', '帮忙修自行车', '陪老人下棋']) ids.push(await seedWish(ctx, t, 'registered'));
  const common = await seedWish(ctx, '小区路灯不够亮', 'registered', { track: 'common' });
  await u.as('demo-organiser');
  await u.tab('tab-queue');
  await tab('registered');
  await page().locator('.wish-card', { hasText: '陪老人下棋' }).waitFor();
  // The common wish is not publishable: no select box on it.
  expect(await page().locator('.wish-card', { hasText: '小区路灯不够亮' }).locator('.select-box').count()).toBe(0);
  await page().locator('.btn-select-all').click();
  expect(await page().locator('.btn-batch-publish').innerText()).toBe('批量发布（3）');
  await u.shot('organiser-3-batch-selected');
  await page().locator('.btn-batch-publish').click();
  await page().locator('.batch-result').waitFor();
  expect(await page().locator('.batch-result').innerText()).toBe('已发布 3 个心愿');
  const board = await api<{ items: { _id: string }[] }>(ctx, 'demo-member', 'board', {});
  for (const id of ids) expect(board.items.map((w) => w._id)).toContain(id);

  await u.wish(common, true);
  await u.fill('input-assignee', '物业服务中心');
  await page().locator('.btn-assign').click();
  await u.status('办理中');
  expect(await page().locator('.claim-info').innerText()).toContain('组织领办：物业服务中心');
  await u.fill('input-reassign-reason', '物业说这归市政管');
  await page().locator('.btn-reassign').click();
  expect(await u.errorIn('action-reassign')).toBe('领办对象：请填写组织或领导');
  await u.fill('input-reassign-assignee', '街道城管科');
  await page().locator('.btn-reassign').click();
  await page().locator('.claim-info', { hasText: '组织领办：街道城管科' }).waitFor();
  expect(await page().locator('.timeline-entry').first().innerText()).toContain('物业说这归市政管');
  await u.shot('organiser-4-reassigned');
});

test('answer an extension; take a member claim back to the board', async () => {
  const asked = await seedWish(ctx, '想请人教我用微信视频', 'published');
  await api(ctx, 'demo-member', 'claim', { wishId: asked, promisedBy: chinaDay(2) });
  await api(ctx, 'demo-member', 'extend', { wishId: asked, until: chinaDay(9), reason: '居民这周不在家' });
  const stuck = await seedWish(ctx, '想请人帮忙挂窗帘', 'published');
  await api(ctx, 'demo-member-2', 'claim', { wishId: stuck, promisedBy: chinaDay(1) });

  await u.as('demo-organiser');
  await u.go('/organiser/queue/index');
  await tab('extension');
  await page().locator('.wish-card', { hasText: '想请人教我用微信视频' }).click();
  await page().locator('.extension-ask').waitFor();
  expect(await page().locator('.extension-ask').innerText()).toContain('居民这周不在家');
  await u.shot('organiser-5-extension');
  await page().locator('.btn-approve-extension').click();
  await page().locator('.extension-approved').waitFor();
  expect(await page().locator('.claim-info .countdown').innerText()).toBe('还剩 9 天');
  expect(await page().locator('.timeline-entry').first().innerText()).toContain('社区同意延期');

  await u.wish(stuck, true);
  await u.fill('input-reassign-reason', '认领人一直联系不上');
  await page().locator('.btn-reassign').click();
  await u.status('待认领');
  expect(await page().locator('.timeline-entry').first().innerText()).toContain('认领人一直联系不上');
});

test('call-back feedback for a resident without a phone; close-out; reopen', async () => {
  const w = await api(ctx, 'demo-organiser', 'collect', {
    title: '想有人帮忙读报',
    content: '眼睛不好，想有人每周来读读报',
    contactName: '孙奶奶',
    contactPhone: '0731-5556666',
    address: '幸福里小区 9 栋 101',
    channel: 'visit',
  });
  await api(ctx, 'demo-organiser', 'register', { wishId: w._id, category: '精神慰藉', track: 'individual', summary: '老人希望有人读报' });
  await api(ctx, 'demo-organiser', 'publish', { wishId: w._id });
  await api(ctx, 'demo-member', 'claim', { wishId: w._id, promisedBy: chinaDay(5) });
  await api(ctx, 'demo-member', 'fulfil', { wishId: w._id, note: '每周三上午去读报一小时' });

  await u.as('demo-organiser');
  await u.go('/organiser/queue/index');
  await tab('fulfilled');
  await page().locator('.wish-card', { hasText: '想有人帮忙读报' }).click();
  expect(await page().locator('.action-feedback .section-title').innerText()).toContain('回访');
  await page().locator('.chip-satisfied').click();
  await u.fill('input-comment', '电话回访：孙奶奶说很好');
  await page().locator('.btn-feedback').click();
  await u.status('待销号');
  expect(await page().locator('.timeline-entry').first().locator('.timeline-action').innerText()).toBe('反馈（回访）');
  await page().locator('.btn-close-out').click();
  await u.status('已办结');
  expect(await page().locator('.end-note').innerText()).toContain('已经办好');
  await u.shot('organiser-6-closed');
  await u.fill('input-reopen-reason', '孙奶奶说最近两周没人来');
  await page().locator('.btn-reopen').click();
  await u.status('办理中');
  expect(await page().locator('.timeline-entry').first().innerText()).toContain('孙奶奶说最近两周没人来');
  await u.shot('organiser-7-reopened');
});

/**
 * The trust screens in Chromium: an organiser invites a party member, a fresh resident identity joins
 * with the code (待确认), the organiser confirms them and they get the member's tab bar and claim board;
 * a wish held by the content check is released in 内容审核; 操作日志 shows the confirmation; a fresh
 * resident agrees to the privacy notice (its own page), exports their data and deletes it (a wish in
 * progress is kept until it ends). Setup through the functions over HTTP, the behaviour through the UI.
 */
import { api, seedWish, setupBrowser, ui } from './helpers';

const ctx = setupBrowser();
const u = ui(ctx);
const page = () => ctx.page;
const chinaDay = (plus: number) => new Date(Date.now() + plus * 864e5 + 8 * 36e5).toISOString().slice(0, 10);

/** A non-demo identity: the H5 transport sends the stored dev openid as the x-wx-openid header. */
async function asFresh(openid: string) {
  await u.go('/pages/index/index');
  await page().evaluate((id) => localStorage.setItem('dev-openid', JSON.stringify({ data: id })), openid);
}

test('invite → a fresh resident joins with the code → the organiser confirms → member tab bar and board; audit shows it', async () => {
  await seedWish(ctx, '帮忙取快递', 'published');
  // The organiser makes an invitation on 党员管理 (from the ledger).
  await u.as('demo-organiser');
  await u.go('/organiser/queue/index');
  await page().locator('.btn-members:visible').click();
  await page().locator('.btn-invite').click();
  const code = (await page().locator('.invite-code').innerText()).trim();
  expect(code).toMatch(/^[A-Z2-9]{8}$/);
  expect(await page().locator('.invite-expiry').innerText()).toMatch(/\d+月\d+日 \d\d:\d\d 前有效$/);
  await u.shot('trust-0-invite');

  // A fresh resident: 我的心愿 → 我是党员,加入支部; a wrong code is said plainly, then the real one (lower case).
  await asFresh('fresh-party-1');
  await u.go('/pages/mine/index');
  await page().locator('.btn-join-open').click();
  await u.fill('input-invite-code', 'abc');
  await u.fill('input-member-name', '张建国');
  await page().locator('.btn-join').click();
  expect(await page().locator('.join-form .form-error').innerText()).toContain('邀请码是 8 位字母或数字');
  await u.fill('input-invite-code', code.toLowerCase());
  await page().locator('.btn-join').click();
  await page().locator('.join-pending').waitFor();
  expect(await page().locator('.join-pending').innerText()).toContain('待确认');
  await u.shot('trust-1-join-pending');
  await u.go('/pages/mine/index');
  await page().locator('.btn-join-open', { hasText: '党员申请：待确认' }).waitFor();

  // The organiser confirms them from 待确认党员.
  await u.as('demo-organiser');
  await u.go('/organiser/members/index');
  const card = page().locator('.pending-member', { hasText: '张建国' });
  await card.waitFor();
  await u.shot('trust-2-pending-members');
  await card.locator('.btn-confirm-member').click();
  await page().locator('.state-empty', { hasText: '没有待确认的党员' }).waitFor();

  // The new member sees the member's tab bar and the claim board.
  await asFresh('fresh-party-1');
  await u.go('/pages/index/index');
  await page().locator('.tabbar:visible .tab-board').waitFor();
  expect(await page().locator('.tabbar:visible .tabbar-item .tabbar-label').allInnerTexts()).toEqual([
    '首页',
    '认领墙',
    '我的认领',
    '消息',
  ]);
  await u.tab('tab-board');
  await page().locator('.board-card, .wish-card', { hasText: '帮忙取快递' }).first().waitFor();
  await u.shot('trust-3-new-member-board');
  expect(await api<{ role: string; name: string }>(ctx, 'fresh-party-1', 'whoami')).toMatchObject({ role: 'member', name: '张建国' });

  // 操作日志: the confirmation, in plain words.
  await u.as('demo-organiser');
  await u.go('/organiser/queue/index');
  await page().locator('.btn-audit:visible').click();
  const entry = page().locator('.audit-confirmMember').first();
  await entry.waitFor();
  expect(await entry.innerText()).toContain('确认了党员身份');
  expect(await entry.innerText()).toContain('党员：张建国');
  await u.shot('trust-4-audit');
});

test('a wish held by the content check shows in 内容审核 and is released', async () => {
  const held = await api(ctx, 'demo-resident', 'collect', {
    title: '想找人帮忙修电脑',
    content: '可以加微信联系我，电脑开不了机',
    contactName: '王秀英',
    contactPhone: '13800004321',
    address: '幸福里小区 8 栋 302',
  });
  expect(await api<{ moderation?: { state: string } }>(ctx, 'demo-organiser', 'wishDetail', { wishId: held._id })).toMatchObject({
    moderation: { state: 'review' },
  });
  await u.as('demo-organiser');
  await u.go('/organiser/queue/index');
  await page().locator('.btn-moderation:visible').click();
  const card = page().locator('.held-wish', { hasText: '想找人帮忙修电脑' });
  await card.waitFor();
  expect(await card.innerText()).toContain('可以加微信联系我');
  await u.shot('trust-5-moderation');
  await card.locator('.btn-approve-held').click();
  await page().locator('.state-empty', { hasText: '没有等待审核的心愿' }).waitFor();
  expect(await api<{ moderation?: { state: string } }>(ctx, 'demo-organiser', 'wishDetail', { wishId: held._id })).toMatchObject({
    moderation: { state: 'approved' },
  });
});

test('a fresh resident agrees to the notice, exports their data and deletes it (the wish in progress is kept)', async () => {
  const { orgId } = await api<{ orgId: string }>(ctx, 'demo-organiser', 'whoami');
  // 许愿 opens the privacy notice page first; agreeing comes back to the form.
  await asFresh('fresh-resident-2');
  await u.go('/pages/post/index');
  await page().locator('.privacy-notice .btn-agree').click();
  await page().locator('.post-form:visible').waitFor();
  expect((await api<{ consent: { accepted: boolean } }>(ctx, 'fresh-resident-2', 'whoami')).consent.accepted).toBe(true);

  const wish = (title: string) =>
    api(ctx, 'fresh-resident-2', 'collect', {
      title,
      content: `${title}，谢谢`,
      contactName: '周桂兰',
      contactPhone: '13900005678',
      address: '幸福里小区 9 栋 101',
      orgId,
    });
  await wish('想请人读报纸');
  const busy = await wish('帮忙换灯泡');
  await api(ctx, 'demo-organiser', 'register', { wishId: busy._id, category: '生活帮扶', track: 'individual', summary: '需要换灯泡' });
  await api(ctx, 'demo-organiser', 'publish', { wishId: busy._id });
  await api(ctx, 'demo-member', 'claim', { wishId: busy._id, promisedBy: chinaDay(3) });

  await u.go('/pages/mine/index');
  await page().locator('.btn-my-data').click();
  await page().locator('.btn-export').click();
  const summary = page().locator('.data-summary');
  await summary.waitFor();
  expect(await summary.innerText()).toContain('我许的心愿：2 个');
  expect(await summary.innerText()).toContain('想请人读报纸');
  expect(await summary.innerText()).toContain('已同意');
  expect(await page().locator('.data-json').innerText()).toContain('"phone": "13900005678"');
  await u.shot('trust-6-my-data');

  await page().locator('.btn-delete-open').click();
  await page().locator('.btn-delete').click();
  expect(await page().locator('.delete-form .form-error').innerText()).toContain('请先勾选');
  await page().locator('.tick-understood').click();
  await page().locator('.btn-delete').click();
  await page().locator('.taro-model__confirm:visible').click();
  const result = page().locator('.delete-message');
  await result.waitFor();
  expect(await result.innerText()).toBe('已删除 1 个心愿中的个人信息；1 个心愿正在办理，办结后会自动删除');
  await u.shot('trust-7-deleted');
  // The user record is gone (consent with it); the member still reaches the resident of the wish in progress.
  expect((await api<{ consent: { accepted: boolean } }>(ctx, 'fresh-resident-2', 'whoami')).consent.accepted).toBe(false);
  expect(await api<{ contact?: { phone: string } }>(ctx, 'demo-member', 'wishDetail', { wishId: busy._id })).toMatchObject({
    contact: { phone: '13900005678' },
  });
});

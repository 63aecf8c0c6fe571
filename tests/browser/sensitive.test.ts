/**
 * 困难情况 in Chromium: a resident gives the separate sensitive consent from the post form (the consent page in
 * its sensitive mode), posts with a health detail and sees it in the 困难情况(不公开) card; the organiser and then
 * the member who claims it see it too; another member on the board does not. Setup through the functions over
 * HTTP, the behaviour through the UI.
 */
import { api, setupBrowser, ui } from './helpers';

const ctx = setupBrowser();
const u = ui(ctx);
const page = () => ctx.page;
const HEALTH = '腿脚不便，上下楼要人扶';

test('sensitive consent, a health detail on the wish; seen by the organiser and the claimer, not by another member', async () => {
  // Seeded: the resident accepted the main notice, not the sensitive one.
  expect((await api<{ consent: { sensitive: boolean } }>(ctx, 'demo-resident', 'whoami')).consent.sensitive).toBe(false);

  await u.as('demo-resident');
  await u.tab('tab-post');
  await page().locator('.post-form.post-step-1').waitFor();
  await u.fill('input-title', '想请人陪我去医院复查');
  await u.fill('input-content', '每周二上午去区医院复查，一个人去不了');
  await page().locator('.btn-next').click();
  await u.fill('input-contact-name', '王秀英');
  await u.fill('input-contact-phone', '13800007777');
  await u.fill('input-address', '幸福里小区 7 栋 101');
  await page().locator('.btn-next').click();
  await page().locator('.post-form.post-step-3').waitFor();
  const card = page().locator('.post-form .hardship');
  expect(await card.innerText()).toContain('不填也可以直接提交心愿');
  expect(await page().locator('.post-form .input-health').count()).toBe(0);
  await u.shot('sensitive-0-post-optional');

  // The separate consent comes first: the consent page in its sensitive mode.
  await card.locator('.btn-hardship').click();
  const notice = page().locator('.privacy-notice:visible');
  await notice.waitFor();
  expect(await notice.locator('.privacy-title').innerText()).toBe('敏感个人信息单独同意');
  expect(await notice.innerText()).toContain('不填写这些信息，也可以正常提交心愿。');
  await u.shot('sensitive-1-consent');
  await notice.locator('.btn-agree').click();

  // Back on the form, what was typed is kept and the three fields are there.
  await page().locator('.post-form .input-health').waitFor();
  expect(await page().locator('.post-form .post-review').innerText()).toContain('13800007777');
  expect(await page().locator('.post-form .input-disability').count()).toBe(1);
  expect(await page().locator('.post-form .input-income').count()).toBe(1);
  expect((await api<{ consent: { sensitive: boolean } }>(ctx, 'demo-resident', 'whoami')).consent.sensitive).toBe(true);
  await u.fill('input-health', HEALTH);
  await u.shot('sensitive-2-post-filled');
  await page().locator('.btn-submit').click();
  await u.status('待登记');
  expect(await page().locator('.hardship-info').innerText()).toContain(`健康状况：${HEALTH}`);
  await u.shot('sensitive-3-resident-detail');
  const id = /id=([^&]+)/.exec(page().url())![1]!;

  // The organiser sees it on the organiser's page of the wish.
  await u.as('demo-organiser');
  await u.wish(id, true);
  await page().locator('.hardship-info').waitFor();
  expect(await page().locator('.hardship-info').innerText()).toContain(HEALTH);
  await u.shot('sensitive-4-organiser');
  await api(ctx, 'demo-organiser', 'register', {
    wishId: id,
    category: '生活帮扶',
    track: 'individual',
    publicTitle: '一位老人需要陪同复查',
    summary: '需要生活帮扶',
  });
  await api(ctx, 'demo-organiser', 'publish', { wishId: id });

  // Another member on the board: the card, and its detail, carry no hardship detail.
  await u.as('demo-member-2');
  await u.tab('tab-board');
  const other = page().locator('.board-card', { hasText: '一位老人需要陪同复查' });
  await other.waitFor();
  expect(await other.innerText()).not.toContain(HEALTH);
  await other.click();
  await u.status('待认领');
  expect(await page().locator('.hardship-info').count()).toBe(0);
  expect(await u.text()).not.toContain(HEALTH);
  expect(await u.text()).not.toContain('困难情况');
  await u.shot('sensitive-5-other-member');
  // … nor in the data the board and the detail send to that member.
  const board = await api<{ items: object[] }>(ctx, 'demo-member-2', 'board', {});
  expect(JSON.stringify(board)).toContain('一位老人需要陪同复查');
  expect(JSON.stringify(board)).not.toContain('想请人陪我去医院复查'); // the resident's title stays private (issue 22)
  expect(JSON.stringify(board)).not.toContain(HEALTH);
  expect(JSON.stringify(await api(ctx, 'demo-member-2', 'wishDetail', { wishId: id }))).not.toContain(HEALTH);

  // The member who claims it sees it while the claim is active.
  await u.as('demo-member');
  await u.wish(id);
  await u.status('待认领');
  expect(await page().locator('.hardship-info').count()).toBe(0);
  await page().locator('.btn-claim').click();
  await u.status('办理中');
  await page().locator('.hardship-info').waitFor();
  expect(await page().locator('.hardship-info').innerText()).toContain(`健康状况：${HEALTH}`);
  await u.shot('sensitive-6-claimer');
});

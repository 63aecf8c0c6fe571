/**
 * The whole seven-stage journey in real Chromium over the H5 build, served by the local cloud the way
 * `npm start` serves it, with three identities picked in the H5-only identity picker. A screenshot per
 * stage goes to tests/browser/screenshots/.
 */
import { ui, setupBrowser } from './helpers';

const ctx = setupBrowser();
const u = ui(ctx);
const TITLE = `想请人陪我聊聊天 ${Date.now() % 10000}`;
/** The public title the organiser confirms at register (issue 22): the board shows it, never the resident's TITLE. */
const PUBLIC_TITLE = `独居老人希望有人陪伴 ${Date.now() % 10000}`;

test('a wish travels collect → register → publish → claim → fulfil → feedback → close-out in the browser', async () => {
  const page = () => ctx.page;
  // 1 收集: the resident posts a wish in three screens.
  await u.as('demo-resident');
  await u.shot('0-home-resident');
  await page().locator('.btn-post').click();
  await u.fill('input-title', TITLE);
  await u.fill('input-content', '老伴走了，一个人在家，希望每周有人来坐坐');
  await page().locator('.btn-next').click();
  await u.fill('input-contact-name', '王秀英');
  await u.fill('input-contact-phone', '13800001111');
  await u.fill('input-address', '幸福里小区 3 栋 201');
  await page().locator('.btn-next').click();
  await page().locator('.btn-submit').click();
  await u.status('待登记');
  await u.shot('1-collected');

  // 2 登记 + 3 发布: the organiser registers and publishes it.
  await u.as('demo-organiser');
  await page().locator('.btn-queue').click();
  await page().locator('.wish-card', { hasText: TITLE }).click();
  await page().locator('.chip-精神慰藉').click();
  await page().locator('.chip-individual').click();
  // Prefilled from the category, never from the resident's words; the organiser writes her own.
  expect(await page().locator('.input-public-title input').inputValue()).toBe('【精神慰藉】一位居民需要帮助');
  await u.fill('input-public-title', PUBLIC_TITLE);
  await page().locator('.btn-register').click();
  await u.status('已登记');
  await u.shot('2-registered');
  await page().locator('.btn-publish').click();
  await u.status('待认领');
  await u.shot('3-published');

  // 4 领办: a member finds it on the board (no personal data there) and claims it.
  await u.as('demo-member');
  await page().locator('.btn-board').click();
  const card = page().locator('.board-card', { hasText: PUBLIC_TITLE });
  await card.waitFor();
  expect(await u.text()).not.toContain('13800001111');
  expect(await u.text()).not.toContain(TITLE); // only public words on the board
  await card.locator('.board-name', { hasText: '求助人：王某' }).waitFor(); // the board shows the masked name only
  await u.shot('4a-board');
  await card.click();
  await page().locator('.btn-claim').click();
  await u.status('办理中');
  await page().getByText('13800001111').waitFor(); // the active claimer sees the contact
  await u.shot('4-claimed');

  // 5 落实: the member records what was done.
  await u.fill('input-note', '周六上午上门陪聊了两个小时');
  await page().locator('.btn-fulfil').click();
  await u.status('待反馈');
  await u.shot('5-fulfilled');

  // 6 反馈: the resident is satisfied.
  await u.as('demo-resident');
  await page().locator('.btn-mine').click();
  await page().locator('.wish-card', { hasText: TITLE }).click();
  await page().locator('.chip-satisfied').click();
  await page().locator('.btn-feedback').click();
  await u.status('待销号');
  await u.shot('6-reviewed');

  // 7 销号: the organiser closes it out; the timeline shows all seven stages.
  await u.as('demo-organiser');
  await page().locator('.btn-queue').click();
  await page().locator('.chip-reviewed').click();
  await page().locator('.wish-card', { hasText: TITLE }).click();
  await page().locator('.btn-close-out').click();
  await u.status('已办结');
  expect(await page().locator('.timeline-entry').count()).toBe(7);
  await u.shot('7-closed');
});

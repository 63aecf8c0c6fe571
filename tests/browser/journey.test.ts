/**
 * The whole seven-stage journey in real Chromium over the H5 build, served by the local cloud the way
 * `npm start` serves it (tsx localcloud/main.ts, its own port and data folder), with three identities
 * picked in the H5-only identity picker. A screenshot per stage goes to tests/browser/screenshots/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = join(__dirname, '../..');
const shots = join(__dirname, 'screenshots');
const PORT = 18000 + Math.floor(Math.random() * 1000);
const BASE = `http://127.0.0.1:${PORT}`;
const chromePath = process.env.CHROME_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

let server: ChildProcess;
let browser: Browser;
let page: Page;
let dataDir: string;

jest.setTimeout(180_000);

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/h5/index.html'))) throw new Error('dist/h5 is missing: run npm run build:h5 first (npm test does)');
  if (!chromePath) throw new Error('Chromium not found: set CHROME_PATH or install chromium and fonts-noto-cjk');
  mkdirSync(shots, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'wish-browser-'));
  // Its own process group, so that stopping it also stops the node process tsx starts under it.
  server = spawn(join(root, 'node_modules/.bin/tsx'), ['localcloud/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(PORT), LOCALCLOUD_DATA: dataDir },
    stdio: 'pipe',
    detached: true,
  });
  let log = '';
  server.stdout?.on('data', (d) => (log += d));
  server.stderr?.on('data', (d) => (log += d));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${BASE}/api/_health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 150) throw new Error(`local cloud did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await chromium.launch({
    executablePath: chromePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
});

afterAll(async () => {
  await browser?.close();
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function as(openid: string) {
  await page.goto(`${BASE}/#/pages/index/index`);
  await page.locator(`.identity-${openid}`).click();
  await page.locator('.whoami').filter({ hasText: openid === 'demo-organiser' ? '陈静' : openid === 'demo-resident' ? '王秀英' : openid === 'demo-member' ? '李明' : '赵华' }).waitFor();
}

async function fill(cls: string, value: string) {
  const field = page.locator(`.${cls}`).locator('input, textarea').first();
  await field.fill(value);
}

async function shot(name: string) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function status(): Promise<string> {
  return (await page.locator('.wish-status').first().innerText()).trim();
}

const TITLE = `想请人陪我聊聊天 ${Date.now() % 10000}`;

test('a wish travels collect → register → publish → claim → fulfil → feedback → close-out in the browser', async () => {
  // 1 收集: the resident posts a wish.
  await as('demo-resident');
  await shot('0-home-resident');
  await page.locator('.btn-post').click();
  await fill('input-title', TITLE);
  await fill('input-content', '老伴走了,一个人在家,希望每周有人来坐坐');
  await fill('input-contact-name', '王秀英');
  await fill('input-contact-phone', '13800001111');
  await fill('input-address', '幸福里小区 3 栋 201');
  await page.locator('.btn-submit').click();
  await page.locator('.wish-status').waitFor();
  expect(await status()).toBe('待登记');
  await shot('1-collected');

  // 2 登记 + 3 发布: the organiser registers and publishes it.
  await as('demo-organiser');
  await page.locator('.btn-queue').click();
  await page.locator('.wish-card', { hasText: TITLE }).click();
  await page.locator('.chip-精神慰藉').click();
  await page.locator('.chip-individual').click();
  await page.locator('.btn-register').click();
  await page.locator('.wish-status', { hasText: '已登记' }).waitFor();
  await shot('2-registered');
  await page.locator('.btn-publish').click();
  await page.locator('.wish-status', { hasText: '待认领' }).waitFor();
  await shot('3-published');

  // 4 领办: a member finds it on the board (no personal data there) and claims it.
  await as('demo-member');
  await page.locator('.btn-board').click();
  const card = page.locator('.board-card', { hasText: TITLE });
  await card.waitFor();
  expect(await page.locator('body').innerText()).not.toContain('13800001111');
  await shot('4a-board');
  await card.click();
  await page.locator('.btn-claim').click();
  await page.locator('.wish-status', { hasText: '办理中' }).waitFor();
  await page.getByText('13800001111').waitFor(); // the active claimer sees the contact
  await shot('4-claimed');

  // 5 落实: the member records what was done.
  await fill('input-note', '周六上午上门陪聊了两个小时');
  await page.locator('.btn-fulfil').click();
  await page.locator('.wish-status', { hasText: '待反馈' }).waitFor();
  await shot('5-fulfilled');

  // 6 反馈: the resident is satisfied.
  await as('demo-resident');
  await page.locator('.btn-mine').click();
  await page.locator('.wish-card', { hasText: TITLE }).click();
  await page.locator('.chip-satisfied').click();
  await page.locator('.btn-feedback').click();
  await page.locator('.wish-status', { hasText: '待销号' }).waitFor();
  await shot('6-reviewed');

  // 7 销号: the organiser closes it out; the timeline shows all seven stages.
  await as('demo-organiser');
  await page.locator('.btn-queue').click();
  await page.locator('.chip-reviewed').click();
  await page.locator('.wish-card', { hasText: TITLE }).click();
  await page.locator('.btn-close-out').click();
  await page.locator('.wish-status', { hasText: '已办结' }).waitFor();
  expect(await page.locator('.timeline-entry').count()).toBe(7);
  await shot('7-closed');
});

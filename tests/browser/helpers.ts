/**
 * Shared setup of the browser tests: each test file starts its own local cloud in its process, as `npm start` serves it
 * (the H5 build, a port the system picks, a fresh data folder, no demo wishes, no timers), and one Chromium page.
 * `setupBrowser()` registers the beforeAll/afterAll and returns the live handles.
 * Setup data goes through the functions over HTTP (`api`), the behaviour under test through the UI.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DIRECT_ENV } from '../../localcloud/db/indexes';
import { startLocalCloud, type LocalCloud } from '../../localcloud';
import { callOf } from '../../src/core/functions';

const root = join(__dirname, '../..');
export const SHOTS = join(__dirname, 'screenshots');
const chromePath =
  process.env.CHROME_PATH ||
  ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export const NAMES: Record<string, string> = {
  'demo-resident': '王秀英',
  'demo-member': '李明',
  'demo-member-2': '赵华',
  'demo-organiser': '陈静',
};

export interface Ctx {
  base: string;
  /** The local cloud's data folder (its credentials.json lets a local command such as `npm run timer` reach it). */
  dataDir: string;
  page: Page;
  browser: Browser;
  /** This start's secret pair and /_local token (also in its credentials.json). */
  credentials: LocalCloud['credentials'];
}

export function setupBrowser(): Ctx {
  const ctx = {} as Ctx;
  let cloud: LocalCloud | undefined;
  let dataDir = '';
  jest.setTimeout(180_000);

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist/h5/index.html'))) throw new Error('dist/h5 is missing: run npm run build:h5 first (npm test does)');
    if (!chromePath) throw new Error('Chromium not found: set CHROME_PATH or install chromium-headless-shell and fonts-noto-cjk');
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'wish-browser-'));
    ctx.dataDir = dataDir;
    // The local cloud as `npm start` runs it with LOCALCLOUD_DEMO_WISHES=0 and LOCALCLOUD_TIMERS=0 (localcloud/main.ts):
    // no demo wishes (each test makes its own from an empty board), and timers run by the tests themselves (npm run
    // timer), never by the clock in the middle of a test. In this process, on the worker's one PGlite (or the ·pg
    // projects' server): a process of its own per file (tsx, its own PGlite) cost ~2.5 s of CPU each. Port 0: the
    // system picks a free one (three jest workers start clouds at once); `cloud.url` says which.
    const [browser, started] = await Promise.all([
      chromium.launch({
        executablePath: chromePath,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      }),
      startLocalCloud({ port: 0, dataDir, quiet: true }),
    ]);
    cloud = started;
    ctx.base = cloud.url;
    ctx.credentials = cloud.credentials;
    ctx.browser = browser;
    ctx.page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  });

  afterAll(async () => {
    await ctx.browser?.close();
    await cloud?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return ctx;
}

/** Call a function over HTTP as `openid` (setup only); resolves with `data`, rejects with the message. */
export async function api<T = { _id: string }>(ctx: Ctx, openid: string, name: string, data: object = {}): Promise<T> {
  const fn = callOf(name, data);
  const res = await fetch(`${ctx.base}/api/${fn.name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body: JSON.stringify(fn.data),
  });
  const json = (await res.json()) as { code: unknown; data?: T; message?: string };
  if (json.code !== 0) throw new Error(`${name}: ${String(json.code)} ${json.message ?? ''}`);
  return json.data as T;
}

let seq = 0;
/** A resident's wish, collected (and, with `to`, registered / published by the organiser). */
export async function seedWish(
  ctx: Ctx,
  title: string,
  to: 'collected' | 'registered' | 'published' = 'published',
  opts: { track?: 'individual' | 'common' | 'hard'; urgent?: boolean; category?: string; phone?: string } = {},
): Promise<string> {
  seq++;
  const w = await api(ctx, 'demo-resident', 'collect', {
    title,
    content: `${title}。请帮帮忙`,
    contactName: '王秀英',
    contactPhone: opts.phone ?? `1380000${String(1000 + seq).slice(-4)}`,
    address: `幸福里小区 ${seq} 栋 201`,
  });
  if (to === 'collected') return w._id;
  await api(ctx, 'demo-organiser', 'register', {
    wishId: w._id,
    category: opts.category ?? '生活帮扶',
    track: opts.track ?? 'individual',
    summary: '居民需要帮忙', // the public summary an organiser confirms (issue 7: never the resident's words by default)
    // The public title (issue 22): the organiser confirms the given title as public, so the suites find the wish on the
    // board by it. tests/browser/journey.test.ts and sensitive.test.ts confirm a different one and check the board.
    publicTitle: title,
    ...(opts.urgent ? { urgent: true } : {}),
  });
  if (to === 'registered') return w._id;
  await api(ctx, 'demo-organiser', 'publish', { wishId: w._id });
  return w._id;
}

/** Page actions over the H5 build; selectors are the classes and data attributes the app sets. */
export function ui(ctx: Ctx) {
  const page = () => ctx.page;
  /** A fresh load of the app at `path` (H5 keeps earlier pages of the stack in the DOM; start clean). */
  async function load(path: string) {
    await page().goto('about:blank');
    await page().goto(`${ctx.base}/#${path}`);
  }
  return {
    async as(openid: string) {
      await load('/pages/index/index');
      await page().locator(`.identity-${openid}`).click();
      await page().locator('.whoami').filter({ hasText: NAMES[openid]! }).waitFor();
    },
    async go(path: string) {
      await load(path);
    },
    async wish(id: string, organiser = false) {
      await load(`/${organiser ? 'organiser' : 'pages'}/wish/index?id=${id}`);
      await page().locator('.wish-status').waitFor();
    },
    /** Tap a tab of the role's bottom bar (the visible one: H5 keeps earlier pages in the DOM). */
    async tab(cls: string) {
      await page().locator(`.tabbar:visible .${cls}`).click();
    },
    async fill(cls: string, value: string) {
      await page().locator(`.${cls}`).locator('input, textarea').first().fill(value);
    },
    async shot(name: string) {
      // Let a success toast fade first, so the screenshot shows the page as the user reads it.
      await page()
        .waitForFunction(
          () =>
            Array.from(document.querySelectorAll<HTMLElement>('.taro__toast')).every(
              (el) => el.style.opacity === '0' || getComputedStyle(el).display === 'none',
            ),
          undefined,
          { timeout: 2500 },
        )
        .catch(() => undefined);
      await page().waitForTimeout(200);
      await page().screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    },
    async status(expected: string) {
      await page().locator('.wish-status', { hasText: expected }).waitFor();
    },
    async text(): Promise<string> {
      return page().locator('body').innerText();
    },
    /** The form error (the function's own Chinese message) inside the action section `cls`. */
    async errorIn(cls: string): Promise<string> {
      const el = page().locator(`.${cls} .form-error`);
      await el.waitFor();
      return (await el.innerText()).trim();
    },
  };
}

/** The test's own database client on the running local cloud (setup that no function may do, e.g. letting time pass
 * over a promised date), signed with this start's secret pair; like a person at the
 * console, not held to the declared indexes. */
export function dbOf(ctx: Ctx) {
  const { secretId, secretKey } = ctx.credentials;
  process.env.TENCENTCLOUD = 'true';
  return tcb.init({ env: DIRECT_ENV, secretId, secretKey, serviceUrl: `${ctx.base}/tcb` }).database();
}

/** Runs a timer function now, the way `npm run purge` does (the local cloud's token-guarded trigger route). */
export async function trigger(ctx: Ctx, fn: string): Promise<unknown> {
  const { token } = ctx.credentials;
  const res = await fetch(`${ctx.base}/_local/trigger/${fn}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ Type: 'Timer', TriggerName: fn, Time: new Date().toISOString() }),
  });
  const json = (await res.json()) as { code: unknown; data?: unknown; message?: string };
  if (json.code !== 0) throw new Error(`${fn}: ${String(json.code)} ${json.message ?? ''}`);
  return json.data;
}

/**
 * 大字模式 in the mini-program: the switch is kept in storage (`large-text` = 'on', src/services/prefs.ts) and every
 * page's Frame adds the class `large-text`; the app's stylesheet as built (dist/weapp/app.wxss, classes prefixed as
 * the rendered tree has them, rpx read as px) then sizes every input, textarea and date picker at least as large as
 * the labels, and larger than without the mode. Measured in jsdom on the weapp pages that have controls.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDemoWishes } from '../../localcloud/demo';
import { allDocs, startCloud } from '../functions/harness';
import { bootApp, DIST, type OpenedPage } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
let wishes: Array<{ _id: string; status: string }>;

beforeAll(async () => {
  env = await startCloud();
  await addDemoWishes(env.cloud);
  wishes = await allDocs(env.db, 'wishes');
  const style = document.createElement('style');
  style.textContent = readFileSync(join(DIST, 'app.wxss'), 'utf8')
    .replace(/\.(-?[_a-zA-Z][-_a-zA-Z0-9]*)/g, '.main--$1')
    .replace(/(\d)rpx/g, '$1px')
    .replace(/@media[^{]*\{((?:[^{}]*\{[^}]*\})*)\s*\}/g, ''); // the narrow-screen tweaks: not this 375 px screen
  document.head.appendChild(style);
}, 180_000);
afterAll(() => env?.stop());

const px = (el: Element) => parseFloat(getComputedStyle(el).fontSize);
const CONTROLS = 'wx-input, wx-textarea, .main--date-value';

/** Every control on the page: in the large-text frame, at least the label's size, and larger than without the mode. */
function checkControls(page: OpenedPage): number {
  const frame = page.root.querySelector('.main--large-text');
  expect(frame).not.toBeNull();
  const label = page.root.querySelector('.main--field-label');
  const labelPx = label ? px(label) : 44;
  const controls = Array.from(page.root.querySelectorAll(CONTROLS));
  const large = controls.map((c) => [c.className, px(c)] as const);
  frame!.classList.remove('main--large-text');
  const normal = controls.map((c) => px(c));
  frame!.classList.add('main--large-text');
  large.forEach(([name, size], i) => {
    expect([name, size >= labelPx]).toEqual([name, true]);
    expect([name, size > normal[i]!]).toEqual([name, true]);
  });
  return controls.length;
}

const visits: Array<[string, string, () => Record<string, string>]> = [
  ['pages/post/index', 'demo-resident', () => ({})],
  ['pages/wish/index', 'demo-member', () => ({ id: wishes.find((w) => w.status === 'published')!._id })],
  ['organiser/wish/index', 'demo-organiser', () => ({ id: wishes.find((w) => w.status === 'collected')!._id })],
  ['account/join/index', 'demo-resident', () => ({})],
  ['card/index', 'demo-resident', () => ({})],
];

test.each(visits)('%s (as %s): every input, textarea and date picker is large', async (route, as, query) => {
  const app = bootApp(env.cloud.url, as, { storage: { 'large-text': 'on' } });
  try {
    const page = await app.open(route, query());
    let n = checkControls(page);
    if (route === 'pages/post/index') {
      // the second step's contact fields
      await page.type('.input-title', '想请人帮忙修水龙头');
      await page.type('.input-content', '厨房水龙头一直滴水');
      await page.tap('.btn-next');
      n += checkControls(page);
    }
    expect(n).toBeGreaterThan(0);
    expect(app.problems).toEqual([]);
  } finally {
    app.close();
  }
});

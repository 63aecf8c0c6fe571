/**
 * The harness notices a page that needs a template base.wxml no longer has (config/unused-templates.js removes
 * templates from it): a copy of dist/weapp without the picker's template (`tmpl_0_56` in this build: the one whose
 * body is `<picker …>`) breaks the page with a date picker, and only that one. (The same page on the built bundle
 * shows its picker cleanly: tests/weapp/journey.test.ts, the member's claim. WeChat's WXML runtime keeps its compiled
 * templates in globals, so a test file runs one build folder: this one only the copy.)
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allDocs, startCloud } from '../functions/harness';
import { addDemoWishes } from '../../localcloud/demo';
import { bootApp, DIST } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
let copy = '';
let removed = '';
let published = '';

beforeAll(async () => {
  env = await startCloud();
  await addDemoWishes(env.cloud);
  published = (await allDocs<{ _id: string; status: string }>(env.db, 'wishes')).find((w) => w.status === 'published')!._id;
  copy = mkdtempSync(join(tmpdir(), 'weapp-copy-'));
  cpSync(DIST, copy, { recursive: true });
  const base = readFileSync(join(copy, 'base.wxml'), 'utf8');
  const picker = /<template name="(tmpl_\d+_\w+)">\s*<picker[\s\S]*?<\/template>\n?/.exec(base);
  if (!picker) throw new Error('no picker template in base.wxml');
  removed = picker[1]!;
  writeFileSync(join(copy, 'base.wxml'), base.replace(picker[0], ''));
}, 180_000);
afterAll(async () => {
  if (copy) rmSync(copy, { recursive: true, force: true });
  await env?.stop();
});

const DAY_SHOWN = /我承诺在这天前完成.*（\d{4}-\d{2}-\d{2}）/;

test('without the picker template, the page that needs it is reported (WeChat’s runtime: Template … not found)', async () => {
  expect(removed).toMatch(/^tmpl_0_\d+$/);
  const app = bootApp(env.cloud.url, 'demo-member', { dist: copy });
  try {
    const page = await app.open('pages/wish/index', { id: published });
    expect(app.problems).toContainEqual(expect.stringContaining(`Template \`${removed}\` not found`));
    expect(page.text()).not.toMatch(DAY_SHOWN); // and the date is gone from the screen
  } finally {
    app.close();
  }
});

test('…and only that page: the home page renders no picker and stays clean on the same copy', async () => {
  const app = bootApp(env.cloud.url, 'demo-member', { dist: copy });
  try {
    await app.open('pages/index/index');
    expect(app.problems).toEqual([]);
  } finally {
    app.close();
  }
});

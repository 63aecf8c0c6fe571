/**
 * Issue 9, quotas and the rhythm, in Chromium: a member opens 我的一年 from 我的认领 and sees this year's count and
 * wishes; an organiser sees who has nothing this year and nudges them; the bulletin, run as of its day with
 * `npm run timer -- bulletin --as-of <day>`, names that member's community, and its page opens from 通报.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { api, seedWish, setupBrowser, ui } from './helpers';

const ctx = setupBrowser();
const u = ui(ctx);
const page = () => ctx.page;
const chinaDay = (plus: number) => new Date(Date.now() + plus * 864e5 + 8 * 36e5).toISOString().slice(0, 10);

test('a member opens 我的一年: the count against the quota, and this year’s wishes', async () => {
  const id = await seedWish(ctx, '帮独居老人换灯泡', 'published');
  await api(ctx, 'demo-member', 'claim', { wishId: id, promisedBy: chinaDay(2) });
  await api(ctx, 'demo-member', 'fulfil', { wishId: id, note: '换好了' });
  await api(ctx, 'demo-resident', 'feedback', { wishId: id, satisfaction: 'satisfied' });
  await api(ctx, 'demo-organiser', 'closeOut', { wishId: id });
  const open = await seedWish(ctx, '陪老人去医院复查', 'published');
  await api(ctx, 'demo-member', 'claim', { wishId: open, promisedBy: chinaDay(3) });

  await u.as('demo-member');
  await u.tab('tab-claims');
  await page().locator('.btn-my-year:visible').click();
  await page().locator('.year-count').waitFor();
  expect(await page().locator('.year-count').innerText()).toBe('1');
  expect(await page().locator('.year-quota').innerText()).toBe('已完成年度指标（每年至少 1 个）');
  const closed = page().locator('.year-wish', { hasText: '帮独居老人换灯泡' });
  expect(await closed.innerText()).toContain('已销号，计入今年');
  expect(await page().locator('.year-wish', { hasText: '陪老人去医院复查' }).innerText()).toContain('正在办');
  await u.shot('rhythm-0-my-year');

  // A member with nothing yet: the gap and the way to the board.
  await u.as('demo-member-2');
  await u.go('/member/year/index');
  await page().locator('.year-count').waitFor();
  expect(await page().locator('.year-count').innerText()).toBe('0');
  expect(await page().locator('.year-quota').innerText()).toBe('年度指标：每年至少 1 个，还差 1 个');
  expect(await page().locator('.btn-board').count()).toBe(1);
  await u.shot('rhythm-1-my-year-nothing');
});

test('an organiser nudges a member with nothing this year; the bulletin names them; 通报 opens it', async () => {
  await u.as('demo-organiser');
  await u.go('/organiser/members/index');
  const row = page().locator('.branch-member', { hasText: '赵华' });
  await row.locator('.member-year').waitFor();
  expect(await row.locator('.member-year').innerText()).toContain('今年办结 0 个，年度指标 1 个，还没有完成');
  expect(await page().locator('.branch-member', { hasText: '李明' }).locator('.btn-nudge').count()).toBe(0); // met
  await row.locator('.btn-nudge').click();
  await row.locator('.member-nudged').waitFor();
  await u.shot('rhythm-2-nudged');

  // The next bulletin day, run by the local command as of that day.
  let day = chinaDay(1);
  while (![1, 11, 21].includes(Number(day.slice(8)))) day = new Date(Date.parse(`${day}T00:00:00Z`) + 864e5).toISOString().slice(0, 10);
  // As `npm run timer` runs it: under tsx, since the script reads China time from the core's one module (src/core/dates.ts).
  // Not execFileSync: the local cloud it calls answers from this process's event loop.
  const tsx = join(__dirname, '../../node_modules/.bin/tsx');
  const { stdout: out } = await promisify(execFile)(tsx, [join(__dirname, '../../scripts/timer.mjs'), 'bulletin', '--as-of', day], {
    env: { ...process.env, LOCALCLOUD_DATA: ctx.dataDir },
    encoding: 'utf8',
  });
  expect(JSON.parse(out)).toMatchObject({ code: 0, data: { day, skipped: false } });

  // The notice opens the community's bulletin in its street's: listed under 通报 too.
  await u.go('/organiser/bulletins/index');
  const item = page().locator('.bulletin-item', { hasText: '和平街道' });
  await item.waitFor();
  await item.click();
  await page().locator('.bulletin-title').waitFor();
  const named = page().locator('.bulletin-named', { hasText: '幸福里社区' });
  expect(await named.innerText()).toContain('赵华经提醒仍未领办心愿');
  expect(await u.text()).not.toContain('孙强'); // nudge before naming: never nudged, never named
  await u.shot('rhythm-3-bulletin');
});

/**
 * The H5 pages under the local cloud's Content-Security-Policy (issue 7, item 13): the app loads and works for
 * each role, a photo is chosen, previewed (blob:), uploaded and shown, and Chromium reports no violation; and the
 * policy is really enforced (an injected inline script does not run).
 */
import { setupBrowser, ui } from './helpers';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const ctx = setupBrowser();
const u = ui(ctx);
const page = () => ctx.page;
const violations: string[] = [];

beforeAll(async () => {
  await page().addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __csp: string[] }).__csp ??= [];
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page().on('console', (m) => {
    if (/Content Security Policy|CSP violation/i.test(m.text())) violations.push(m.text());
  });
});

test('the app runs under its Content-Security-Policy with no violation', async () => {
  const res = await page().goto(`${ctx.base}/`);
  const csp = (await res!.headerValue('content-security-policy')) ?? '';
  expect(csp).toContain("script-src 'self' 'sha256-");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);

  // The resident posts a wish with a photo (file chooser, blob: preview, upload, the stored image shown).
  await u.as('demo-resident');
  await u.tab('tab-post');
  await page().locator('.post-form.post-step-1').waitFor();
  await u.fill('input-title', '想请人帮我换个灯泡');
  await u.fill('input-content', '客厅的灯坏了,我够不着');
  await page().locator('.btn-next').click();
  await page().locator('.post-form.post-step-2').waitFor();
  await u.fill('input-contact-name', '王秀英');
  await u.fill('input-contact-phone', '13800003333');
  await u.fill('input-address', '幸福里小区 6 栋 101');
  await page().locator('.btn-next').click();
  await page().locator('.post-form.post-step-3').waitFor();
  const [chooser] = await Promise.all([page().waitForEvent('filechooser'), page().locator('.btn-add-photo').click()]);
  await chooser.setFiles({ name: 'bulb.png', mimeType: 'image/png', buffer: PNG });
  await page().locator('.post-form .photo').first().waitFor();
  await page().locator('.btn-submit').click();
  await u.status('待登记');
  const photo = page().locator('.wish-photos .photo img, .wish-photos img').first();
  await photo.waitFor();
  expect(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

  // The organiser's ledger (a subpackage) and the member's board load too.
  await u.as('demo-organiser');
  await u.go('/organiser/queue/index');
  await page().locator('.tabbar:visible').waitFor();
  await u.as('demo-member');
  await u.go('/member/board/index');
  await page().locator('.tabbar:visible').waitFor();

  expect(violations).toEqual([]);
  expect(await page().evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])).toEqual([]);

  // The control: the policy is enforced, so a script a page might be tricked into inserting does not run.
  const ran = await page().evaluate(() => {
    const s = document.createElement('script');
    s.textContent = '(window).__injected = true';
    document.head.appendChild(s);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await page().waitForTimeout(100);
  expect(violations.some((v) => /script-src/.test(v))).toBe(true);
});

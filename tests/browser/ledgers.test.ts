/**
 * Ledgers and batches in Chromium (issue 11), under the app's CSP: the organiser's 台账导出与导入 page downloads an
 * exported ledger (opened here with exceljs), and imports a spreadsheet chosen in the browser's file dialog —
 * uploaded by the H5 transport to the place importBatch names — showing the refused row with its column and reason.
 */
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { api, setupBrowser, ui } from './helpers';

const ctx = setupBrowser();
const u = ui(ctx);
const page = () => ctx.page;

test('export downloads a real ledger; a chosen spreadsheet is imported with a row-by-row report', async () => {
  await api(ctx, 'demo-organiser', 'collect', {
    title: '想请人帮忙修窗户',
    content: '窗户关不严',
    contactName: '王秀英',
    contactPhone: '13800006666',
    address: '幸福里小区 9 栋 101',
    channel: 'hotline',
  });
  await u.as('demo-organiser');
  await u.go('/organiser/ledgers/index');
  await page().locator('.chip-own').click();
  const [download] = await Promise.all([page().waitForEvent('download'), page().locator('.btn-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^幸福里社区群众需求台账.*\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  expect(String(ws.getCell('A1').value)).toContain('幸福里社区 群众需求台账（本级留存）');
  const values: unknown[] = [];
  ws.eachRow((r, n) => n > 2 && values.push(...(r.values as unknown[])));
  expect(values).toContain('13800006666');
  await page().locator('.ledger-done').waitFor();

  // The import: the template's shape, one good row and one with a bad phone, chosen in the file dialog.
  const t = await api<{ url: string }>(ctx, 'demo-organiser', 'importBatch', { mode: 'template' });
  const tpl = new ExcelJS.Workbook();
  await tpl.xlsx.load((await (await fetch(t.url)).arrayBuffer()) as ArrayBuffer);
  const sheet = tpl.getWorksheet('心愿')!;
  sheet.getRow(3).values = ['李桂兰', '13900007777', '幸福里小区 2 栋 302', '想请人陪我去医院复查', '腿脚不方便，需要有人陪同', '上门走访'];
  sheet.getRow(4).values = ['张大爷', '12345', '幸福里小区 5 栋 101', '想要一副老花镜', '看不清报纸', '心愿卡'];
  const bytes = Buffer.from(await tpl.xlsx.writeBuffer());
  const [chooser] = await Promise.all([page().waitForEvent('filechooser'), page().locator('.btn-import').click()]);
  await chooser.setFiles({
    name: '走访记录.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: bytes,
  });
  await page().locator('.import-counts').waitFor();
  expect(await page().locator('.import-counts').innerText()).toContain('新录入 1 条');
  expect(await page().locator('.import-issue').first().innerText()).toMatch(/^第 4 行「联系电话」：/);
  await page().locator('.btn-errors').waitFor();
  await u.shot('ledgers-import');
});

/**
 * 导出台账 (issue 11): the organiser picks ledger, version and period; the page calls exportLedger through the
 * gateway and opens the file — weapp: wx.downloadFile then wx.openDocument with the share menu; H5: a download link on
 * the local cloud's own origin. Each test loads fresh modules for its target, as a build would.
 */
import type { ComponentType } from 'react';

type TaroStub = typeof import('./stubs/taro');
type RTL = typeof import('@testing-library/react');
const savedEnv = process.env.TARO_ENV;
let current: RTL | null = null;
afterEach(() => {
  process.env.TARO_ENV = savedEnv;
  current?.cleanup(); // the fresh testing library's renders are not the global one's to clean up
});

/** Fresh modules for the target (the gateway picks its transport when it loads), React and the testing library
 * included, so the page and the renderer share one React. */
function load(env: 'h5' | 'weapp'): { Page: ComponentType; taro: TaroStub; rtl: RTL } {
  process.env.TARO_ENV = env;
  jest.resetModules();
  const rtl = require('@testing-library/react/pure') as RTL;
  current = rtl;
  const taro = require('@tarojs/taro') as TaroStub;
  const Page = (require('@/organiser/ledgers/index') as { default: ComponentType }).default;
  return { Page, taro, rtl };
}

const FILE = {
  url: 'http://127.0.0.1:8787/files/ledgers/20261201/abc.xlsx?sign=1.ff',
  fileName: '幸福里社区群众需求台账2026-01至2026-12.xlsx',
  rows: 42,
  maxAge: 600,
};
const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

test('weapp: exportLedger with the chosen ledger, version and period, then downloadFile + openDocument({ showMenu })', async () => {
  const { Page, taro, rtl } = load('weapp');
  const { fireEvent, render, screen, waitFor } = rtl;
  const T = taro.default;
  T.cloud.callFunction.mockReset();
  T.cloud.callFunction.mockImplementation(async () => ({ result: { code: 0, data: FILE } }));
  const { container } = render(<Page />);
  fireEvent.click(screen.getByText('实事项目台账'));
  fireEvent.click(screen.getByText('本级留存'));
  expect(screen.getByText(/含居民姓名、电话、住址/)).toBeTruthy();
  fireEvent.change(container.querySelector('.ledger-from input')!, { target: { value: '2026-03' } });
  fireEvent.click(screen.getByText('生成并下载'));
  await waitFor(() => expect(T.openDocument).toHaveBeenCalled());
  expect(T.cloud.callFunction).toHaveBeenCalledWith({
    name: 'sheets',
    data: { action: 'exportLedger', ledger: 'projects', version: 'own', from: '2026-03', to: month },
  });
  expect(T.downloadFile).toHaveBeenCalledWith({ url: FILE.url });
  expect(T.openDocument).toHaveBeenCalledWith({ filePath: 'wxfile://tmp/ledger.xlsx', fileType: 'xlsx', showMenu: true });
  expect(screen.getByText(/共 42 行/)).toBeTruthy();
  expect(T.request).not.toHaveBeenCalled();
});

test('weapp: a refusal shows its Chinese message and opens nothing; a later month than the end is caught on the page', async () => {
  const { Page, taro, rtl } = load('weapp');
  const { fireEvent, render, screen } = rtl;
  const T = taro.default;
  T.openDocument.mockClear();
  T.cloud.callFunction.mockReset();
  T.cloud.callFunction.mockImplementation(async () => ({ result: { code: 'AUTH.FORBIDDEN', message: '只有社区工作人员可以导出台账' } }));
  const { container } = render(<Page />);
  fireEvent.click(screen.getByText('生成并下载'));
  await screen.findByText('只有社区工作人员可以导出台账');
  expect(T.openDocument).not.toHaveBeenCalled();
  // The 报上级 version is the default: the safer one to send.
  expect(T.cloud.callFunction.mock.calls[0]![0]).toMatchObject({ data: { ledger: 'needs', version: 'upward' } });
  T.cloud.callFunction.mockClear();
  fireEvent.change(container.querySelector('.ledger-from input')!, { target: { value: '2099-01' } });
  fireEvent.click(screen.getByText('生成并下载'));
  await screen.findByText('开始月份不能晚于结束月份。');
  expect(T.cloud.callFunction).not.toHaveBeenCalled();
});

test('H5: the file downloads from a link on the page’s own origin, named after the ledger', async () => {
  const { Page, taro, rtl } = load('h5');
  const { fireEvent, render, screen, waitFor } = rtl;
  const T = taro.default;
  // H5 calls the local cloud with the browser's fetch.
  const asked: string[] = [];
  const realFetch = global.fetch;
  global.fetch = jest.fn(async (url: unknown) => {
    asked.push(String(url));
    return { status: 200, json: async () => ({ code: 0, data: FILE }) } as Response;
  }) as typeof fetch;
  const clicked: HTMLAnchorElement[] = [];
  const spy = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push(this);
  });
  render(<Page />);
  fireEvent.click(screen.getByText('生成并下载'));
  await waitFor(() => expect(clicked).toHaveLength(1));
  expect(clicked[0]!.getAttribute('href')).toBe('/files/ledgers/20261201/abc.xlsx?sign=1.ff');
  expect(clicked[0]!.download).toBe(FILE.fileName);
  expect(asked[0]).toBe('/api/sheets');
  expect(T.request).not.toHaveBeenCalled();
  expect(T.downloadFile).not.toHaveBeenCalled();
  spy.mockRestore();
  global.fetch = realFetch;
});

test('weapp: 批量导入 — the file from a chat (chooseMessageFile), uploaded to the place importBatch names, then the report', async () => {
  const { Page, taro, rtl } = load('weapp');
  const { fireEvent, render, screen } = rtl;
  const T = taro.default;
  T.chooseMessageFile.mockResolvedValueOnce({ tempFiles: [{ path: 'wxfile://tmp/热线.xlsx', name: '热线.xlsx', size: 20_000 }] });
  const ticket = {
    cloudPath: 'imports/0123456789abcdef/0123456789abcdef0123456789abcdef.xlsx',
    upload: { url: 'u', authorization: 'a', token: 't', fileId: 'f' },
  };
  const report = {
    total: 4,
    created: 2,
    held: 1,
    duplicates: 1,
    invalid: 1,
    rows: [
      { row: 5, status: 'invalid', issues: [{ row: 5, column: '联系电话', reason: '请填写 11 位手机号' }] },
      { row: 6, status: 'duplicate', wishId: 'w', sameAs: 3 },
    ],
    errorsFile: { url: 'https://x/errors.xlsx', fileName: '导入未通过的行（1 行）.xlsx', rows: 1, maxAge: 600 },
  };
  T.cloud.callFunction.mockReset();
  T.cloud.callFunction.mockImplementation(async (opts: unknown) => {
    const { data } = opts as { data: { mode: string; fileId?: string } };
    if (data.mode === 'upload') return { result: { code: 0, data: ticket } };
    if (data.mode === 'import') return { result: { code: 0, data: report } };
    return { result: { code: 'INPUT.INVALID', message: '不对' } };
  });
  T.cloud.uploadFile.mockResolvedValueOnce({ fileID: 'cloud://env.bucket/imports/0123456789abcdef/0123456789abcdef0123456789abcdef.xlsx' });
  render(<Page />);
  fireEvent.click(screen.getByText('选择文件并导入'));
  await screen.findByText(/新录入 2 条（其中 1 条等待内容审核），已录入过 1 条，未通过 1 条/);
  expect(screen.getByText('第 6 行与第 3 行是同一个心愿，只录入一次。')).toBeTruthy();
  expect(T.chooseMessageFile).toHaveBeenCalledWith({ count: 1, type: 'file', extension: ['xlsx'] });
  expect(T.cloud.uploadFile).toHaveBeenCalledWith({ cloudPath: ticket.cloudPath, filePath: 'wxfile://tmp/热线.xlsx' });
  expect(T.cloud.callFunction).toHaveBeenLastCalledWith({
    name: 'sheets',
    data: {
      action: 'importBatch',
      mode: 'import',
      fileId: 'cloud://env.bucket/imports/0123456789abcdef/0123456789abcdef0123456789abcdef.xlsx',
    },
  });
  expect(screen.getByText('第 5 行「联系电话」：请填写 11 位手机号')).toBeTruthy();
  T.openDocument.mockClear();
  fireEvent.click(screen.getByText(/下载未通过的行/));
  await new Promise((r) => setTimeout(r, 0));
  expect(T.downloadFile).toHaveBeenLastCalledWith({ url: 'https://x/errors.xlsx' });
});

test('weapp: a file that is not .xlsx is refused on the page, nothing uploaded', async () => {
  const { Page, taro, rtl } = load('weapp');
  const { fireEvent, render, screen } = rtl;
  const T = taro.default;
  T.cloud.callFunction.mockClear();
  T.chooseMessageFile.mockResolvedValueOnce({ tempFiles: [{ path: 'wxfile://tmp/a.xls', name: '旧表格.xls', size: 1000 }] });
  render(<Page />);
  fireEvent.click(screen.getByText('选择文件并导入'));
  await screen.findByText('请选择 Excel 表格（.xlsx）文件。');
  expect(T.cloud.callFunction).not.toHaveBeenCalled();
});

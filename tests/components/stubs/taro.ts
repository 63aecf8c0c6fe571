/**
 * Stand-in for @tarojs/taro in jsdom: every API is a jest.fn a test can inspect or re-implement;
 * storage lives in memory; page hooks run like a page shown once. Tests reach the registered page
 * callbacks through `__page` (e.g. `__page.reachBottom()`).
 */
import { useEffect, useRef } from 'react';

const storage = new Map<string, unknown>();

type Fn = () => void;
export const __page: { reachBottom: Fn; pullDownRefresh: Fn; show: Fn; router: { params: Record<string, string> } } = {
  reachBottom: () => undefined,
  pullDownRefresh: () => undefined,
  show: () => undefined,
  router: { params: {} },
};

export function __reset(): void {
  storage.clear();
  __page.router = { params: {} };
}

const Taro = {
  showToast: jest.fn(async () => ({ errMsg: 'showToast:ok' })),
  showModal: jest.fn(async () => ({ confirm: true, cancel: false })),
  showLoading: jest.fn(async () => undefined),
  hideLoading: jest.fn(async () => undefined),
  navigateTo: jest.fn(async () => undefined),
  redirectTo: jest.fn(async () => undefined),
  navigateBack: jest.fn(async () => undefined),
  reLaunch: jest.fn(async () => undefined),
  getCurrentPages: jest.fn((): unknown[] => [{}]),
  setClipboardData: jest.fn(async (_opts: unknown) => undefined),
  setNavigationBarTitle: jest.fn(async () => undefined),
  stopPullDownRefresh: jest.fn(),
  previewImage: jest.fn(async () => undefined),
  chooseImage: jest.fn(async () => ({ tempFilePaths: [] as string[] })),
  chooseMedia: jest.fn(async () => ({ tempFiles: [] as { tempFilePath: string }[] })),
  downloadFile: jest.fn(async (_opts: unknown) => ({ statusCode: 200, tempFilePath: 'wxfile://tmp/ledger.xlsx' })),
  openDocument: jest.fn(async (_opts: unknown) => undefined),
  chooseMessageFile: jest.fn(async (_opts: unknown) => ({ tempFiles: [] as { path: string; name: string; size: number }[] })),
  request: jest.fn(async (_opts: unknown) => ({ statusCode: 200, data: { code: 0, data: null } as unknown, header: {} })),
  cloud: {
    init: jest.fn(),
    callFunction: jest.fn(async (_opts: unknown) => ({ result: { code: 0, data: null } as unknown })),
    uploadFile: jest.fn(async (_opts: unknown) => ({ fileID: 'cloud://env.bucket/x.jpg' })),
  },
  getStorageSync: jest.fn((key: string) => (storage.has(key) ? storage.get(key) : '')),
  setStorageSync: jest.fn((key: string, value: unknown) => {
    storage.set(key, value);
  }),
  getEnterOptionsSync: jest.fn((): { path: string; query: Record<string, string> } => ({ path: 'pages/index/index', query: {} })),
  removeStorageSync: jest.fn((key: string) => {
    storage.delete(key);
  }),
};

export default Taro;

export function useDidShow(fn: Fn): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    __page.show = () => ref.current();
    ref.current();
  }, []);
}
export function useLaunch(fn: Fn): void {
  useEffect(() => fn(), []); // eslint-disable-line react-hooks/exhaustive-deps
}
export function useReachBottom(fn: Fn): void {
  __page.reachBottom = fn;
}
export function usePullDownRefresh(fn: Fn): void {
  __page.pullDownRefresh = fn;
}
export function useRouter() {
  return __page.router;
}

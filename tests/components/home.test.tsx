/** The home page: entries by role, and the demo identity picker only in the H5 build. */
import type { ComponentType } from 'react';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrls: async () => ({}),
  newRequestId: () => 'req-home',
  uploadPhoto: jest.fn(),
}));

const USERS: Record<string, object> = {
  'demo-resident': { id: 'demo-resident', role: 'resident', name: '王秀英', orgId: 'org-1', orgName: '幸福里社区', categories: [] },
  'demo-organiser': {
    id: 'demo-organiser',
    role: 'organiser',
    name: '陈静',
    orgId: 'org-1',
    orgName: '幸福里社区',
    categories: ['生活帮扶'],
  },
};

const savedEnv = process.env.TARO_ENV;
const cleanups: Array<() => void> = [];
afterEach(() => {
  process.env.TARO_ENV = savedEnv;
  for (const c of cleanups.splice(0)) c();
});

function load(env: 'h5' | 'weapp') {
  process.env.TARO_ENV = env;
  let Home!: ComponentType;
  let call!: jest.Mock;
  let taro!: typeof import('./stubs/taro');
  let rtl!: typeof import('@testing-library/react/pure');
  jest.isolateModules(() => {
    // One React for the page and the renderer: load the testing library in the same registry.
    rtl = require('@testing-library/react/pure');
    cleanups.push(rtl.cleanup);
    taro = require('@tarojs/taro');
    call = require('@/services/gateway').call;
    Home = require('@/pages/index/index').default;
  });
  // whoami answers as whoever the picker stored (what the local cloud does with x-wx-openid).
  call.mockImplementation(async (name: string) => {
    if (name !== 'whoami') throw new Error(name);
    return USERS[(taro.default.getStorageSync('dev-openid') as string) || 'demo-resident'];
  });
  return { Home, call, taro, ...rtl };
}

test('H5: the picker is marked 本地演示；switching identity reloads whoami and the entries', async () => {
  const { Home, call, render, screen, fireEvent } = load('h5');
  const { container } = render(<Home />);
  expect(screen.getByText('本地演示')).toBeTruthy();
  await screen.findByText(/王秀英/);
  expect(container.querySelector('.btn-post')!.textContent).toBe('我要许愿');
  expect(container.querySelector('.btn-mine')).not.toBeNull();
  expect(container.querySelector('.btn-queue')).toBeNull();

  fireEvent.click(container.querySelector('.identity-demo-organiser')!);
  await screen.findByText(/陈静/);
  expect(call.mock.calls.filter((c) => c[0] === 'whoami')).toHaveLength(2);
  expect(container.querySelector('.whoami')!.textContent).toContain('社区');
  expect(container.querySelector('.btn-queue')!.textContent).toBe('心愿台账');
  expect(container.querySelector('.btn-post')!.textContent).toBe('代居民录入心愿');
  expect(container.querySelector('.identity-demo-organiser')!.className).toContain('chip-on');
  expect(container.querySelectorAll('.identity-option')).toHaveLength(6);
});

test('weapp: no demo picker', async () => {
  const { Home, render, screen } = load('weapp');
  const { container } = render(<Home />);
  await screen.findByText(/王秀英/);
  expect(container.querySelector('.identity-picker')).toBeNull();
  expect(screen.queryByText('本地演示')).toBeNull();
});

test('a failed whoami shows the message and a retry', async () => {
  const { Home, call, render, screen, fireEvent, waitFor } = load('weapp');
  const { GatewayError } = jest.requireActual('@/services/answer');
  call.mockReset();
  call.mockRejectedValueOnce(new GatewayError('NETWORK', '网络不太好，请稍后再试'));
  const { container } = render(<Home />);
  await screen.findByText('网络不太好，请稍后再试');
  call.mockResolvedValueOnce(USERS['demo-resident']);
  fireEvent.click(container.querySelector('.btn-retry')!);
  await waitFor(() => expect(container.querySelector('.btn-post')).not.toBeNull());
});

test('H5: an identity picked while the first whoami is still on its way wins, whichever answer comes last', async () => {
  // The browser suite met this (CI, browser·pg): the page's own whoami answered after the one for the picked identity
  // and the page showed the earlier person. Here the first answer is held until the second has been shown.
  const { Home, call, taro, render, screen, fireEvent, act } = load('h5');
  let releaseFirst!: () => void;
  const firstHeld = new Promise<void>((r) => (releaseFirst = r));
  call.mockReset();
  call.mockImplementation(async (name: string) => {
    if (name !== 'whoami') throw new Error(name);
    const who = (taro.default.getStorageSync('dev-openid') as string) || 'demo-resident';
    if (who === 'demo-resident') await firstHeld;
    return USERS[who];
  });
  const { container } = render(<Home />);
  fireEvent.click(container.querySelector('.identity-demo-organiser')!);
  await screen.findByText(/陈静/);
  await act(async () => {
    releaseFirst();
    await firstHeld;
    await new Promise((r) => setTimeout(r, 0));
  });
  expect(call.mock.calls.filter((c) => c[0] === 'whoami')).toHaveLength(2);
  expect(container.querySelector('.whoami')!.textContent).toContain('陈静');
  expect(container.querySelector('.whoami')!.textContent).not.toContain('王秀英');
  expect(container.querySelector('.btn-queue')).not.toBeNull();
});

/**
 * The CloudBase web site (a WEB_CLOUD=cloudbase build, issue 23) serves the card page (a card's or a receipt's code)
 * and 公开栏; every other page shows 请在微信小程序中打开 over it, and its calls are not sent.
 */
import { act, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import App from '@/app';
import { webServes } from '@/components/MiniProgramOnly';
import { transport } from '@/services/transport.h5';

const g = globalThis as { TCB_WEB_ENV?: string; MINI_PROGRAM_CODE_URL?: string };
const savedEnv = process.env.TARO_ENV;
const realFetch = global.fetch;
beforeEach(() => {
  process.env.TARO_ENV = 'h5';
  g.TCB_WEB_ENV = 'wish-prod-1a2b';
});
afterEach(() => {
  process.env.TARO_ENV = savedEnv;
  delete g.TCB_WEB_ENV;
  delete g.MINI_PROGRAM_CODE_URL;
  global.fetch = realFetch;
  window.location.hash = '';
});

const page = createElement('div', { className: 'taro_page' }, '页面本身');
const at = (hash: string) => {
  window.location.hash = hash;
  return render(createElement(App, null, page));
};

test('the pages the site serves: the card page and 公开栏 (with or without a query); not the root nor any other', () => {
  expect(webServes('#/card/index?no=7K3M-9QXA-2B4C')).toBe(true);
  expect(webServes('#/public/index')).toBe(true);
  expect(webServes('#/public/index?org=o1')).toBe(true);
  for (const h of ['', '#/', '#/pages/index/index', '#/pages/mine/index', '#/organiser/receipt/index', '#/card/index/x', '#/cards/index'])
    expect(webServes(h)).toBe(false);
});

test('a card’s link shows the card page as it is', () => {
  at('#/card/index?no=7K3M-9QXA-2B4C');
  expect(screen.getByText('页面本身')).toBeTruthy();
  expect(screen.queryByText('请在微信小程序中打开')).toBeNull();
});

test('the site’s root and a signed-in page say 请在微信小程序中打开, not an error; following a link to one says it too', () => {
  at('');
  expect(screen.getByText('请在微信小程序中打开')).toBeTruthy();
  expect(screen.getByText('请在微信里搜索小程序「微心愿」。')).toBeTruthy();
  expect(screen.queryByRole('img')).toBeNull();
  document.body.innerHTML = '';
  const { queryByText } = at('#/public/index');
  expect(queryByText('请在微信小程序中打开')).toBeNull();
  act(() => {
    window.location.hash = '#/pages/mine/index';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  expect(queryByText('请在微信小程序中打开')).toBeTruthy();
});

test('with the mini-program code’s image in the build, the page shows it with how to scan it', () => {
  g.MINI_PROGRAM_CODE_URL = 'https://wish.example.cn/mp-code.png';
  const { container } = at('#/organiser/workbench/index');
  expect(container.querySelector('.mp-only-code')?.getAttribute('src')).toBe('https://wish.example.cn/mp-code.png');
  expect(screen.getByText('用微信扫一扫上面的小程序码，打开「微心愿」小程序。')).toBeTruthy();
});

test('the local H5 build (no environment baked in) is the whole app: no cover anywhere', () => {
  delete g.TCB_WEB_ENV;
  at('#/pages/mine/index');
  expect(screen.queryByText('请在微信小程序中打开')).toBeNull();
});

test('on the site, a mini-program-only page’s calls are refused without a request', async () => {
  const fetch = jest.fn();
  global.fetch = fetch;
  await expect(transport.send('account', { op: 'me' })).rejects.toMatchObject({
    code: 'AUTH.NO_IDENTITY',
    message: '请在微信小程序中打开',
  });
  await expect(transport.send('reports', {})).rejects.toMatchObject({ code: 'AUTH.NO_IDENTITY' });
  expect(fetch).not.toHaveBeenCalled();
});

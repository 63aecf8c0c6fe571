/**
 * A printed card says which code it carries (issue 23): the mini-program code opens only in WeChat's scanner; the web
 * page's QR code opens with any phone camera, in the browser (server/cards.ts `codeKind`).
 */
import { fireEvent, render, screen } from '@testing-library/react';
import { call } from '@/services/gateway';
import CardsPage from '@/organiser/cards/index';
import { __reset } from './stubs/taro';

jest.mock('@/services/gateway', () => ({ ...jest.requireActual('@/services/answer'), call: jest.fn() }));
const mockCall = call as jest.MockedFunction<typeof call>;

beforeEach(() => {
  __reset();
  mockCall.mockReset();
});

const card = (cardNo: string, codeKind: 'qr' | 'wxacode') => ({
  cardNo,
  pin: '123456',
  url: `https://wish.example.cn/#/card/index?no=${cardNo}`,
  qr: 'data:image/png;base64,AA',
  codeKind,
});

test('a card with the mini-program code says to scan it in WeChat; one with the web page’s code, any camera and the browser', async () => {
  mockCall.mockImplementation(async (_fn, data) =>
    (data as { mode: string }).mode === 'unlinked'
      ? { items: [] }
      : { orgName: '幸福里社区', cards: [card('7K3M-9QXA-2B4C', 'wxacode'), card('8K3M-9QXA-2B4C', 'qr')] },
  );
  const { container } = render(<CardsPage />);
  fireEvent.click(container.querySelector('.btn-make-cards')!);
  await screen.findByText('卡号 7K3M-9QXA-2B4C');
  const hints = Array.from(container.querySelectorAll('.wc-hint')).map((e) => e.textContent);
  expect(hints).toEqual(['用微信扫一扫打开小程序查看进度', '用手机相机或微信扫码，在浏览器里查看进度']);
});

test('the sheet says where to hand a filled-in card back (the organisation’s returnTo), and the PIN sits in its own box', async () => {
  mockCall.mockImplementation(async (_fn, data) =>
    (data as { mode: string }).mode === 'unlinked'
      ? { items: [] }
      : { orgName: '幸福里社区', returnTo: '幸福里社区居委会（3 号楼 1 层）', cards: [card('7K3M-9QXA-2B4C', 'qr')] },
  );
  const { container } = render(<CardsPage />);
  fireEvent.click(container.querySelector('.btn-make-cards')!);
  await screen.findByText('卡号 7K3M-9QXA-2B4C');
  const printed = container.querySelector('.wish-card-print')!;
  expect(printed.querySelector('.wc-return')!.textContent).toBe('填好后请交回：幸福里社区居委会（3 号楼 1 层）');
  // The stub: the card number, and the PIN alone in its box (label and digits), which the print layout keeps whole.
  const stub = printed.querySelector('.wc-stub')!;
  expect(stub.querySelector('.wc-stub-text')!.textContent).toBe('存根（居民留存）卡号 7K3M-9QXA-2B4C');
  expect(stub.querySelector('.wc-pin')!.textContent).toBe('查询码123456');
  expect(stub.querySelector('.wc-pin .wc-pin-no')!.textContent).toBe('123456');
});

test('a sheet without a return place (an older server) prints no empty 请交回 line', async () => {
  mockCall.mockImplementation(async (_fn, data) =>
    (data as { mode: string }).mode === 'unlinked' ? { items: [] } : { orgName: '幸福里社区', cards: [card('7K3M-9QXA-2B4C', 'qr')] },
  );
  const { container } = render(<CardsPage />);
  fireEvent.click(container.querySelector('.btn-make-cards')!);
  await screen.findByText('卡号 7K3M-9QXA-2B4C');
  expect(container.querySelector('.wc-return')).toBeNull();
  expect(container.textContent).not.toContain('请交回');
});

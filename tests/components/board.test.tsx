import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { call } from '@/services/gateway';
import { GatewayError } from '@/services/answer';
import { __page } from './stubs/taro';
import Board from '@/member/board/index';
import { forgetMe } from '@/services/session';
import type { BoardItem } from '@/core';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrls: async () => ({}),
  newRequestId: () => 'req-test',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;
/** The board's answers, in order; whoami and the tab bar's notifications answer on their own. */
const board: Array<unknown | Error | Promise<unknown>> = [];
const ME = { id: 'demo-member', role: 'member', name: '李明', orgId: 'org-1', orgName: '幸福里社区', categories: ['生活帮扶', '助学圆梦'] };
function boardCalls() {
  return mockCall.mock.calls.filter((c) => c[0] === 'board');
}

function item(n: number): BoardItem {
  return {
    _id: `w${n}`,
    title: `心愿 ${n}`,
    summary: `摘要 ${n}`,
    category: '生活帮扶',
    orgId: 'org-1',
    status: 'published',
    publishedAt: '2025-11-23T06:05:00.000Z',
    createdAt: '2025-11-22T06:05:00.000Z',
  };
}

beforeEach(() => {
  mockCall.mockReset();
  forgetMe();
  board.length = 0;
  mockCall.mockImplementation(async (name: string) => {
    if (name === 'whoami') return ME;
    if (name === 'notifications') return { items: [], cursor: null };
    if (name !== 'board') throw new Error(name);
    const next = board.shift();
    if (next instanceof Error) throw next;
    return next;
  });
});

test('renders cards from the board and loads the next page with the cursor', async () => {
  board.push({ items: [item(1), item(2)], cursor: 'c-2' });
  const { container } = render(<Board />);
  await screen.findByText('心愿 1');
  expect(boardCalls()[0]).toEqual(['board', { limit: 20 }]);
  const cards = container.querySelectorAll('.board-card');
  expect(cards).toHaveLength(2);
  expect(cards[0]!.textContent).toContain('生活帮扶');
  expect(cards[0]!.textContent).toContain('摘要 1');

  board.push({ items: [item(3)], cursor: null });
  fireEvent.click(container.querySelector('.btn-more')!);
  await screen.findByText('心愿 3');
  expect(boardCalls().at(-1)).toEqual(['board', { limit: 20, cursor: 'c-2' }]);
  expect(container.querySelectorAll('.board-card')).toHaveLength(3);
  expect(container.querySelector('.btn-more')).toBeNull();
  expect(screen.getByText('没有更多了')).toBeTruthy();
});

test('reaching the bottom loads more; tapping a card opens the wish', async () => {
  board.push({ items: [item(1)], cursor: 'c-1' });
  const { container } = render(<Board />);
  await screen.findByText('心愿 1');
  board.push({ items: [item(2)], cursor: null });
  act(() => __page.reachBottom());
  await screen.findByText('心愿 2');
  expect(boardCalls().at(-1)).toEqual(['board', { limit: 20, cursor: 'c-1' }]);

  const Taro = (await import('@tarojs/taro')).default;
  fireEvent.click(container.querySelector('.board-card')!);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/wish/index?id=w1' });
});

test('shows an empty state that says what to do', async () => {
  board.push({ items: [], cursor: null });
  const { container } = render(<Board />);
  await waitFor(() => expect(container.querySelector('.state-empty')).not.toBeNull());
  expect(container.querySelector('.state-empty')!.textContent).toContain('往下拉可以刷新');
  expect(container.querySelectorAll('.board-card')).toHaveLength(0);
});

test('shows the server message and retries on error', async () => {
  board.push(new GatewayError('AUTH.FORBIDDEN', '您没有权限做这件事'));
  const { container } = render(<Board />);
  await screen.findByText('您没有权限做这件事');
  board.push({ items: [item(1)], cursor: null });
  fireEvent.click(container.querySelector('.btn-retry')!);
  await screen.findByText('心愿 1');
});

test('shows a loading state until the first page arrives', async () => {
  let resolve!: (v: unknown) => void;
  board.push(new Promise((r) => (resolve = r)));
  const { container } = render(<Board />);
  expect(container.querySelector('.state-loading')!.textContent).toContain('正在加载');
  await act(async () => resolve({ items: [item(1)], cursor: null }));
  expect(container.querySelector('.state-loading')).toBeNull();
  expect(container.querySelectorAll('.board-card')).toHaveLength(1);
});

test('urgent wishes carry a badge; the category filter asks the board again with the category', async () => {
  board.push({ items: [{ ...item(1), urgent: true, orgName: '幸福里社区' }, item(2)], cursor: null });
  const { container } = render(<Board />);
  await screen.findByText('心愿 1');
  const cards = container.querySelectorAll('.board-card');
  expect(cards[0]!.className).toContain('board-urgent');
  expect(cards[0]!.textContent).toContain('紧急');
  expect(cards[1]!.textContent).not.toContain('紧急');
  await waitFor(() => expect(container.querySelector('.category-filter .chip-助学圆梦')).not.toBeNull());

  board.push({ items: [], cursor: null });
  fireEvent.click(container.querySelector('.category-filter .chip-助学圆梦')!);
  await waitFor(() => expect(container.querySelector('.state-empty')).not.toBeNull());
  expect(boardCalls().at(-1)).toEqual(['board', { limit: 20, category: '助学圆梦' }]);
  expect(container.querySelectorAll('.board-card')).toHaveLength(0);
  // The empty state of a filter says what to do: show everything again.
  expect(container.querySelector('.state-empty')!.textContent).toContain('全部分类');
  board.push({ items: [item(1)], cursor: null });
  fireEvent.click(container.querySelector('.btn-clear-filter')!);
  await screen.findByText('心愿 1');
  expect(boardCalls().at(-1)).toEqual(['board', { limit: 20 }]);
});

test('pull-down refresh asks for the first page again (no cursor)', async () => {
  board.push({ items: [item(1)], cursor: 'c-1' });
  render(<Board />);
  await screen.findByText('心愿 1');
  board.push({ items: [item(5), item(1)], cursor: 'c-5' });
  const Taro = (await import('@tarojs/taro')).default;
  act(() => __page.pullDownRefresh());
  await screen.findByText('心愿 5');
  expect(boardCalls().at(-1)).toEqual(['board', { limit: 20 }]);
  await waitFor(() => expect(Taro.stopPullDownRefresh).toHaveBeenCalled());
});

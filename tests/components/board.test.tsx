import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { call } from '@/services/gateway';
import { GatewayError } from '@/services/answer';
import { __page } from './stubs/taro';
import Board from '@/member/board/index';
import type { BoardItem } from '@/core';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrl: (id: string) => id,
  newRequestId: () => 'req-test',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;

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

beforeEach(() => mockCall.mockReset());

test('renders cards from the board and loads the next page with the cursor', async () => {
  mockCall.mockResolvedValueOnce({ items: [item(1), item(2)], cursor: 'c-2' });
  const { container } = render(<Board />);
  await screen.findByText('心愿 1');
  expect(mockCall).toHaveBeenCalledWith('board', {});
  const cards = container.querySelectorAll('.board-card');
  expect(cards).toHaveLength(2);
  expect(cards[0]!.textContent).toContain('生活帮扶');
  expect(cards[0]!.textContent).toContain('摘要 1');

  mockCall.mockResolvedValueOnce({ items: [item(3)], cursor: null });
  fireEvent.click(container.querySelector('.btn-more')!);
  await screen.findByText('心愿 3');
  expect(mockCall).toHaveBeenLastCalledWith('board', { cursor: 'c-2' });
  expect(container.querySelectorAll('.board-card')).toHaveLength(3);
  expect(container.querySelector('.btn-more')).toBeNull();
  expect(screen.getByText('没有更多了')).toBeTruthy();
});

test('reaching the bottom loads more; tapping a card opens the wish', async () => {
  mockCall.mockResolvedValueOnce({ items: [item(1)], cursor: 'c-1' });
  const { container } = render(<Board />);
  await screen.findByText('心愿 1');
  mockCall.mockResolvedValueOnce({ items: [item(2)], cursor: null });
  act(() => __page.reachBottom());
  await screen.findByText('心愿 2');
  expect(mockCall).toHaveBeenLastCalledWith('board', { cursor: 'c-1' });

  const Taro = (await import('@tarojs/taro')).default;
  fireEvent.click(container.querySelector('.board-card')!);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/wish/index?id=w1' });
});

test('shows an empty state that says what to do', async () => {
  mockCall.mockResolvedValueOnce({ items: [], cursor: null });
  const { container } = render(<Board />);
  await waitFor(() => expect(container.querySelector('.state-empty')).not.toBeNull());
  expect(container.querySelector('.state-empty')!.textContent).toContain('下拉可以刷新');
  expect(container.querySelectorAll('.board-card')).toHaveLength(0);
});

test('shows the server message and retries on error', async () => {
  mockCall.mockRejectedValueOnce(new GatewayError('AUTH.FORBIDDEN', '您没有权限做这件事'));
  const { container } = render(<Board />);
  await screen.findByText('您没有权限做这件事');
  mockCall.mockResolvedValueOnce({ items: [item(1)], cursor: null });
  fireEvent.click(container.querySelector('.btn-retry')!);
  await screen.findByText('心愿 1');
});

test('shows a loading state until the first page arrives', async () => {
  let resolve!: (v: unknown) => void;
  mockCall.mockReturnValueOnce(new Promise((r) => (resolve = r)));
  const { container } = render(<Board />);
  expect(container.querySelector('.state-loading')!.textContent).toContain('正在加载');
  await act(async () => resolve({ items: [item(1)], cursor: null }));
  expect(container.querySelector('.state-loading')).toBeNull();
  expect(container.querySelectorAll('.board-card')).toHaveLength(1);
});

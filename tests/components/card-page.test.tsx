/**
 * 心愿进度 by card (issue 11): the page a wish card's QR code opens — progress by the card number in the link, and
 * feedback with the PIN once the wish is done.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { call, GatewayError } from '@/services/gateway';
import CardPage from '@/card/index';
import Taro, { __page, __reset } from './stubs/taro';

jest.mock('@/services/gateway', () => ({ ...jest.requireActual('@/services/answer'), call: jest.fn() }));
const mockCall = call as jest.MockedFunction<typeof call>;

const claimed = {
  cardNo: '7K3M-9QXA-2B4C',
  orgName: '幸福里社区',
  linked: true,
  status: 'claimed',
  stages: [
    { stage: '收到心愿', day: '2026-11-20' },
    { stage: '党员已认领', day: '2026-11-22' },
  ],
  claimedBy: '已被幸福里社区党员认领',
  promisedBy: '2026-11-30',
  canFeedback: false,
};

beforeEach(() => {
  __reset();
  mockCall.mockReset();
});

test('the QR link’s card number shows the stages, who took it on and the promised date; no feedback yet', async () => {
  __page.router = { params: { no: '7K3M-9QXA-2B4C' } };
  mockCall.mockResolvedValueOnce(claimed);
  render(<CardPage />);
  await screen.findByText('已被幸福里社区党员认领');
  expect(mockCall).toHaveBeenCalledWith('wishCards', { mode: 'progress', cardNo: '7K3M-9QXA-2B4C' });
  expect(screen.getByText('承诺 11月30日前办好')).toBeTruthy();
  expect(screen.getByText(/11月22日.党员已认领/)).toBeTruthy();
  expect(screen.queryByText('提交反馈')).toBeNull();
});

test('done: the PIN and a satisfaction give the feedback; a wrong PIN shows the server’s message', async () => {
  __page.router = { params: { no: '7K3M-9QXA-2B4C' } };
  mockCall.mockResolvedValueOnce({ ...claimed, status: 'fulfilled', canFeedback: true });
  const { container } = render(<CardPage />);
  await screen.findByText('提交反馈');
  fireEvent.click(screen.getByText('提交反馈'));
  await screen.findByText('请填写心愿卡存根上的 6 位查询码。');
  fireEvent.input(container.querySelector('.card-pin')!, { target: { value: '123456' } });
  fireEvent.click(screen.getByText('满意'));
  mockCall.mockRejectedValueOnce(new GatewayError('CARD.PIN_WRONG', '查询码不对，请核对心愿卡存根上的查询码（还可以试 3 次）'));
  fireEvent.click(screen.getByText('提交反馈'));
  await screen.findByText(/还可以试 3 次/);
  mockCall.mockResolvedValueOnce({ ...claimed, status: 'reviewed', canFeedback: false });
  fireEvent.click(screen.getByText('提交反馈'));
  await screen.findByText('谢谢您的反馈！');
  expect(mockCall).toHaveBeenLastCalledWith('wishCards', {
    mode: 'feedback',
    cardNo: '7K3M-9QXA-2B4C',
    pin: '123456',
    satisfaction: 'satisfied',
  });
  await waitFor(() => expect(screen.queryByText('提交反馈')).toBeNull());
});

test('in the mini-program the card’s code opens the page with scene = the card number (page options, or the launch options)', async () => {
  __page.router = { params: { scene: encodeURIComponent('7K3M-9QXA-2B4C') } };
  mockCall.mockResolvedValue(claimed);
  const first = render(<CardPage />);
  await screen.findByText('已被幸福里社区党员认领');
  expect(mockCall).toHaveBeenLastCalledWith('wishCards', { mode: 'progress', cardNo: '7K3M-9QXA-2B4C' });
  first.unmount();
  // Scanned with WeChat closed: the scene arrives in the launch options' query.
  __page.router = { params: {} };
  (Taro.getEnterOptionsSync as jest.Mock).mockReturnValueOnce({ path: 'card/index', query: { scene: '7K3M-9QXA-2B4D' } });
  render(<CardPage />);
  await waitFor(() => expect(mockCall).toHaveBeenLastCalledWith('wishCards', { mode: 'progress', cardNo: '7K3M-9QXA-2B4D' }));
});

test('the heading follows the status: after the wish is done, no 已被…认领 / 承诺…前办好', async () => {
  for (const [status, headline] of [
    ['fulfilled', '心愿已经办好了，请告诉我们您是否满意。'],
    ['reviewed', '心愿已经办好，已收到您的反馈。'],
    ['closed', '心愿已办结，谢谢您的反馈。'],
  ] as const) {
    __reset();
    __page.router = { params: { no: '7K3M-9QXA-2B4C' } };
    mockCall.mockResolvedValueOnce({ ...claimed, status, canFeedback: status === 'fulfilled' });
    const { unmount } = render(<CardPage />);
    await screen.findByText(headline);
    expect(screen.queryByText('已被幸福里社区党员认领')).toBeNull();
    expect(screen.queryByText(/承诺 .*前办好/)).toBeNull();
    unmount();
  }
});

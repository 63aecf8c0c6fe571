/**
 * The privacy notice before the first post: the text, the consent call, the notice page (subpackage
 * `consent`) and the gate on the post page, which opens that page and re-reads whoami when shown again.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { __page } from './stubs/taro';
import { call } from '@/services/gateway';
import { PrivacyNotice } from '@/consent/PrivacyNotice';
import Consent from '@/consent/index';
import { NOTICE_VERSION } from '@/core';
import { NOTICE_PARAGRAPHS } from '@/core/noticeText';
import { forgetMe, loadMe } from '@/services/session';
import Post from '@/pages/post/index';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrls: async () => ({}),
  newRequestId: () => 'req-privacy',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;
beforeEach(() => {
  mockCall.mockReset();
  forgetMe(); // each test starts without a cached whoami
  jest.mocked(Taro.navigateTo).mockClear();
  jest.mocked(Taro.navigateBack).mockClear();
});

const me = (accepted: boolean) => ({
  id: 'r1',
  role: 'resident',
  name: '王秀英',
  orgId: 'org-1',
  orgName: '幸福里社区',
  categories: [],
  consent: { current: NOTICE_VERSION, accepted, sensitive: false, acceptedVersion: accepted ? NOTICE_VERSION : null },
});

test('the notice shows every paragraph and agreeing records the current version', async () => {
  const onAccepted = jest.fn();
  mockCall.mockResolvedValue({ current: NOTICE_VERSION, accepted: true, sensitive: false });
  const { container } = render(<PrivacyNotice onAccepted={onAccepted} />);
  expect(screen.getByText('个人信息保护告知书')).toBeTruthy();
  for (const p of NOTICE_PARAGRAPHS) expect(screen.getByText(p)).toBeTruthy();
  fireEvent.click(container.querySelector('.btn-agree')!);
  await waitFor(() => expect(onAccepted).toHaveBeenCalled());
  expect(mockCall).toHaveBeenCalledWith('consent', { notice: 'main', version: NOTICE_VERSION });
});

test('a failed consent call shows the message and does not continue', async () => {
  const onAccepted = jest.fn();
  const { GatewayError } = jest.requireActual('@/services/answer');
  mockCall.mockRejectedValue(new GatewayError('INPUT.INVALID', '告知书已更新'));
  const { container } = render(<PrivacyNotice onAccepted={onAccepted} />);
  fireEvent.click(container.querySelector('.btn-agree')!);
  expect(await screen.findByText(/告知书已更新/)).toBeTruthy();
  expect(onAccepted).not.toHaveBeenCalled();
});

test('the post page opens the notice page instead of the form, and shows the form once whoami says accepted', async () => {
  let accepted = false;
  mockCall.mockImplementation(async (name: string) => (name === 'whoami' ? me(accepted) : { items: [], cursor: null }) as never);
  const { container } = render(<Post />);
  await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/consent/index' }));
  expect(container.querySelector('.post-form')).toBeNull();
  expect(container.querySelector('.consent-gate')).not.toBeNull();
  // Back from the notice page after agreeing: the page is shown again and asks whoami afresh.
  accepted = true;
  const before = mockCall.mock.calls.filter((c) => c[0] === 'whoami').length;
  act(() => __page.show());
  await waitFor(() => expect(container.querySelector('.post-form')).not.toBeNull());
  expect(mockCall.mock.calls.filter((c) => c[0] === 'whoami').length).toBeGreaterThan(before);
  expect(Taro.navigateTo).toHaveBeenCalledTimes(1);
});

test('the notice page records consent, forgets the cached whoami and goes back', async () => {
  mockCall.mockImplementation(
    async (name: string) => (name === 'whoami' ? me(false) : { current: NOTICE_VERSION, accepted: true, sensitive: false }) as never,
  );
  await loadMe(true);
  const { container } = render(<Consent />);
  expect(screen.getByText('个人信息保护告知书')).toBeTruthy();
  fireEvent.click(container.querySelector('.btn-agree')!);
  await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled());
  expect(mockCall).toHaveBeenCalledWith('consent', { notice: 'main', version: NOTICE_VERSION });
  const asked = mockCall.mock.calls.filter((c) => c[0] === 'whoami').length;
  await loadMe();
  expect(mockCall.mock.calls.filter((c) => c[0] === 'whoami').length).toBe(asked + 1); // not the cached answer
});

test('a caller who accepted the current notice goes straight to the form', async () => {
  mockCall.mockImplementation(async () => me(true) as never);
  const { container } = render(<Post />);
  await waitFor(() => expect(mockCall).toHaveBeenCalledWith('whoami'));
  expect(container.querySelector('.post-form')).not.toBeNull();
  expect(screen.queryByText('个人信息保护告知书')).toBeNull();
});

/** The privacy notice before the first post: the text, the consent call, and the gate on the post page. */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { call } from '@/services/gateway';
import { PrivacyNotice } from '@/components/PrivacyNotice';
import { NOTICE_PARAGRAPHS, NOTICE_VERSION } from '@/core';
import Post from '@/pages/post/index';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrl: (id: string) => id,
  newRequestId: () => 'req-privacy',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;
beforeEach(() => mockCall.mockReset());

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

test('the post page shows the notice instead of the form until the caller has accepted it', async () => {
  mockCall.mockImplementation(async (name: string) => (name === 'whoami' ? me(false) : { current: NOTICE_VERSION, accepted: true, sensitive: false }) as never);
  const { container } = render(<Post />);
  await screen.findByText('个人信息保护告知书');
  expect(container.querySelector('.post-form')).toBeNull();
  fireEvent.click(container.querySelector('.btn-agree')!);
  await waitFor(() => expect(container.querySelector('.post-form')).not.toBeNull());
  expect(screen.queryByText('个人信息保护告知书')).toBeNull();
});

test('a caller who accepted the current notice goes straight to the form', async () => {
  mockCall.mockImplementation(async () => me(true) as never);
  const { container } = render(<Post />);
  await waitFor(() => expect(mockCall).toHaveBeenCalledWith('whoami'));
  expect(container.querySelector('.post-form')).not.toBeNull();
  expect(screen.queryByText('个人信息保护告知书')).toBeNull();
});

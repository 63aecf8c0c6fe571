/** Double taps never submit twice (issue 10): the second tap in the same frame, before React re-renders, is ignored. */
import { act, fireEvent, render } from '@testing-library/react';
import { call } from '@/services/gateway';
import { PrivacyNotice } from '@/consent/PrivacyNotice';
import { JoinForm } from '@/account/join/index';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrl: (id: string) => id,
  newRequestId: () => 'req-tap',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;

/** A call that stays in flight until `release()`. */
function pending() {
  let release: (v: unknown) => void = () => undefined;
  mockCall.mockReset();
  mockCall.mockImplementation(() => new Promise((r) => (release = r)));
  return () => act(async () => release({}));
}

test('同意 tapped twice sends one consent', async () => {
  const release = pending();
  const onAccepted = jest.fn();
  const { container } = render(<PrivacyNotice onAccepted={onAccepted} />);
  const agree = container.querySelector('.btn-agree')!;
  act(() => {
    fireEvent.click(agree);
    fireEvent.click(agree);
  });
  expect(mockCall).toHaveBeenCalledTimes(1);
  expect(agree.textContent).toMatch(/正在/); // the loading text shows at once
  await release();
  expect(onAccepted).toHaveBeenCalledTimes(1);
});

test('加入支部 tapped twice sends one join', async () => {
  const release = pending();
  const { container } = render(<JoinForm onJoined={jest.fn()} />);
  fireEvent.change(container.querySelector('.input-invite-code')!, { target: { value: 'ABCD2345' } });
  fireEvent.change(container.querySelector('.input-member-name')!, { target: { value: '张建国' } });
  const submit = container.querySelector('.btn-join')!;
  act(() => {
    fireEvent.click(submit);
    fireEvent.click(submit);
  });
  expect(mockCall).toHaveBeenCalledTimes(1);
  await release();
});

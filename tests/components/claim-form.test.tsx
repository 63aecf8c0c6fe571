import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { call } from '@/services/gateway';
import { GatewayError } from '@/services/answer';
import { addDays, chinaDate } from '@/core';
import { ActionPanel, ClaimForm } from '@/components/ActionPanel';
import { OrganiserActions } from '@/organiser/forms';
import { wishView } from './fixtures';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrls: async () => ({}),
  newRequestId: () => 'req-claim-1',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;

// 2025-11-23 17:00 UTC is already 2025-11-24 in China: the bounds follow China time.
const NOW = new Date('2025-11-23T17:00:00.000Z');
const TODAY = chinaDate(NOW);

function setDate(container: HTMLElement, value: string) {
  fireEvent.change(container.querySelector('.input-promised-by .picker-value')!, { target: { value } });
}

beforeEach(() => mockCall.mockReset());

test('defaults to a week from today (China time) and sends the claim event', async () => {
  expect(TODAY).toBe('2025-11-24');
  mockCall.mockResolvedValueOnce(wishView({ status: 'claimed' }));
  const onDone = jest.fn();
  const { container } = render(<ClaimForm wish={wishView({ actions: ['claim'] })} onDone={onDone} now={NOW} />);
  const picker = container.querySelector('.input-promised-by')!;
  expect(picker.getAttribute('data-start')).toBe('2025-11-24');
  expect(picker.getAttribute('data-end')).toBe(addDays(TODAY, 90));

  fireEvent.click(container.querySelector('.btn-claim')!);
  fireEvent.click(container.querySelector('.btn-claim')!); // a double tap
  await waitFor(() => expect(onDone).toHaveBeenCalledWith('认领成功'));
  expect(mockCall).toHaveBeenCalledTimes(1);
  expect(mockCall).toHaveBeenCalledWith('claim', { wishId: 'w1', promisedBy: '2025-12-01', requestId: 'req-claim-1' });
});

test.each([
  ['after 90 days', addDays('2025-11-24', 91)],
  ['in the past', '2025-11-23'],
])('refuses a date %s with a Chinese message and does not call', async (_label, day) => {
  const { container } = render(<ClaimForm wish={wishView({ actions: ['claim'] })} onDone={jest.fn()} now={NOW} />);
  setDate(container, day);
  fireEvent.click(container.querySelector('.btn-claim')!);
  const msg = await screen.findByText(/承诺完成日期/);
  expect(msg.textContent).toContain(`请选择 2025-11-24 到 ${addDays('2025-11-24', 90)} 之间的日期`);
  expect(mockCall).not.toHaveBeenCalled();
});

test('a chosen date inside the bounds is sent as chosen', async () => {
  mockCall.mockResolvedValueOnce(wishView({ status: 'claimed' }));
  const { container } = render(<ClaimForm wish={wishView({ actions: ['claim'] })} onDone={jest.fn()} now={NOW} />);
  setDate(container, addDays(TODAY, 90));
  fireEvent.click(container.querySelector('.btn-claim')!);
  await waitFor(() => expect(mockCall).toHaveBeenCalledWith('claim', { wishId: 'w1', promisedBy: '2026-02-22', requestId: 'req-claim-1' }));
});

test('a lost race shows the server message', async () => {
  mockCall.mockRejectedValueOnce(new GatewayError('WISH.ALREADY_CLAIMED', '手慢了，这个心愿已被其他党员认领'));
  const onDone = jest.fn();
  const { container } = render(<ClaimForm wish={wishView({ actions: ['claim'] })} onDone={onDone} now={NOW} />);
  fireEvent.click(container.querySelector('.btn-claim')!);
  await screen.findByText('手慢了，这个心愿已被其他党员认领');
  expect(onDone).not.toHaveBeenCalled();
});

describe('the action panel renders only the actions the server allows', () => {
  test('a member on a published wish sees only the claim form', () => {
    const { container } = render(<ActionPanel wish={wishView({ actions: ['claim'] })} categories={[]} role="member" onDone={jest.fn()} />);
    expect(container.querySelector('.btn-claim')).not.toBeNull();
    for (const cls of [
      'btn-register',
      'btn-reject',
      'btn-publish',
      'btn-fulfil',
      'btn-feedback',
      'btn-close-out',
      'btn-withdraw',
      'btn-release',
      'btn-assign',
      'btn-revive',
    ]) {
      expect(container.querySelector(`.${cls}`)).toBeNull();
    }
  });

  test('no actions: no panel', () => {
    const { container } = render(<ActionPanel wish={wishView({ actions: [] })} categories={[]} role="resident" onDone={jest.fn()} />);
    expect(container.querySelector('.action-panel')).toBeNull();
  });

  test('an organiser registers with category and track chips', async () => {
    const onDone = jest.fn();
    const w = wishView({ status: 'collected', summary: '', actions: ['register', 'defer', 'reject', 'withdraw'] });
    mockCall.mockImplementation(async (name: string) => (name === 'duplicates' ? { items: [] } : wishView({ status: 'registered' })));
    const { container } = render(
      <ActionPanel wish={w} categories={['生活帮扶', '精神慰藉']} role="organiser" onDone={onDone} organiser={OrganiserActions} />,
    );
    expect(container.querySelector('.btn-reject')).not.toBeNull();
    expect(container.querySelector('.btn-withdraw')).not.toBeNull();
    expect(container.querySelector('.btn-claim')).toBeNull();

    fireEvent.click(container.querySelector('.btn-register')!);
    await screen.findByText('分类：请选择分类');
    expect(mockCall.mock.calls.filter((c) => c[0] === 'register')).toHaveLength(0);

    fireEvent.click(container.querySelector('.chip-精神慰藉')!);
    fireEvent.click(container.querySelector('.chip-individual')!);
    fireEvent.click(container.querySelector('.btn-register')!);
    await waitFor(() => expect(onDone).toHaveBeenCalledWith('已登记'));
    expect(mockCall).toHaveBeenCalledWith('register', {
      wishId: 'w1',
      category: '精神慰藉',
      track: 'individual',
      publicTitle: '【精神慰藉】一位居民需要帮助', // the prefilled suggestions, confirmed by registering
      summary: '一位居民需要“精神慰藉”方面的帮助。',
      requestId: 'req-claim-1',
    });
  });

  test('rejecting needs a reason the resident can read', async () => {
    const w = wishView({ status: 'collected', summary: '', actions: ['register', 'defer', 'reject', 'withdraw'] });
    mockCall.mockImplementation(async (name: string) => (name === 'duplicates' ? { items: [] } : wishView({ status: 'rejected' })));
    const { container } = render(<ActionPanel wish={w} categories={[]} role="organiser" onDone={jest.fn()} organiser={OrganiserActions} />);
    fireEvent.click(container.querySelector('.btn-reject')!);
    await screen.findByText(/请写明不予受理的原因/);
    expect(mockCall.mock.calls.filter((c) => c[0] === 'register')).toHaveLength(0);
    fireEvent.change(container.querySelector('.input-reject-reason')!, { target: { value: '不属于本社区' } });
    fireEvent.click(container.querySelector('.btn-reject')!);
    await waitFor(() =>
      expect(mockCall).toHaveBeenCalledWith('register', {
        wishId: 'w1',
        decision: 'reject',
        reason: '不属于本社区',
        requestId: 'req-claim-1',
      }),
    );
  });

  test('feedback sends the chosen satisfaction', async () => {
    mockCall.mockResolvedValueOnce(wishView({ status: 'reviewed' }));
    const w = wishView({ status: 'fulfilled', mine: true, private: true, actions: ['feedback'] });
    const { container } = render(<ActionPanel wish={w} categories={[]} role="resident" onDone={jest.fn()} />);
    fireEvent.click(container.querySelector('.btn-feedback')!);
    await screen.findByText(/满意度/);
    fireEvent.click(container.querySelector('.chip-satisfied')!);
    fireEvent.change(container.querySelector('.input-comment')!, { target: { value: '谢谢小李' } });
    fireEvent.click(container.querySelector('.btn-feedback')!);
    await waitFor(() =>
      expect(mockCall).toHaveBeenCalledWith('feedback', {
        wishId: 'w1',
        satisfaction: 'satisfied',
        comment: '谢谢小李',
        requestId: 'req-claim-1',
      }),
    );
  });
});

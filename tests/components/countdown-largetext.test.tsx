/** The deadline countdown / overdue badge (China calendar days) and the persisted large-text switch. */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { Countdown, countdown } from '@/components/Countdown';
import { Frame } from '@/components/Frame';
import { LargeTextSwitch } from '@/components/LargeTextSwitch';
import { WishCard } from '@/components/WishCard';
import { __page, __reset } from './stubs/taro';
import { wishView } from './fixtures';
import { useState } from 'react';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(async () => ({ items: [], cursor: null })),
  photoUrls: async () => ({}),
  newRequestId: () => 'req-1',
  uploadPhoto: jest.fn(),
}));

// 2025-11-23 17:00 UTC is 2025-11-24 01:00 in China.
const NOW = new Date('2025-11-23T17:00:00.000Z');

describe('countdown', () => {
  test.each([
    ['2025-11-27', '还剩 3 天', false],
    ['2025-11-25', '还剩 1 天', false],
    ['2025-11-24', '今天到期', false],
    ['2025-11-23', '已逾期 1 天', true],
    ['2025-11-22', '已逾期 2 天', true],
  ])('promised %s → %s', (day, text, late) => {
    expect(countdown(day, NOW)).toEqual(expect.objectContaining({ text, late }));
  });

  test('the badge is red (overdue class) only when late', () => {
    const late = render(<Countdown promisedBy="2025-11-22" now={NOW} />).container.firstElementChild!;
    expect(late.textContent).toBe('已逾期 2 天');
    expect(late.className).toContain('overdue');
    const fine = render(<Countdown promisedBy="2025-12-24" now={NOW} />).container.firstElementChild!;
    expect(fine.textContent).toBe('还剩 30 天');
    expect(fine.className).not.toContain('overdue');
  });

  test('a claimed wish card shows its countdown; a fulfilled one does not', () => {
    const claim = { kind: 'member', promisedBy: '2025-11-22', at: '2025-11-20T00:00:00.000Z', assignee: null, mine: true };
    const { container } = render(<WishCard wish={wishView({ status: 'claimed', claim })} showPromise now={NOW} onOpen={jest.fn()} />);
    expect(container.querySelector('.countdown')!.textContent).toBe('已逾期 2 天');
    const done = render(<WishCard wish={wishView({ status: 'fulfilled', claim })} showPromise now={NOW} onOpen={jest.fn()} />).container;
    expect(done.querySelector('.countdown')).toBeNull();
  });
});

describe('large text', () => {
  beforeEach(() => __reset());

  function Page() {
    const [on, setOn] = useState(false);
    return (
      <Frame className="home" large={on}>
        <LargeTextSwitch on={on} onChange={setOn} />
      </Frame>
    );
  }

  test('the switch scales the page and is kept in storage', async () => {
    const Taro = (await import('@tarojs/taro')).default;
    const { container } = render(<Page />);
    expect(container.querySelector('.page')!.className).not.toContain('large-text');
    fireEvent.click(container.querySelector('.large-switch')!);
    expect(container.querySelector('.page')!.className).toContain('large-text');
    expect(screen.getByText('已打开 ✓')).toBeTruthy();
    expect(Taro.setStorageSync).toHaveBeenLastCalledWith('large-text', 'on');
    fireEvent.click(container.querySelector('.large-switch')!);
    expect(Taro.setStorageSync).toHaveBeenLastCalledWith('large-text', 'off');
    expect(container.querySelector('.page')!.className).not.toContain('large-text');
  });

  test('every other page frame reads it from storage, also when shown again', async () => {
    const Taro = (await import('@tarojs/taro')).default;
    Taro.setStorageSync('large-text', 'on');
    const { container } = render(<Frame className="board">x</Frame>);
    expect(container.querySelector('.page')!.className).toContain('large-text');
    Taro.setStorageSync('large-text', 'off');
    act(() => __page.show());
    expect(container.querySelector('.page')!.className).not.toContain('large-text');
  });
});

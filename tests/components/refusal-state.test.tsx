/** A page that could not load (a refusal or a network failure) says what happened and offers the way back (issue 10). */
import { fireEvent, render } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { ListState } from '@/components/ListState';

const state = (onRetry = jest.fn()) =>
  render(<ListState loading={false} error="这个心愿不属于您所在的组织" empty={false} emptyText="" onRetry={onRetry} />);

beforeEach(() => jest.clearAllMocks());

test('a refusal names what happened and offers going back as well as trying again', () => {
  (Taro.getCurrentPages as jest.Mock).mockReturnValue([{}, {}]);
  const onRetry = jest.fn();
  const { container } = state(onRetry);
  expect(container.querySelector('.state-message')!.textContent).toBe('这个心愿不属于您所在的组织');
  expect(container.textContent).not.toContain('重新加载');
  fireEvent.click(container.querySelector('.btn-leave')!);
  expect(container.querySelector('.btn-leave')!.textContent).toBe('返回上一页');
  expect(Taro.navigateBack).toHaveBeenCalledTimes(1);
  fireEvent.click(container.querySelector('.btn-retry')!);
  expect(onRetry).toHaveBeenCalledTimes(1);
});

test('opened directly (nothing to go back to), the way back is the home page', () => {
  (Taro.getCurrentPages as jest.Mock).mockReturnValue([{}]);
  const { container } = state();
  expect(container.querySelector('.btn-leave')!.textContent).toBe('回到首页');
  fireEvent.click(container.querySelector('.btn-leave')!);
  expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' });
  expect(Taro.navigateBack).not.toHaveBeenCalled();
});

/** The post form in three screens: each step checked with the collect schema before moving on. */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { call } from '@/services/gateway';
import { PostForm } from '@/components/PostForm';
import { wishView } from './fixtures';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrl: (id: string) => id,
  newRequestId: () => 'req-post-1',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;

function fill(container: HTMLElement, cls: string, value: string) {
  fireEvent.change(container.querySelector(`.${cls}`)!, { target: { value } });
}
const next = (c: HTMLElement) => fireEvent.click(c.querySelector('.btn-next')!);
const step = (c: HTMLElement) => Number(/post-step-(\d)/.exec(c.querySelector('.post-form')!.className)![1]);

function stepOne(container: HTMLElement) {
  fill(container, 'input-title', '想请人陪我聊聊天');
  fill(container, 'input-content', '老伴走了，希望每周有人来坐坐');
  next(container);
}

function stepTwo(container: HTMLElement, phone: string) {
  fill(container, 'input-contact-name', '王秀英');
  fill(container, 'input-contact-phone', phone);
  fill(container, 'input-address', '幸福里小区 3 栋 201');
  next(container);
}

beforeEach(() => mockCall.mockReset());

test('step 1 (what I need) stops on an empty title, and shows only its own fields', async () => {
  const { container } = render(<PostForm onBehalf={false} onDone={jest.fn()} />);
  expect(step(container)).toBe(1);
  expect(container.querySelector('.input-contact-phone')).toBeNull();
  expect(container.querySelector('.step-on')!.textContent).toContain('需要什么');
  next(container);
  const msg = await screen.findByText('心愿标题：不能为空');
  expect(msg.className).toContain('form-error');
  expect(step(container)).toBe(1);
  fill(container, 'input-title', '想请人陪我聊聊天');
  next(container);
  await screen.findByText('心愿内容：不能为空');
  expect(step(container)).toBe(1);
  expect(mockCall).not.toHaveBeenCalled();
});

test('step 2 (how to reach me) refuses a bad phone number with the schema message', async () => {
  const { container } = render(<PostForm onBehalf={false} onDone={jest.fn()} />);
  stepOne(container);
  expect(step(container)).toBe(2);
  expect(container.querySelector('.form-error')).toBeNull(); // step 1 did not complain about step 2's fields
  stepTwo(container, '12345');
  const msg = await screen.findByText(/联系电话：/);
  expect(msg.textContent).toBe('联系电话：请填写 11 位手机号或带区号的固定电话');
  expect(step(container)).toBe(2);
  // Back keeps what was typed.
  fireEvent.click(container.querySelector('.btn-back')!);
  expect((container.querySelector('.input-title') as HTMLInputElement).value).toBe('想请人陪我聊聊天');
  expect(mockCall).not.toHaveBeenCalled();
});

test('step 3 shows what will be sent; a valid wish is sent once with the form requestId, even on a double tap', async () => {
  const created = wishView({ _id: 'new-1', status: 'collected' });
  mockCall.mockResolvedValueOnce(created);
  const onDone = jest.fn();
  const { container } = render(<PostForm onBehalf={false} onDone={onDone} />);
  stepOne(container);
  stepTwo(container, '13800001111');
  expect(step(container)).toBe(3);
  expect(container.querySelector('.post-review')!.textContent).toContain('13800001111');
  fireEvent.click(container.querySelector('.btn-submit')!);
  fireEvent.click(container.querySelector('.btn-submit')!);
  await waitFor(() => expect(onDone).toHaveBeenCalledWith(created));
  expect(mockCall).toHaveBeenCalledTimes(1);
  expect(mockCall).toHaveBeenCalledWith(
    'collect',
    expect.objectContaining({
      title: '想请人陪我聊聊天',
      content: '老伴走了，希望每周有人来坐坐',
      contactName: '王秀英',
      contactPhone: '13800001111',
      address: '幸福里小区 3 栋 201',
      requestId: 'req-post-1',
    }),
  );
});

test('a server refusal shows its Chinese message on the last step', async () => {
  const { GatewayError } = jest.requireActual('@/services/answer');
  mockCall.mockRejectedValueOnce(new GatewayError('RATE.LIMITED', '提交太频繁了，请稍后再试'));
  const { container } = render(<PostForm onBehalf={false} onDone={jest.fn()} />);
  stepOne(container);
  stepTwo(container, '13800001111');
  fireEvent.click(container.querySelector('.btn-submit')!);
  await screen.findByText('提交太频繁了，请稍后再试');
});

test('an organiser must pick the channel on step 1, which is sent', async () => {
  mockCall.mockResolvedValueOnce(wishView({ status: 'collected', channel: 'hotline' }));
  const { container } = render(<PostForm onBehalf onDone={jest.fn()} />);
  fill(container, 'input-title', '楼道灯坏了');
  fill(container, 'input-content', '3 栋楼道灯坏了一个月');
  next(container);
  await screen.findByText('收集渠道：请选择收集渠道');
  expect(step(container)).toBe(1);
  fireEvent.click(container.querySelector('.chip-hotline')!);
  next(container);
  stepTwo(container, '0731-8888888');
  fireEvent.click(container.querySelector('.btn-submit')!);
  await waitFor(() =>
    expect(mockCall).toHaveBeenCalledWith('collect', expect.objectContaining({ channel: 'hotline', contactPhone: '0731-8888888' })),
  );
});

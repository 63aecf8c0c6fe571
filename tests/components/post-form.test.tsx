/** The post form in three screens: each step checked with the collect schema before moving on. */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { call } from '@/services/gateway';
import { PostForm } from '@/components/PostForm';
import { wishView } from './fixtures';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrls: async () => ({}),
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
// The H5 form (type=tel): jsdom, like a browser, empties an <input type=number> given spaces or dashes.
const taroEnv = process.env.TARO_ENV;
beforeAll(() => (process.env.TARO_ENV = 'h5'));
afterAll(() => (process.env.TARO_ENV = taroEnv));

/** The problem shown right under the field whose control has class `cls`. */
const problemOf = (c: HTMLElement, cls: string) =>
  c.querySelector(`.${cls}`)!.closest('.field')!.querySelector('.field-error')?.textContent ?? null;

test('step 1 (what I need) stops on an empty title, named by the label on screen, next to the field', async () => {
  const { container } = render(<PostForm onBehalf={false} onDone={jest.fn()} />);
  expect(step(container)).toBe(1);
  expect(container.querySelector('.input-contact-phone')).toBeNull();
  expect(container.querySelector('.step-on')!.textContent).toContain('需要什么');
  next(container);
  // The resident's labels are 您需要什么帮助？ and 说得具体一点: the errors say so, not 心愿标题 / 心愿内容.
  expect(problemOf(container, 'input-title')).toBe('请填写“您需要什么帮助”');
  expect(problemOf(container, 'input-content')).toBe('请填写“说得具体一点”');
  expect(container.textContent).not.toMatch(/心愿标题|心愿内容/);
  expect(container.querySelector('.input-title')!.closest('.field')!.className).toContain('field-invalid');
  expect(step(container)).toBe(1);
  // Fixing a field takes its error away at once; the other stays until it is fixed too.
  fill(container, 'input-title', '想请人陪我聊聊天');
  expect(problemOf(container, 'input-title')).toBeNull();
  expect(problemOf(container, 'input-content')).toBe('请填写“说得具体一点”');
  next(container);
  expect(step(container)).toBe(1);
  fill(container, 'input-content', '每周来坐坐');
  expect(problemOf(container, 'input-content')).toBeNull();
  expect(mockCall).not.toHaveBeenCalled();
});

test("step 2 (how to reach me) refuses a bad phone number under the phone field, in the resident's words", async () => {
  const { container } = render(<PostForm onBehalf={false} onDone={jest.fn()} />);
  stepOne(container);
  expect(step(container)).toBe(2);
  expect(container.querySelector('.field-error, .form-error')).toBeNull(); // step 1 did not complain about step 2's fields
  fill(container, 'input-contact-phone', '12345');
  next(container);
  expect(problemOf(container, 'input-contact-name')).toBe('请填写“您的称呼”');
  expect(problemOf(container, 'input-contact-phone')).toBe('联系电话：请填写 11 位手机号，或带区号的固定电话（如 0731-12345678）');
  expect(container.textContent).not.toContain('联系人');
  expect(step(container)).toBe(2);
  fill(container, 'input-contact-phone', '138 0013 8000');
  expect(problemOf(container, 'input-contact-phone')).toBeNull();
  // Back keeps what was typed.
  fireEvent.click(container.querySelector('.btn-back')!);
  expect((container.querySelector('.input-title') as HTMLInputElement).value).toBe('想请人陪我聊聊天');
  expect(mockCall).not.toHaveBeenCalled();
});

test.each([
  ['138 0013 8000', '13800138000'],
  ['138-0013-8000', '13800138000'],
  ['0731-12345678', '073112345678'],
  ['0731 1234567', '07311234567'],
])('the phone %s is taken and sent as digits %s', async (typed, sent) => {
  mockCall.mockResolvedValueOnce(wishView({ status: 'collected' }));
  const { container } = render(<PostForm onBehalf={false} onDone={jest.fn()} />);
  stepOne(container);
  stepTwo(container, typed);
  expect(step(container)).toBe(3);
  fireEvent.click(container.querySelector('.btn-submit')!);
  await waitFor(() => expect(mockCall).toHaveBeenCalledWith('collect', expect.objectContaining({ contactPhone: sent })));
});

test('the phone field opens the telephone keypad (H5 type=tel takes spaces and dashes; the mini-program its number pad)', () => {
  const env = process.env.TARO_ENV;
  try {
    process.env.TARO_ENV = 'h5';
    const h5 = render(<PostForm onBehalf={false} onDone={jest.fn()} />);
    stepOne(h5.container);
    expect(h5.container.querySelector('.input-contact-phone')!.getAttribute('type')).toBe('tel');
    expect(Number(h5.container.querySelector('.input-contact-phone')!.getAttribute('maxlength'))).toBeGreaterThanOrEqual(17);
    expect(h5.container.querySelector('.input-contact-name')!.getAttribute('type')).toBe('text');
    h5.unmount();
    process.env.TARO_ENV = 'weapp';
    const weapp = render(<PostForm onBehalf={false} onDone={jest.fn()} />);
    stepOne(weapp.container);
    expect(weapp.container.querySelector('.input-contact-phone')!.getAttribute('type')).toBe('number');
  } finally {
    process.env.TARO_ENV = env ?? 'h5';
  }
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
  expect(container.querySelector('.channel-chips')!.closest('.field')!.querySelector('.field-error')).not.toBeNull();
  expect(step(container)).toBe(1);
  fireEvent.click(container.querySelector('.chip-hotline')!);
  next(container);
  stepTwo(container, '0731-8888888');
  fireEvent.click(container.querySelector('.btn-submit')!);
  await waitFor(() =>
    expect(mockCall).toHaveBeenCalledWith('collect', expect.objectContaining({ channel: 'hotline', contactPhone: '07318888888' })),
  );
});

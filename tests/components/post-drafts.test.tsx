/**
 * Forms that keep what people typed (issue 22 item 7): the post form's draft stays on the device after a refusal or
 * when the page is left, comes back when the form opens again, and goes only when the post succeeds. The resident's
 * contact details are kept only after she says yes, offered on the next wish, and removed by 不再记住. Taro storage
 * here is the jsdom stand-in's in-memory store (tests/components/stubs/taro.ts), reset before each test.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { __reset } from './stubs/taro';
import { call } from '@/services/gateway';
import { PostForm } from '@/components/PostForm';
import Post from '@/pages/post/index';
import { NOTICE_VERSION } from '@/core';
import { forgetMe } from '@/services/session';
import { wishView } from './fixtures';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrls: async () => ({}),
  newRequestId: () => 'req-drafts',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;
const { GatewayError } = jest.requireActual('@/services/answer');

const taroEnv = process.env.TARO_ENV;
beforeAll(() => (process.env.TARO_ENV = 'h5'));
afterAll(() => (process.env.TARO_ENV = taroEnv));
beforeEach(() => {
  __reset();
  forgetMe();
  mockCall.mockReset();
});

const fill = (c: HTMLElement, cls: string, value: string) => fireEvent.change(c.querySelector(`.${cls}`)!, { target: { value } });
const value = (c: HTMLElement, cls: string) => (c.querySelector(`.${cls}`) as HTMLInputElement).value;
const next = (c: HTMLElement) => fireEvent.click(c.querySelector('.btn-next')!);
const submit = (c: HTMLElement) => fireEvent.click(c.querySelector('.btn-submit')!);

function whatINeed(c: HTMLElement) {
  fill(c, 'input-title', '想请人帮我换个灯泡');
  fill(c, 'input-content', '客厅的灯坏了，我够不着');
  next(c);
}
function howToReachMe(c: HTMLElement) {
  fill(c, 'input-contact-name', '王秀英');
  fill(c, 'input-contact-phone', '138 0000 3333');
  fill(c, 'input-address', '幸福里小区 6 栋 101');
}

const form = (owner = 'u1') => <PostForm onBehalf={false} onDone={jest.fn()} owner={owner} />;

test('a post the server refuses keeps its draft: the form opened again has it back, says so, and 清空重填 empties it', async () => {
  mockCall.mockRejectedValueOnce(new GatewayError('CONTENT.HELD', '内容需要人工复核，请修改后再提交'));
  const first = render(form());
  whatINeed(first.container);
  howToReachMe(first.container);
  next(first.container);
  submit(first.container);
  await screen.findByText('内容需要人工复核，请修改后再提交');
  first.unmount();

  const again = render(form());
  expect(again.container.querySelector('.draft-restored')!.textContent).toContain('已恢复您上次没有提交的内容');
  expect(value(again.container, 'input-title')).toBe('想请人帮我换个灯泡');
  expect(value(again.container, 'input-content')).toBe('客厅的灯坏了，我够不着');
  next(again.container);
  expect(value(again.container, 'input-contact-name')).toBe('王秀英');
  expect(value(again.container, 'input-contact-phone')).toBe('138 0000 3333');
  expect(value(again.container, 'input-address')).toBe('幸福里小区 6 栋 101');

  fireEvent.click(again.container.querySelector('.btn-start-over')!);
  expect(again.container.querySelector('.draft-restored')).toBeNull();
  expect(value(again.container, 'input-title')).toBe('');
  again.unmount();
  expect(render(form()).container.querySelector('.draft-restored')).toBeNull();
});

test('a post refused by the form itself (a bad phone), or left half typed, is there when the form opens again', () => {
  const first = render(form());
  whatINeed(first.container);
  fill(first.container, 'input-contact-phone', '12345');
  next(first.container);
  expect(first.container.querySelector('.field-error')).not.toBeNull();
  first.unmount(); // left at once: the pending save is written as the page goes

  const again = render(form());
  expect(value(again.container, 'input-title')).toBe('想请人帮我换个灯泡');
  next(again.container);
  expect(value(again.container, 'input-contact-phone')).toBe('12345');
});

test('the draft is written a moment after typing stops, not on every key', async () => {
  const { container } = render(form());
  jest.mocked(Taro.setStorageSync).mockClear();
  fill(container, 'input-title', '想');
  fill(container, 'input-title', '想请');
  fill(container, 'input-title', '想请人');
  expect(Taro.setStorageSync).not.toHaveBeenCalled();
  await waitFor(() => expect(Taro.setStorageSync).toHaveBeenCalledTimes(1));
  expect(JSON.parse(String(jest.mocked(Taro.setStorageSync).mock.calls[0]![1]))).toMatchObject({ title: '想请人' });
});

test('a post that succeeds takes its draft away; contact details are not kept unless she says so', async () => {
  mockCall.mockResolvedValueOnce(wishView({ status: 'collected' }));
  const onDone = jest.fn();
  const first = render(<PostForm onBehalf={false} onDone={onDone} owner="u1" />);
  whatINeed(first.container);
  howToReachMe(first.container);
  // Asked in one sentence, next to the fields; not kept is the default.
  const ask = first.container.querySelector('.remember-switch')!;
  expect(ask.textContent).toContain('下次许愿时自动填好称呼、电话和住址');
  expect(ask.textContent).toContain('只存在这部手机上，不会上传。');
  expect(ask.getAttribute('aria-checked')).toBe('false');
  next(first.container);
  submit(first.container);
  await waitFor(() => expect(onDone).toHaveBeenCalled());
  first.unmount();

  const again = render(form());
  expect(again.container.querySelector('.draft-restored')).toBeNull();
  expect(value(again.container, 'input-title')).toBe('');
  next(again.container); // refused (empty): stays on step 1
  fill(again.container, 'input-title', '再许一个');
  fill(again.container, 'input-content', '再许一个心愿');
  next(again.container);
  expect(value(again.container, 'input-contact-name')).toBe('');
  expect(again.container.querySelector('.remembered-contacts')).toBeNull();
});

test('with her yes, the next wish has her contacts filled in; 不再记住 removes them from the device', async () => {
  mockCall.mockResolvedValue(wishView({ status: 'collected' }));
  const first = render(form());
  whatINeed(first.container);
  howToReachMe(first.container);
  fireEvent.click(first.container.querySelector('.remember-switch')!);
  expect(first.container.querySelector('.remember-switch')!.getAttribute('aria-checked')).toBe('true');
  next(first.container);
  submit(first.container);
  await waitFor(() => expect(mockCall).toHaveBeenCalledTimes(1));
  first.unmount();

  const again = render(form());
  expect(again.container.querySelector('.draft-restored')).toBeNull(); // her contacts are not a draft
  expect(value(again.container, 'input-title')).toBe('');
  whatINeed(again.container);
  expect(value(again.container, 'input-contact-name')).toBe('王秀英');
  expect(value(again.container, 'input-contact-phone')).toBe('13800003333'); // as sent
  expect(value(again.container, 'input-address')).toBe('幸福里小区 6 栋 101');
  expect(again.container.querySelector('.remembered-contacts')!.textContent).toContain('已填好这部手机记住的联系方式');
  // Someone else signed in on this device is not offered them.
  const other = render(form('u2'));
  whatINeed(other.container);
  expect(value(other.container, 'input-contact-name')).toBe('');
  other.unmount();

  fireEvent.click(again.container.querySelector('.btn-forget-contacts')!);
  expect(again.container.querySelector('.remembered-contacts')).toBeNull();
  expect(again.container.querySelector('.remember-switch')!.getAttribute('aria-checked')).toBe('false');
  expect(again.container.querySelector('.remember-switch')!.textContent).toContain('已从这部手机上删掉，这次填的只用于这个心愿。');
  expect(Taro.getStorageSync('contacts:u1')).toBe('');
  again.unmount();
  // Opened again, and its half-typed draft cleared: nothing of hers is filled in.
  const later = render(form());
  fireEvent.click(later.container.querySelector('.btn-start-over')!);
  whatINeed(later.container);
  expect(value(later.container, 'input-contact-name')).toBe('');
  expect(later.container.querySelector('.remembered-contacts')).toBeNull();
});

test('a refused post does not remember the contacts, even with the switch on: only a post that went through', async () => {
  mockCall.mockRejectedValueOnce(new GatewayError('RATE.LIMITED', '提交太频繁了，请稍后再试'));
  const first = render(form());
  whatINeed(first.container);
  howToReachMe(first.container);
  fireEvent.click(first.container.querySelector('.remember-switch')!);
  next(first.container);
  submit(first.container);
  await screen.findByText('提交太频繁了，请稍后再试');
  expect(Taro.getStorageSync('contacts:u1')).toBe('');
  expect(Taro.getStorageSync('draft:post:u1')).not.toBe('');
});

test('an organiser’s 代录 keeps its draft (channel and card number too) and never offers to remember a resident’s contacts', () => {
  const first = render(<PostForm onBehalf onDone={jest.fn()} owner="o1" />);
  fireEvent.click(first.container.querySelector('.chip-card')!);
  fill(first.container, 'input-card-no', '7K3M-9QXA-2B4C');
  whatINeed(first.container);
  howToReachMe(first.container);
  expect(first.container.querySelector('.remember-switch, .remembered-contacts')).toBeNull();
  first.unmount();

  const again = render(<PostForm onBehalf onDone={jest.fn()} owner="o1" />);
  expect(again.container.querySelector('.chip-card')!.className).toContain('chip-on');
  expect(value(again.container, 'input-card-no')).toBe('7K3M-9QXA-2B4C');
  expect(value(again.container, 'input-title')).toBe('想请人帮我换个灯泡');
});

test('the post page names the signed-in user: a draft left by one account is not offered to another', async () => {
  const me = (id: string) => ({
    id,
    role: 'resident',
    name: '王秀英',
    orgId: 'org-1',
    orgName: '幸福里社区',
    categories: [],
    consent: { current: NOTICE_VERSION, accepted: true, sensitive: false, acceptedVersion: NOTICE_VERSION },
  });
  let who = 'u1';
  mockCall.mockImplementation(async (name: string) => (name === 'whoami' ? me(who) : {}) as never);
  const first = render(<Post />);
  await waitFor(() => expect(first.container.querySelector('.post-form')).not.toBeNull());
  fill(first.container, 'input-title', '想请人帮我换个灯泡');
  first.unmount();

  who = 'u2';
  forgetMe();
  const other = render(<Post />);
  await waitFor(() => expect(other.container.querySelector('.post-form')).not.toBeNull());
  expect(value(other.container, 'input-title')).toBe('');
  other.unmount();

  who = 'u1';
  forgetMe();
  const back = render(<Post />);
  await waitFor(() => expect(back.container.querySelector('.post-form')).not.toBeNull());
  expect(value(back.container, 'input-title')).toBe('想请人帮我换个灯泡');
  await act(async () => undefined);
});

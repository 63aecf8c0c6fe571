/**
 * 困难情况(可选) in the post form: skippable, no field before the separate sensitive consent (the consent page
 * in its sensitive mode; declining leaves the post as it was), the three fields sent as `sensitive`, their
 * length messages from the collect schema; and the wish detail's 困难情况(不公开) card.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { __page } from './stubs/taro';
import { call } from '@/services/gateway';
import { PostForm, type Hardship } from '@/components/PostForm';
import { WishDetail } from '@/components/WishDetail';
import Consent from '@/consent/index';
import { NOTICE_VERSION } from '@/core';
import { SENSITIVE_NOTICE_PARAGRAPHS } from '@/core/noticeText';
import { forgetMe } from '@/services/session';
import Post from '@/pages/post/index';
import { wishView } from './fixtures';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrls: async () => ({}),
  newRequestId: () => 'req-hardship',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;
beforeEach(() => {
  mockCall.mockReset();
  forgetMe();
  jest.mocked(Taro.navigateTo).mockClear();
  jest.mocked(Taro.navigateBack).mockClear();
  __page.router = { params: {} };
});

function fill(c: HTMLElement, cls: string, value: string) {
  fireEvent.change(c.querySelector(`.${cls}`)!, { target: { value } });
}
/** Steps 1 and 2 filled in: the form is on its last screen. */
function toLastStep(c: HTMLElement) {
  fill(c, 'input-title', '想请人陪我去医院');
  fill(c, 'input-content', '每周二上午复查，我一个人去不了');
  fireEvent.click(c.querySelector('.btn-next')!);
  fill(c, 'input-contact-name', '王秀英');
  fill(c, 'input-contact-phone', '13800001111');
  fill(c, 'input-address', '幸福里小区 3 栋 201');
  fireEvent.click(c.querySelector('.btn-next')!);
  expect(c.querySelector('.post-form')!.className).toContain('post-step-3');
}
const hardship = (over: Partial<Hardship> = {}): Hardship => ({ consent: false, declined: false, ask: jest.fn(), ...over });
const sent = () => mockCall.mock.calls.find((c) => c[0] === 'collect')?.[1] as Record<string, unknown> | undefined;

test('the part is optional: explained, closed by default, and a wish is sent without it', async () => {
  mockCall.mockResolvedValue(wishView({ _id: 'w1', status: 'collected' }) as never);
  const onDone = jest.fn();
  const h = hardship();
  const { container } = render(<PostForm onBehalf={false} onDone={onDone} hardship={h} />);
  toLastStep(container);
  const card = container.querySelector('.hardship')!;
  expect(card.textContent).toContain('困难情况（可选）');
  expect(card.textContent).toContain('不会公开');
  expect(card.textContent).toContain('不填也可以直接提交心愿');
  expect(container.querySelector('.input-health')).toBeNull();
  fireEvent.click(container.querySelector('.btn-submit')!);
  await waitFor(() => expect(onDone).toHaveBeenCalled());
  expect(sent()).toBeDefined();
  expect(sent()).not.toHaveProperty('sensitive');
  expect(h.ask).not.toHaveBeenCalled();
});

test('no field before the separate consent; once given, the fields are sent as `sensitive` (blank ones left out)', async () => {
  mockCall.mockResolvedValue(wishView({ _id: 'w2', status: 'collected' }) as never);
  const onDone = jest.fn();
  const h = hardship();
  const { container, rerender } = render(<PostForm onBehalf={false} onDone={onDone} hardship={h} />);
  toLastStep(container);
  fireEvent.click(container.querySelector('.btn-hardship')!);
  expect(h.ask).toHaveBeenCalledTimes(1);
  expect(container.querySelector('.input-health')).toBeNull();
  expect(container.querySelector('.hardship-wait')!.textContent).toContain('请先阅读并同意');
  // Back from the consent page having agreed: the fields appear, what was typed before is kept.
  rerender(<PostForm onBehalf={false} onDone={onDone} hardship={{ ...h, consent: true }} />);
  expect(container.querySelector('.input-health')).not.toBeNull();
  expect(container.querySelector('.input-disability')).not.toBeNull();
  expect(container.querySelector('.input-income')).not.toBeNull();
  expect(container.querySelector('.post-review')!.textContent).toContain('13800001111');
  fill(container, 'input-health', '腿脚不便，上下楼困难');
  fill(container, 'input-income', '   ');
  fireEvent.click(container.querySelector('.btn-submit')!);
  await waitFor(() => expect(onDone).toHaveBeenCalled());
  expect(sent()!.sensitive).toEqual({ health: '腿脚不便，上下楼困难' });
});

test('declining: no fields, a plain note, and the wish goes without hardship details', async () => {
  mockCall.mockResolvedValue(wishView({ _id: 'w3', status: 'collected' }) as never);
  const onDone = jest.fn();
  const h = hardship();
  const { container, rerender } = render(<PostForm onBehalf={false} onDone={onDone} hardship={h} />);
  toLastStep(container);
  fireEvent.click(container.querySelector('.btn-hardship')!);
  rerender(<PostForm onBehalf={false} onDone={onDone} hardship={{ ...h, declined: true }} />);
  expect(container.querySelector('.input-health')).toBeNull();
  expect(container.querySelector('.hardship-wait')!.textContent).toBe('没有同意，困难情况不会保存。心愿照常提交。');
  fireEvent.click(container.querySelector('.btn-submit')!);
  await waitFor(() => expect(onDone).toHaveBeenCalled());
  expect(sent()).not.toHaveProperty('sensitive');
});

test('too long a detail is refused with the schema message naming the field, nothing sent；不填了 clears it', async () => {
  mockCall.mockResolvedValue(wishView({ _id: 'w4', status: 'collected' }) as never);
  const onDone = jest.fn();
  const { container } = render(<PostForm onBehalf={false} onDone={onDone} hardship={hardship({ consent: true })} />);
  toLastStep(container);
  fireEvent.click(container.querySelector('.btn-hardship')!);
  fill(container, 'input-disability', '残'.repeat(201));
  fireEvent.click(container.querySelector('.btn-submit')!);
  expect((await screen.findByText(/残疾情况：/)).textContent).toBe('残疾情况：不能超过 200 个字');
  expect(container.querySelector('.post-form')!.className).toContain('post-step-3'); // stays where the field is
  fill(container, 'input-disability', '残'.repeat(200));
  fill(container, 'input-income', '收'.repeat(250));
  fireEvent.click(container.querySelector('.btn-submit')!);
  expect((await screen.findByText(/经济困难：/)).textContent).toBe('经济困难：不能超过 200 个字');
  expect(mockCall).not.toHaveBeenCalled();
  fireEvent.click(container.querySelector('.btn-hardship-skip')!);
  expect(container.querySelector('.input-income')).toBeNull();
  fireEvent.click(container.querySelector('.btn-submit')!);
  await waitFor(() => expect(onDone).toHaveBeenCalled());
  expect(sent()).not.toHaveProperty('sensitive');
});

const me = (role: string, sensitive: boolean) => ({
  id: 'u1',
  role,
  name: role === 'organiser' ? '陈静' : '王秀英',
  orgId: 'org-1',
  orgName: '幸福里社区',
  categories: [],
  consent: { current: NOTICE_VERSION, accepted: true, sensitive, acceptedVersion: NOTICE_VERSION },
});

test('the post page opens the consent page in its sensitive mode and shows the fields once whoami says so', async () => {
  let sensitive = false;
  mockCall.mockImplementation(async (name: string) => (name === 'whoami' ? me('resident', sensitive) : {}) as never);
  const { container } = render(<Post />);
  await waitFor(() => expect(container.querySelector('.post-form')).not.toBeNull());
  toLastStep(container);
  fireEvent.click(container.querySelector('.btn-hardship')!);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/consent/index?sensitive=1' });
  expect(container.querySelector('.input-health')).toBeNull();
  // Back having declined: whoami still says no.
  act(() => __page.show());
  await screen.findByText('没有同意，困难情况不会保存。心愿照常提交。');
  // Asked again and agreed: whoami (read afresh) says yes, the fields appear.
  fireEvent.click(container.querySelector('.btn-hardship-consent')!);
  sensitive = true;
  act(() => __page.show());
  await waitFor(() => expect(container.querySelector('.input-health')).not.toBeNull());
});

test('an organiser entering for a resident agrees on their own account (what collect checks), told to ask the resident first', async () => {
  mockCall.mockImplementation(async (name: string) => (name === 'whoami' ? me('organiser', false) : {}) as never);
  const { container } = render(<Post />);
  await waitFor(() => expect(container.querySelector('.post-form')).not.toBeNull());
  fireEvent.click(container.querySelector('.channel-chips .chip-visit')!);
  toLastStep(container);
  fireEvent.click(container.querySelector('.btn-hardship')!);
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/consent/index?sensitive=1&for=resident' });
  expect(container.querySelector('.hardship-wait')!.textContent).toContain('居民本人同意后');

  // The consent page in that mode: the sensitive notice, the on-behalf line, and `consent {notice:'sensitive'}`.
  mockCall.mockReset();
  mockCall.mockResolvedValue({ current: NOTICE_VERSION, accepted: true, sensitive: true } as never);
  __page.router = { params: { sensitive: '1', for: 'resident' } };
  const page = render(<Consent />);
  for (const p of SENSITIVE_NOTICE_PARAGRAPHS) expect(screen.getByText(p)).toBeTruthy();
  expect(page.container.querySelector('.consent-on-behalf')!.textContent).toContain('读给居民听');
  fireEvent.click(page.container.querySelector('.btn-agree')!);
  await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled());
  expect(mockCall).toHaveBeenCalledWith('consent', { notice: 'sensitive', version: NOTICE_VERSION });
});

test('the wish detail shows 困难情况（不公开） when the view carries them, and nothing when it does not', async () => {
  const base = { _id: 'w9', status: 'claimed' as const, private: true };
  mockCall.mockImplementation(
    async (name: string) =>
      (name === 'whoami' ? me('member', false) : wishView({ ...base, sensitive: { health: '腿脚不便', income: '低保户' } })) as never,
  );
  __page.router = { params: { id: 'w9' } };
  const { container, unmount } = render(<WishDetail />);
  await waitFor(() => expect(container.querySelector('.hardship-info')).not.toBeNull());
  expect(container.querySelector('.hardship-info')!.textContent).toBe('困难情况（不公开）健康状况：腿脚不便经济困难：低保户');
  expect(container.querySelector('.hardship-disability')).toBeNull();
  unmount();

  mockCall.mockImplementation(
    async (name: string) => (name === 'whoami' ? me('member', false) : wishView({ ...base, private: false })) as never,
  );
  const other = render(<WishDetail />);
  await waitFor(() => expect(other.container.querySelector('.wish-status')).not.toBeNull());
  expect(other.container.querySelector('.hardship-info')).toBeNull();
  expect(other.container.textContent).not.toContain('困难情况');
});

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

function fillAll(container: HTMLElement, phone: string) {
  fill(container, 'input-title', '想请人陪我聊聊天');
  fill(container, 'input-content', '老伴走了,希望每周有人来坐坐');
  fill(container, 'input-contact-name', '王秀英');
  fill(container, 'input-contact-phone', phone);
  fill(container, 'input-address', '幸福里小区 3 栋 201');
}

beforeEach(() => mockCall.mockReset());

test('a bad phone number shows the validation message and does not call the gateway', async () => {
  const { container } = render(<PostForm onBehalf={false} onDone={jest.fn()} />);
  fillAll(container, '12345');
  fireEvent.click(container.querySelector('.btn-submit')!);
  const msg = await screen.findByText(/联系电话:/);
  expect(msg.textContent).toBe('联系电话:请填写 11 位手机号或带区号的固定电话');
  expect(msg.className).toContain('form-error');
  expect(mockCall).not.toHaveBeenCalled();
});

test('an empty title is named in the message', async () => {
  const { container } = render(<PostForm onBehalf={false} onDone={jest.fn()} />);
  fireEvent.click(container.querySelector('.btn-submit')!);
  await screen.findByText('心愿标题:不能为空');
  expect(mockCall).not.toHaveBeenCalled();
});

test('a valid wish is sent once with the form requestId, even on a double tap', async () => {
  const created = wishView({ _id: 'new-1', status: 'collected' });
  mockCall.mockResolvedValueOnce(created);
  const onDone = jest.fn();
  const { container } = render(<PostForm onBehalf={false} onDone={onDone} />);
  fillAll(container, '13800001111');
  fireEvent.click(container.querySelector('.btn-submit')!);
  fireEvent.click(container.querySelector('.btn-submit')!);
  await waitFor(() => expect(onDone).toHaveBeenCalledWith(created));
  expect(mockCall).toHaveBeenCalledTimes(1);
  expect(mockCall).toHaveBeenCalledWith('collect', {
    title: '想请人陪我聊聊天',
    content: '老伴走了,希望每周有人来坐坐',
    contactName: '王秀英',
    contactPhone: '13800001111',
    address: '幸福里小区 3 栋 201',
    requestId: 'req-post-1',
  });
});

test('an organiser must pick the channel, which is sent', async () => {
  mockCall.mockResolvedValueOnce(wishView({ status: 'collected', channel: 'hotline' }));
  const { container } = render(<PostForm onBehalf onDone={jest.fn()} />);
  fillAll(container, '0731-8888888');
  fireEvent.click(container.querySelector('.btn-submit')!);
  await screen.findByText('收集渠道:请选择收集渠道');
  expect(mockCall).not.toHaveBeenCalled();
  fireEvent.click(container.querySelector('.chip-hotline')!);
  fireEvent.click(container.querySelector('.btn-submit')!);
  await waitFor(() =>
    expect(mockCall).toHaveBeenCalledWith('collect', expect.objectContaining({ channel: 'hotline', contactPhone: '0731-8888888' })),
  );
});

/**
 * The 消息 page shows notices as they are now (issue 22 item 5): a notice whose action was already taken reads as done
 * with its reason and no longer offers the action; a folded notice shows its count and marks all it stands for read.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { call } from '@/services/gateway';
import Notices from '@/pages/notices/index';
import { ChaseForm } from '@/organiser/forms';
import { wishView } from './fixtures';
import { forgetMe } from '@/services/session';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrls: async () => ({}),
  newRequestId: () => 'req-n',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;
const ORGANISER = { id: 'o1', role: 'organiser', name: '陈静', orgId: 'org-1', orgName: '幸福里社区', categories: [] };

let answers: Record<string, (data: Record<string, unknown>) => unknown>;
beforeEach(() => {
  forgetMe();
  mockCall.mockReset();
  answers = { whoami: () => ORGANISER, markRead: () => ({ updated: 2 }) };
  mockCall.mockImplementation(async (name: string, data: object = {}) => {
    const a = answers[name];
    if (!a) throw new Error(`unexpected ${name}`);
    return a(data as Record<string, unknown>);
  });
});
const callsOf = (name: string) => mockCall.mock.calls.filter((c) => c[0] === name).map((c) => c[1]);

test('a done notice says why and does not ask again; a folded one shows its count and marks every id read', async () => {
  answers.notifications = () => ({
    items: [
      {
        _id: 'n1',
        kind: 'fulfilled',
        title: '心愿已落实',
        body: '“修水管”已落实，请电话回访并记录反馈',
        wishId: 'w1',
        at: '2025-11-23T06:00:00.000Z',
        read: false,
        done: true,
        doneReason: '居民已反馈',
      },
      {
        _id: 'n2',
        kind: 'message',
        title: '居民给您留言',
        body: '“修水管”：明天在家',
        wishId: 'w2',
        at: '2025-11-22T06:00:00.000Z',
        read: false,
        count: 3,
        ids: ['n2', 'n3', 'n4'],
      },
    ],
    cursor: null,
  });
  const { container } = render(<Notices />);
  await screen.findByText('心愿已落实');
  const done = container.querySelector('.notice[data-id="n1"]')!;
  expect(done.className).toContain('notice-done');
  expect(done.textContent).toContain('已处理');
  expect(done.textContent).toContain('居民已反馈，不用再处理了');
  expect(done.textContent).not.toContain('请电话回访');
  const folded = container.querySelector('.notice[data-id="n2"]')!;
  expect(folded.textContent).toContain('共3条');
  expect(screen.getByText('全部标为已读（4）')).toBeTruthy();
  await act(async () => {
    fireEvent.click(folded);
  });
  expect(callsOf('markRead')).toEqual([{ ids: ['n2', 'n3', 'n4'] }]);
  await waitFor(() => expect(container.querySelectorAll('.notice-unread')).toHaveLength(1));
});

test('the 催办 form says who will see the note, and that a wish is chased at most once a day', () => {
  const wish = wishView({
    status: 'claimed',
    claim: { kind: 'member', memberId: 'm1', promisedBy: '2025-11-20', at: '2025-11-10T00:00:00.000Z' },
  } as never);
  const { container } = render(<ChaseForm wish={wish} onDone={() => undefined} now={new Date('2025-11-23T06:00:00.000Z')} />);
  const text = container.querySelector('.action-chase')!.textContent!;
  expect(text).toContain('想说的话谁能看到：认领人（在提醒里）、居民本人和本社区的组织者（在时间线上）；其他党员只看到“社区已催办”。');
  expect(text).toContain('每个心愿每天最多催办一次');
});

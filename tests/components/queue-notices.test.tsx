/**
 * The organiser's ledger (status views incl. 已逾期 / 延期申请 / 待办档案, multi-select 批量发布 with
 * per-wish failures), the notices page (unread, mark read) and the subscribe-message port.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { call } from '@/services/gateway';
import Queue from '@/organiser/queue/index';
import Notices from '@/pages/notices/index';
import { forgetMe } from '@/services/session';
import { templateIds } from '@/services/subscribe';
import { wishView } from './fixtures';
import { __page, __reset } from './stubs/taro';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrls: async () => ({}),
  newRequestId: () => 'req-q',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;
const ORGANISER = { id: 'o1', role: 'organiser', name: '陈静', orgId: 'org-1', orgName: '幸福里社区', categories: [] };

let answers: Record<string, (data: Record<string, unknown>) => unknown>;
beforeEach(() => {
  forgetMe();
  mockCall.mockReset();
  answers = {
    whoami: () => ORGANISER,
    notifications: () => ({ items: [], cursor: null }),
  };
  mockCall.mockImplementation(async (name: string, data: object = {}) => {
    const a = answers[name];
    if (!a) throw new Error(`unexpected ${name}`);
    return a(data as Record<string, unknown>);
  });
});
const callsOf = (name: string) => mockCall.mock.calls.filter((c) => c[0] === name).map((c) => c[1]);

describe('the ledger', () => {
  test('status views ask orgWishes with 20 a page；已逾期 and 延期申请 are views of their own', async () => {
    answers.orgWishes = () => ({ items: [], cursor: null });
    const { container } = render(<Queue />);
    await waitFor(() => expect(container.querySelector('.state-empty')).not.toBeNull());
    expect(callsOf('orgWishes')[0]).toEqual({ status: 'collected', limit: 20, counts: true });
    fireEvent.click(container.querySelector('.chip-overdue')!);
    await waitFor(() => expect(callsOf('orgWishes').at(-1)).toEqual({ status: 'overdue', limit: 20, counts: true }));
    await waitFor(() => expect(container.querySelector('.state-empty')!.textContent).toContain('没有逾期'));
    fireEvent.click(container.querySelector('.chip-extension')!);
    await waitFor(() => expect(callsOf('orgWishes').at(-1)).toEqual({ status: 'extension', limit: 20, counts: true }));
    fireEvent.click(container.querySelector('.chip-deferred')!);
    await waitFor(() => expect(container.querySelector('.state-empty')!.textContent).toContain('待办档案是空的'));
  });

  test('a workbench stock tile opens its own view, titled with what it lists and its count; the wider list is a tap away', async () => {
    __reset();
    __page.router = { params: { status: 'staleCollected', orgId: 'org-1' } };
    const stale = [wishView({ _id: 'a', title: '想请人修门锁', status: 'collected' })];
    answers.orgWishes = (d) => ({
      items: d.status === 'staleCollected' ? stale : [],
      cursor: null,
      counts: { collected: 5, staleCollected: 1, held: 0 },
    });
    const { container } = render(<Queue />);
    await screen.findByText('想请人修门锁');
    expect(callsOf('orgWishes')[0]).toEqual({ status: 'staleCollected', limit: 20, counts: true, orgId: 'org-1' });
    expect(container.querySelector('.view-title')!.textContent).toBe('待登记超过3天的心愿，共 1 个');
    expect(container.querySelector('.view-note')!.textContent).toContain('等得最久的在前');
    expect(container.querySelector('.chip-on')).toBeNull(); // not one of the status chips
    fireEvent.click(container.querySelector('.btn-wider')!);
    await waitFor(() => expect(callsOf('orgWishes').at(-1)).toEqual({ status: 'collected', limit: 20, counts: true, orgId: 'org-1' }));
    expect(container.querySelector('.view-note')).toBeNull();
    expect(container.querySelector('.chip-on')!.textContent).toBe('待登记 5');
    __reset();
  });

  test('批量发布 sends the selected ids once and reports each wish that failed, by title', async () => {
    const items = [
      // The actions the server offers an organiser (core availableActions): publish for individual wishes, assign else.
      wishView({ _id: 'a', title: '贴春联', status: 'registered', track: 'individual', actions: ['publish', 'withdraw'] }),
      wishView({ _id: 'b', title: '修自行车', status: 'registered', track: 'individual', actions: ['publish', 'withdraw'] }),
      wishView({ _id: 'c', title: '修路灯', status: 'registered', track: 'common', actions: ['assign', 'withdraw'] }),
    ];
    answers.orgWishes = (d) => ({ items: d.status === 'registered' ? items : [], cursor: null });
    answers.publish = () => ({
      published: [items[0]],
      failed: [{ wishId: 'b', code: 'WISH.WRONG_STATE', message: '心愿当前待认领，不能发布' }],
    });
    const { container } = render(<Queue />);
    fireEvent.click(container.querySelector('.chip-registered')!);
    await screen.findByText('贴春联');
    expect(container.querySelectorAll('.select-box')).toHaveLength(2); // the common wish is assigned, not published
    fireEvent.click(container.querySelector('.btn-batch-publish')!);
    await screen.findByText('请先选择要发布的心愿');
    expect(callsOf('publish')).toHaveLength(0);
    fireEvent.click(container.querySelector('.btn-select-all')!);
    expect(container.querySelector('.btn-batch-publish')!.textContent).toBe('批量发布（2）');
    fireEvent.click(container.querySelector('.btn-batch-publish')!);
    await screen.findByText('已发布 1 个心愿；1 个没有发布：“修自行车”：心愿当前待认领，不能发布');
    expect(callsOf('publish')).toEqual([{ wishIds: ['a', 'b'], requestId: 'req-q' }]);
  });
});

describe('notices', () => {
  test('unread notices are marked; opening one marks it read and opens the wish；全部标为已读', async () => {
    answers.notifications = () => ({
      items: [
        {
          _id: 'n1',
          kind: 'claimed',
          title: '您的心愿有人认领了',
          body: '党员已认领，承诺 2025-11-30 前完成',
          wishId: 'w1',
          at: '2025-11-23T06:00:00.000Z',
          read: false,
        },
        { _id: 'n2', kind: 'rejected', title: '心愿未受理', body: '原因：重复', wishId: 'w2', at: '2025-11-22T06:00:00.000Z', read: false },
        { _id: 'n3', kind: 'fulfilled', title: '心愿已办好', body: '请评价', wishId: 'w3', at: '2025-11-21T06:00:00.000Z', read: true },
      ],
      cursor: null,
    });
    answers.markRead = () => ({ updated: 1 });
    const Taro = (await import('@tarojs/taro')).default;
    const { container } = render(<Notices />);
    await screen.findByText('您的心愿有人认领了');
    expect(container.querySelectorAll('.notice-unread')).toHaveLength(2);
    expect(screen.getByText('党员已认领，承诺 11月30日 前完成')).toBeTruthy(); // dates in plain words
    await act(async () => {
      fireEvent.click(container.querySelector('.notice[data-id="n1"]')!);
    });
    expect(callsOf('markRead')).toEqual([{ ids: ['n1'] }]);
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: expect.stringContaining('id=w1') });
    await waitFor(() => expect(container.querySelectorAll('.notice-unread')).toHaveLength(1));
    fireEvent.click(container.querySelector('.btn-read-all')!);
    await waitFor(() => expect(container.querySelectorAll('.notice-unread')).toHaveLength(0));
    expect(callsOf('markRead').at(-1)).toEqual({ ids: ['n2'] });
  });

  test('no notices: an empty state that says what will appear, written for the organiser who sees it', async () => {
    const { container } = render(<Notices />);
    await waitFor(() => expect(container.querySelector('.state-empty')).not.toBeNull());
    expect(container.querySelector('.state-empty')!.textContent).toContain('待回访');
    expect(container.querySelector('.state-empty')!.textContent).not.toContain('需要您评价');
  });
});

test('subscribe port: template ids come from the build config, by kind, at most three', () => {
  (globalThis as Record<string, unknown>).SUBSCRIBE_TEMPLATES = { claimed: 't-claimed', deadlineNear: 't-deadline', fulfilled: '' };
  try {
    expect(templateIds(['claimed', 'fulfilled', 'deadlineNear'])).toEqual(['t-claimed', 't-deadline']);
  } finally {
    delete (globalThis as Record<string, unknown>).SUBSCRIBE_TEMPLATES;
  }
  expect(templateIds(['claimed'])).toEqual([]);
});

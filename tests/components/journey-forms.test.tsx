/**
 * The issue-3 forms' own checks (before any call) and what they send: extension, release, defer,
 * assign, reassign, reopen, answer an extension, progress, feedback (不满意 says it goes back).
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { call } from '@/services/gateway';
import { addDays, chinaDate } from '@/core';
import { ActionPanel, ExtendForm, FeedbackForm, ReleaseForm } from '@/components/ActionPanel';
import { AnswerExtensionForm, AssignForm, OrganiserActions, ReassignForm, RegisterForm, ReopenForm } from '@/organiser/forms';
import { WishCard } from '@/components/WishCard';
import { wishView } from './fixtures';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrls: async () => ({}),
  newRequestId: () => 'req-1',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;

const NOW = new Date('2025-11-23T17:00:00.000Z'); // 2025-11-24 in China
const TODAY = chinaDate(NOW);
const claimed = (over: object = {}) =>
  wishView({
    status: 'claimed',
    claim: { kind: 'member', promisedBy: '2025-11-30', at: '2025-11-23T08:00:00.000Z', assignee: null, mine: true, ...over },
  });

function type(c: HTMLElement, cls: string, value: string) {
  const el = c.querySelector(`.${cls} .picker-value`) ?? c.querySelector(`.${cls}`);
  fireEvent.change(el!, { target: { value } });
}
const click = (c: HTMLElement, cls: string) => fireEvent.click(c.querySelector(`.${cls}`)!);

beforeEach(() => {
  mockCall.mockReset();
  mockCall.mockResolvedValue(wishView());
});

describe('extension request', () => {
  test('must be after the current promise, within 90 days, with a reason', async () => {
    const onDone = jest.fn();
    const { container } = render(<ExtendForm wish={claimed()} onDone={onDone} now={NOW} />);
    const picker = container.querySelector('.input-until')!;
    expect(picker.getAttribute('data-start')).toBe('2025-12-01');
    expect(picker.getAttribute('data-end')).toBe(addDays(TODAY, 90));

    type(container, 'input-until', '2025-11-30');
    click(container, 'btn-extend');
    await screen.findByText('延期到：请选择 2025-11-30 之后的日期');
    type(container, 'input-until', addDays(TODAY, 91));
    click(container, 'btn-extend');
    await screen.findByText(`延期到：最晚只能到 ${addDays(TODAY, 90)}（90 天内）`);
    type(container, 'input-until', '2025-12-10');
    click(container, 'btn-extend');
    await screen.findByText('原因：请写明为什么需要延期，社区会看到');
    expect(mockCall).not.toHaveBeenCalled();

    type(container, 'input-extend-reason', '居民住院，出院后再上门');
    click(container, 'btn-extend');
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(mockCall).toHaveBeenCalledWith('extend', {
      wishId: 'w1',
      until: '2025-12-10',
      reason: '居民住院，出院后再上门',
      requestId: 'req-1',
    });
  });
});

test('release needs a reason and says the wish goes back on the board', async () => {
  const { container } = render(<ReleaseForm wish={claimed()} onDone={jest.fn()} now={NOW} />);
  expect(container.textContent).toContain('回到认领墙');
  click(container, 'btn-release');
  await screen.findByText('放弃的原因：请写明原因，社区会看到');
  expect(mockCall).not.toHaveBeenCalled();
  type(container, 'input-release-reason', '临时出差');
  click(container, 'btn-release');
  await waitFor(() => expect(mockCall).toHaveBeenCalledWith('release', { wishId: 'w1', reason: '临时出差', requestId: 'req-1' }));
});

describe('registration', () => {
  const collected = wishView({ status: 'collected', actions: ['register', 'defer', 'reject'] });

  test('defer needs a reason and a re-review date from tomorrow to a year ahead', async () => {
    const { container } = render(<RegisterForm wish={collected} onDone={jest.fn()} now={NOW} categories={[]} canDefer canRegister />);
    click(container, 'chip-deferred');
    const picker = container.querySelector('.input-review-on')!;
    expect(picker.getAttribute('data-start')).toBe('2025-11-25');
    expect(picker.getAttribute('data-end')).toBe(addDays(TODAY, 366));
    click(container, 'btn-register');
    await screen.findByText('原因：请写明暂缓办理的原因，居民会看到');
    type(container, 'input-reason', '小区改造规划未定');
    type(container, 'input-review-on', TODAY);
    click(container, 'btn-register');
    await screen.findByText(`复核日期：请选择 2025-11-25 到 ${addDays(TODAY, 366)} 之间的日期`);
    expect(mockCall).not.toHaveBeenCalled();
    type(container, 'input-review-on', '2026-03-01');
    click(container, 'btn-register');
    await waitFor(() =>
      expect(mockCall).toHaveBeenCalledWith('register', {
        wishId: 'w1',
        track: 'deferred',
        reason: '小区改造规划未定',
        reviewOn: '2026-03-01',
        requestId: 'req-1',
      }),
    );
  });

  test('issue 22: the public title and summary are prefilled from the category (never the resident’s words), editable, and sent only when the organiser registers', async () => {
    const wish = wishView({
      status: 'collected',
      summary: '', // the server stores none until an organiser confirms one
      publicTitle: '',
      category: null,
      title: '王秀英想请人陪聊',
      content: '我有糖尿病，老伴走了',
      contact: { name: '王秀英', phone: '13800001111', address: '幸福里小区 3 栋 201' },
      private: true,
      actions: ['register', 'defer', 'reject'],
    });
    const { container } = render(
      <RegisterForm wish={wish} onDone={jest.fn()} now={NOW} categories={['生活帮扶', '精神慰藉']} canDefer canRegister />,
    );
    const title = () => (container.querySelector('.input-public-title') as HTMLInputElement).value;
    const summary = () => (container.querySelector('.input-summary') as HTMLTextAreaElement).value;
    expect([title(), summary()]).toEqual(['一位居民需要帮助', '一位居民需要帮助。']);
    // The suggestion follows the chosen category until the organiser edits it.
    click(container, 'chip-精神慰藉');
    expect([title(), summary()]).toEqual(['【精神慰藉】一位居民需要帮助', '一位居民需要“精神慰藉”方面的帮助。']);
    for (const v of [title(), summary()]) expect(v).not.toMatch(/王秀英|陪聊|糖尿病|老伴/);
    expect(mockCall).not.toHaveBeenCalled(); // a suggestion on screen is not stored
    // Emptied (or only invisible characters): the board needs a confirmed title and summary.
    type(container, 'input-public-title', '\u200b ');
    click(container, 'btn-register');
    await screen.findByText('公开标题：请填写认领墙上显示的标题（不要写姓名、电话、住址、病情）');
    type(container, 'input-public-title', '独居老人希望有人陪伴');
    type(container, 'input-summary', '\u200b ');
    click(container, 'btn-register');
    await screen.findByText('公开摘要：请填写认领墙上显示的摘要（不要写姓名、电话、住址、病情）');
    expect(mockCall).not.toHaveBeenCalled();
    type(container, 'input-summary', '希望每周有人上门坐坐');
    click(container, 'chip-生活帮扶'); // edited fields no longer follow the category
    expect([title(), summary()]).toEqual(['独居老人希望有人陪伴', '希望每周有人上门坐坐']);
    click(container, 'btn-register');
    await waitFor(() =>
      expect(mockCall).toHaveBeenCalledWith('register', {
        wishId: 'w1',
        track: 'individual',
        category: '生活帮扶',
        publicTitle: '独居老人希望有人陪伴',
        summary: '希望每周有人上门坐坐',
        requestId: 'req-1',
      }),
    );
  });

  test('issue 7 and 22: publishing confirms the public title and summary too: prefilled from the category, and required', async () => {
    const wish = wishView({ status: 'registered', summary: '', publicTitle: '', actions: ['publish'] });
    const { container } = render(
      <OrganiserActions wish={wish} onDone={jest.fn()} now={NOW} categories={[]} actions={new Set(['publish'])} />,
    );
    expect((container.querySelector('.input-publish-title') as HTMLInputElement).value).toBe('【精神慰藉】一位居民需要帮助');
    const field = container.querySelector('.input-publish-summary') as HTMLTextAreaElement;
    expect(field.value).toBe('一位居民需要“精神慰藉”方面的帮助。');
    type(container, 'input-publish-summary', '');
    click(container, 'btn-publish');
    await screen.findByText('公开摘要：请填写认领墙上显示的摘要（不要写姓名、电话、住址、病情）');
    expect(mockCall).not.toHaveBeenCalled();
    type(container, 'input-publish-summary', '独居老人希望有人陪聊');
    click(container, 'btn-publish');
    await waitFor(() =>
      expect(mockCall).toHaveBeenCalledWith('publish', {
        wishId: 'w1',
        publicTitle: '【精神慰藉】一位居民需要帮助',
        summary: '独居老人希望有人陪聊',
        requestId: 'req-1',
      }),
    );
  });

  test('urgent and the edited public summary are sent with the registration', async () => {
    const { container } = render(
      <RegisterForm wish={collected} onDone={jest.fn()} now={NOW} categories={['生活帮扶']} canDefer canRegister />,
    );
    click(container, 'chip-生活帮扶');
    type(container, 'input-summary', '独居老人希望有人每周陪聊');
    click(container, 'urgent-toggle');
    click(container, 'btn-register');
    await waitFor(() =>
      expect(mockCall).toHaveBeenCalledWith('register', {
        wishId: 'w1',
        track: 'individual',
        category: '生活帮扶',
        publicTitle: '【生活帮扶】一位居民需要帮助',
        summary: '独居老人希望有人每周陪聊',
        urgent: true,
        requestId: 'req-1',
      }),
    );
  });

  test('the organiser panel shows duplicate suggestions with their reasons', async () => {
    mockCall.mockImplementation(async (name: string) =>
      name === 'duplicates'
        ? {
            items: [
              {
                _id: 'w0',
                title: '想找人陪聊',
                status: 'published',
                createdAt: '2025-11-01T00:00:00.000Z',
                reasons: ['same-phone', 'similar-text'],
              },
            ],
          }
        : wishView(),
    );
    const { container } = render(
      <ActionPanel wish={collected} categories={[]} role="organiser" onDone={jest.fn()} organiser={OrganiserActions} />,
    );
    await screen.findByText(/想找人陪聊/);
    expect(container.querySelector('.duplicates')!.textContent).toContain('电话相同、内容相近');
    expect(mockCall).toHaveBeenCalledWith('duplicates', { wishId: 'w1' });
  });
});

test('assign needs a name and a date within 90 days', async () => {
  const w = wishView({ status: 'registered', track: 'common', actions: ['assign'] });
  const { container } = render(<AssignForm wish={w} onDone={jest.fn()} now={NOW} />);
  click(container, 'btn-assign');
  await screen.findByText(/领办对象：不能为空/);
  type(container, 'input-assignee', '物业办');
  type(container, 'input-promised-by', addDays(TODAY, 100));
  click(container, 'btn-assign');
  await screen.findByText(/承诺完成日期：请选择 2025-11-24 到/);
  expect(mockCall).not.toHaveBeenCalled();
  type(container, 'input-promised-by', '2025-12-20');
  click(container, 'btn-assign');
  await waitFor(() =>
    expect(mockCall).toHaveBeenCalledWith('assign', {
      wishId: 'w1',
      kind: 'org',
      assignee: '物业办',
      promisedBy: '2025-12-20',
      requestId: 'req-1',
    }),
  );
});

describe('organiser answers and corrections', () => {
  test('answer an extension: shows the ask, sends approve or refuse', async () => {
    const w = claimed({
      mine: false,
      extension: { until: '2025-12-10', reason: '居民住院', at: '2025-11-25T00:00:00.000Z', state: 'pending' },
    });
    const { container } = render(<AnswerExtensionForm wish={w} onDone={jest.fn()} now={NOW} />);
    expect(container.querySelector('.extension-ask')!.textContent).toBe('申请延期到 12月10日：居民住院');
    click(container, 'btn-refuse-extension');
    await waitFor(() => expect(mockCall).toHaveBeenCalledWith('answerExtension', { wishId: 'w1', approve: false, requestId: 'req-1' }));
  });

  test('no pending extension: nothing to answer', () => {
    const { container } = render(<AnswerExtensionForm wish={claimed()} onDone={jest.fn()} now={NOW} />);
    expect(container.querySelector('.btn-approve-extension')).toBeNull();
  });

  test('reassign a member claim needs only a reason; an assigned wish needs the new assignee and date', async () => {
    const { container, unmount } = render(<ReassignForm wish={claimed({ mine: false })} onDone={jest.fn()} now={NOW} />);
    expect(container.querySelector('.input-reassign-assignee')).toBeNull();
    click(container, 'btn-reassign');
    await screen.findByText('原因：请写明改派的原因');
    type(container, 'input-reassign-reason', '认领人长期联系不上');
    click(container, 'btn-reassign');
    await waitFor(() =>
      expect(mockCall).toHaveBeenCalledWith('reassign', { wishId: 'w1', reason: '认领人长期联系不上', requestId: 'req-1' }),
    );
    unmount();

    mockCall.mockClear();
    const assigned = claimed({ kind: 'org', assignee: '物业办', mine: false });
    const second = render(<ReassignForm wish={assigned} onDone={jest.fn()} now={NOW} />).container;
    type(second, 'input-reassign-reason', '物业办人手不够');
    click(second, 'btn-reassign');
    await screen.findByText('领办对象：请填写组织或领导');
    expect(mockCall).not.toHaveBeenCalled();
    type(second, 'input-reassign-assignee', '社区党委');
    click(second, 'btn-reassign');
    await waitFor(() =>
      expect(mockCall).toHaveBeenCalledWith('reassign', {
        wishId: 'w1',
        reason: '物业办人手不够',
        kind: 'org',
        assignee: '社区党委',
        promisedBy: addDays(TODAY, 14),
        requestId: 'req-1',
      }),
    );
  });

  test('reopen needs a reason', async () => {
    const { container } = render(<ReopenForm wish={wishView({ status: 'closed' })} onDone={jest.fn()} now={NOW} />);
    click(container, 'btn-reopen');
    await screen.findByText('原因：请写明重新办理的原因');
    expect(mockCall).not.toHaveBeenCalled();
  });

  test('a close-out refused for missing evidence shows the server message', async () => {
    const { GatewayError } = jest.requireActual('@/services/answer');
    mockCall.mockRejectedValueOnce(new GatewayError('WISH.NO_EVIDENCE', '还没有落实记录，不能销号'));
    const w = wishView({ status: 'reviewed', actions: ['closeOut'] });
    const { container } = render(<ActionPanel wish={w} categories={[]} role="organiser" onDone={jest.fn()} organiser={OrganiserActions} />);
    click(container, 'btn-close-out');
    await screen.findByText('还没有落实记录，不能销号');
  });
});

test('feedback：不满意 says the wish goes back for rework; the organiser form is a call-back record', async () => {
  const w = wishView({ status: 'fulfilled', actions: ['feedback'] });
  const { container, unmount } = render(<FeedbackForm wish={w} onDone={jest.fn()} callback={false} />);
  expect(container.textContent).not.toContain('重新办理');
  click(container, 'chip-unsatisfied');
  expect(container.textContent).toContain('心愿会退回给认领人重新办理');
  type(container, 'input-comment', '没有上门');
  click(container, 'btn-feedback');
  await waitFor(() =>
    expect(mockCall).toHaveBeenCalledWith('feedback', {
      wishId: 'w1',
      satisfaction: 'unsatisfied',
      comment: '没有上门',
      requestId: 'req-1',
    }),
  );
  unmount();
  const organiser = render(<FeedbackForm wish={w} onDone={jest.fn()} callback />).container;
  expect(organiser.querySelector('.section-title')!.textContent).toContain('回访');
});

test('the claim limit: the function message is shown as it is', async () => {
  const { GatewayError } = jest.requireActual('@/services/answer');
  mockCall.mockRejectedValueOnce(new GatewayError('CLAIM.LIMIT_REACHED', '您已有 3 个心愿在办理中，办完后再认领新的'));
  const { container } = render(
    <ActionPanel wish={wishView({ actions: ['claim'] })} categories={[]} role="member" onDone={jest.fn()} now={NOW} />,
  );
  click(container, 'btn-claim');
  const msg = await screen.findByText('您已有 3 个心愿在办理中，办完后再认领新的');
  expect(msg.className).toContain('form-error');
  const Taro = (await import('@tarojs/taro')).default;
  expect(Taro.showToast).toHaveBeenLastCalledWith(
    expect.objectContaining({ title: '您已有 3 个心愿在办理中，办完后再认领新的', icon: 'none' }),
  );
});

describe('issue 7: who is coming, reaching them, withdrawing on a resident’s behalf', () => {
  test('an organiser withdraws only with a reason the resident reads; the resident withdraws her own without one', async () => {
    const published = wishView({ actions: ['withdraw'] });
    const { container } = render(<ActionPanel wish={published} onDone={jest.fn()} now={NOW} categories={[]} role="organiser" />);
    click(container, 'btn-withdraw');
    await screen.findByText('原因：代居民撤回心愿时，请写明原因，居民会看到');
    expect(mockCall).not.toHaveBeenCalled();
    type(container, 'input-withdraw-reason', '居民来电说家人已解决');
    click(container, 'btn-withdraw');
    await waitFor(() =>
      expect(mockCall).toHaveBeenCalledWith('withdraw', { wishId: 'w1', reason: '居民来电说家人已解决', requestId: 'req-1' }),
    );
    mockCall.mockClear();
    const own = render(<ActionPanel wish={{ ...published, mine: true }} onDone={jest.fn()} now={NOW} categories={[]} role="resident" />);
    expect(own.container.querySelector('.input-withdraw-reason')).toBeNull();
    click(own.container, 'btn-withdraw');
    await waitFor(() => expect(mockCall).toHaveBeenCalledWith('withdraw', { wishId: 'w1', requestId: 'req-1' }));
  });

  test('the organiser’s ledger card says who holds each wish: the member’s name and branch, or the assignee', () => {
    const byMember = render(
      <WishCard wish={claimed({ member: { name: '李明', orgName: '幸福里社区' } })} onOpen={jest.fn()} showPromise now={NOW} />,
    );
    expect(byMember.container.querySelector('.claim-holder')?.textContent).toBe('领办：李明（幸福里社区）');
    const assigned = claimed({ kind: 'org', assignee: '物业公司', mine: false });
    expect(render(<WishCard wish={assigned} onOpen={jest.fn()} />).container.querySelector('.claim-holder')?.textContent).toBe(
      '领办：物业公司',
    );
  });

  test('the resident writes to the member who holds her wish （留言） through the app', async () => {
    const wish = claimed({ mine: false, member: { name: '李明', orgName: '幸福里社区' } });
    const { container } = render(
      <ActionPanel wish={{ ...wish, mine: true, actions: ['message'] }} onDone={jest.fn()} now={NOW} categories={[]} role="resident" />,
    );
    expect(container.textContent).toContain('给认领人留言');
    click(container, 'btn-message');
    await screen.findByText('留言：请写下要说的话');
    type(container, 'input-message', '周六上午我在家');
    click(container, 'btn-message');
    await waitFor(() => expect(mockCall).toHaveBeenCalledWith('message', { wishId: 'w1', note: '周六上午我在家', requestId: 'req-1' }));
  });
});

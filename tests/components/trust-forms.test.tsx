/**
 * The trust screens' own checks before any call, and what they send: 加入支部 (code format, name),
 * 删除我的数据 (tick-box, then a second confirmation), 待确认党员 (确认/拒绝), 内容审核 (不通过 needs a
 * reason), and how the 操作日志 says an entry in plain words.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { call } from '@/services/gateway';
import { codeProblem, deleteProblem, nameProblem, normaliseCode } from '@/account/checks';
import { JoinForm } from '@/account/join/index';
import { DeleteForm } from '@/account/data/index';
import Members from '@/organiser/members/index';
import Moderation from '@/organiser/moderation/index';
import { describeAudit, groupViews } from '@/organiser/audit/index';
import { wishView } from './fixtures';

jest.mock('@/services/gateway', () => ({
  ...jest.requireActual('@/services/answer'),
  call: jest.fn(),
  photoUrls: async () => ({}),
  newRequestId: () => 'req-t',
  uploadPhoto: jest.fn(),
}));
const mockCall = call as jest.MockedFunction<typeof call>;
const type = (c: HTMLElement, cls: string, value: string) => fireEvent.change(c.querySelector(`.${cls}`)!, { target: { value } });
const click = (c: HTMLElement, cls: string) => fireEvent.click(c.querySelector(`.${cls}`)!);

beforeEach(() => {
  mockCall.mockReset();
  jest.mocked(Taro.showModal).mockReset();
  jest.mocked(Taro.showModal).mockResolvedValue({ confirm: true, cancel: false } as never);
});

describe('invitation code and name', () => {
  test('the code is 8 letters or digits, typed in any case with spaces', () => {
    expect(normaliseCode(' abcd 2345 ')).toBe('ABCD2345');
    expect(normaliseCode('abcd-2345')).toBe('ABCD2345');
    expect(codeProblem('')).toBe('请填写邀请码');
    expect(codeProblem('ABC234')).toMatch(/^邀请码是 8 位字母或数字/);
    expect(codeProblem('ABCD23456')).toMatch(/^邀请码是 8 位字母或数字/);
    expect(codeProblem('ABCD234好')).toMatch(/^邀请码是 8 位字母或数字/);
    expect(codeProblem('ABCD2345')).toBe('');
    expect(nameProblem('  ')).toBe('请填写您的姓名');
    expect(nameProblem('张'.repeat(21))).toBe('姓名不能超过 20 个字');
    expect(nameProblem('张三')).toBe('');
  });

  test('a wrong code or a missing name is said before anything is sent', async () => {
    const onJoined = jest.fn();
    const { container } = render(<JoinForm onJoined={onJoined} />);
    type(container, 'input-invite-code', 'abc12');
    type(container, 'input-member-name', '张三');
    click(container, 'btn-join');
    expect(await screen.findByText(/邀请码是 8 位字母或数字/)).toBeTruthy();
    type(container, 'input-invite-code', 'abcd 2345');
    type(container, 'input-member-name', ' ');
    click(container, 'btn-join');
    expect(await screen.findByText('请填写您的姓名')).toBeTruthy();
    expect(mockCall).not.toHaveBeenCalled();
  });

  test('a good code is sent in capitals with the name; the answer goes to 待确认', async () => {
    mockCall.mockResolvedValue({ status: 'pending', orgId: 'party-1', orgName: '幸福里党支部' } as never);
    const onJoined = jest.fn();
    const { container } = render(<JoinForm onJoined={onJoined} />);
    type(container, 'input-invite-code', 'abcd 2345');
    type(container, 'input-member-name', ' 张三 ');
    click(container, 'btn-join');
    await waitFor(() => expect(onJoined).toHaveBeenCalledWith({ status: 'pending', orgId: 'party-1', orgName: '幸福里党支部' }, '张三'));
    expect(mockCall).toHaveBeenCalledWith('join', { code: 'ABCD2345', name: '张三', requestId: 'req-t' });
  });

  test('an unknown code shows the server message', async () => {
    const { GatewayError } = jest.requireActual('@/services/answer');
    mockCall.mockRejectedValue(new GatewayError('INVITE.INVALID', '邀请码无效或已过期'));
    const onJoined = jest.fn();
    const { container } = render(<JoinForm onJoined={onJoined} />);
    type(container, 'input-invite-code', 'ZZZZ9999');
    type(container, 'input-member-name', '张三');
    click(container, 'btn-join');
    expect(await screen.findByText('邀请码无效或已过期')).toBeTruthy();
    expect(onJoined).not.toHaveBeenCalled();
  });
});

describe('delete my data', () => {
  test('nothing is deleted until the resident ticks “I understand” and confirms again', async () => {
    expect(deleteProblem(false)).toBe('请先勾选“我已了解，删除后不能恢复”');
    expect(deleteProblem(true)).toBe('');
    const onDeleted = jest.fn();
    const { container } = render(<DeleteForm onDeleted={onDeleted} />);
    expect(container.querySelector('.btn-delete')).toBeNull(); // first a button that only opens the form
    click(container, 'btn-delete-open');
    click(container, 'btn-delete');
    expect(await screen.findByText('请先勾选“我已了解，删除后不能恢复”')).toBeTruthy();
    expect(Taro.showModal).not.toHaveBeenCalled();
    click(container, 'tick-understood');
    jest.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: false, cancel: true } as never);
    click(container, 'btn-delete');
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledTimes(1));
    expect(mockCall).not.toHaveBeenCalled(); // 不删了 in the second confirmation
    const answer = { erased: ['w1'], kept: ['w2'], message: '已删除 1 个心愿中的个人信息；1 个心愿正在办理，办结后会自动删除' };
    mockCall.mockResolvedValue(answer as never);
    click(container, 'btn-delete');
    await waitFor(() => expect(onDeleted).toHaveBeenCalledWith(answer));
    expect(mockCall).toHaveBeenCalledWith('deleteMyData', { confirm: true });
  });
});

describe('organiser: members, moderation, audit', () => {
  test('待确认党员：确认 sends the openid from the list，拒绝 asks first', async () => {
    const pending = { openid: 'op-9', name: '张三', orgId: 'party-1', orgName: '幸福里党支部', at: '2026-11-20T02:00:00.000Z' };
    mockCall.mockImplementation(
      async (name: string) =>
        (name === 'pendingMembers'
          ? { items: [pending], cursor: null }
          : name === 'branchMembers'
            ? { items: [], cursor: null }
            : { openid: 'op-9', role: 'member' }) as never,
    );
    const { container } = render(<Members />);
    await screen.findByText('张三');
    expect(screen.getByText('申请加入：幸福里党支部')).toBeTruthy();
    jest.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: false, cancel: true } as never);
    click(container, 'btn-refuse-member');
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalled());
    expect(mockCall).not.toHaveBeenCalledWith('confirmMember', expect.anything());
    click(container, 'btn-confirm-member');
    await waitFor(() => expect(mockCall).toHaveBeenCalledWith('confirmMember', { openid: 'op-9', approve: true, requestId: 'req-t' }));
  });

  test('支部党员 lists members with their open claims；移出 needs a reason, says what happens, sends once', async () => {
    const member = { openid: 'm-7', name: '钱多多', orgId: 'party-1', orgName: '幸福里党支部', openClaims: 2 };
    mockCall.mockImplementation(
      async (name: string) =>
        (name === 'branchMembers'
          ? { items: [member], cursor: null }
          : name === 'pendingMembers'
            ? { items: [], cursor: null }
            : { openid: 'm-7', released: ['w1', 'w2'], kept: [] }) as never,
    );
    const { container } = render(<Members />);
    await screen.findByText('钱多多');
    expect(container.querySelector('.branch-member .member-status')!.textContent).toBe('正在办 2 个心愿');
    click(container, 'btn-ask-remove');
    expect(container.querySelector('.branch-member')!.textContent).toContain('2 个心愿会回到认领墙');
    click(container, 'btn-remove-member');
    expect(container.querySelector('.branch-member .field-error')!.textContent).toBe('请填写“移出的原因”');
    expect(mockCall).not.toHaveBeenCalledWith('removeMember', expect.anything());
    type(container, 'input-remove-reason', '搬到外地了');
    expect(container.querySelector('.branch-member .field-error')).toBeNull();
    click(container, 'btn-remove-member');
    click(container, 'btn-remove-member');
    await waitFor(() => expect(mockCall).toHaveBeenCalledWith('removeMember', { openid: 'm-7', reason: '搬到外地了', requestId: 'req-t' }));
    expect(mockCall.mock.calls.filter((c) => c[0] === 'removeMember')).toHaveLength(1);
  });

  test('邀请党员 shows the code big with its expiry', async () => {
    mockCall.mockImplementation(
      async (name: string) =>
        (name === 'invite'
          ? { code: 'ABCD2345', orgId: 'party-1', orgName: '幸福里党支部', expiresAt: '2026-12-01T02:00:00.000Z' }
          : { items: [], cursor: null }) as never,
    );
    const { container } = render(<Members />);
    expect(await screen.findByText(/没有待确认的党员/)).toBeTruthy();
    click(container, 'btn-invite');
    expect((await screen.findByText('ABCD2345')).className).toContain('invite-code');
    expect(container.querySelector('.invite-expiry')!.textContent).toMatch(/^幸福里党支部 · 12月1日 \d\d:00 前有效$/);
    click(container, 'btn-copy-code');
    expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: 'ABCD2345' });
  });

  test('内容审核：不通过 needs a reason；通过 releases', async () => {
    const held = wishView({
      _id: 'w-held',
      title: '需要审核的心愿',
      moderation: { state: 'review', reason: '', at: '2026-11-20T02:00:00.000Z' },
    } as never);
    mockCall.mockImplementation(async (name: string) => (name === 'moderationQueue' ? { items: [held], cursor: null } : held) as never);
    const { container } = render(<Moderation />);
    await screen.findByText('需要审核的心愿');
    click(container, 'btn-reject-held'); // opens the reason
    click(container, 'btn-reject-held');
    expect(await screen.findByText('请写明不通过的原因，居民会看到')).toBeTruthy();
    expect(mockCall).not.toHaveBeenCalledWith('moderate', expect.anything());
    type(container, 'input-moderate-reason', '含有广告内容');
    click(container, 'btn-reject-held');
    await waitFor(() =>
      expect(mockCall).toHaveBeenCalledWith('moderate', { wishId: 'w-held', approve: false, reason: '含有广告内容', requestId: 'req-t' }),
    );
  });

  test('操作日志 entries name the person (name and role) and the wish (its title)', () => {
    const base = { at: '2026-11-20T02:00:00.000Z', actorId: 'op-1', actorRole: 'organiser', actorName: '陈静', before: null };
    expect(
      describeAudit({ ...base, action: 'confirmMember', target: { kind: 'user', id: 'op-9' }, after: { role: 'member', name: '张三' } }),
    ).toEqual({
      who: '陈静（社区工作人员）',
      what: '确认了党员身份',
      detail: '党员：张三',
    });
    expect(describeAudit({ ...base, action: 'confirmMember', target: { kind: 'user', id: 'op-9' }, after: {} }, 'op-1').who).toBe(
      '我（陈静（社区工作人员））',
    );
    expect(describeAudit({ ...base, actorName: null, action: 'invite', target: { kind: 'invite', id: 'ABCD2345' }, after: {} })).toEqual({
      who: '社区工作人员',
      what: '生成了党员邀请码',
      detail: '邀请码 ABCD2345',
    });
    const approved = describeAudit({
      ...base,
      wishTitle: '想请人修水管',
      action: 'moderate.approve',
      target: { kind: 'wish', id: 'a-wish-1' },
      after: { status: 'collected' },
    });
    expect(approved).toEqual({ who: '陈静（社区工作人员）', what: '内容审核：通过', detail: '心愿“想请人修水管”，现为“待登记”' });
    expect(approved.detail).not.toContain('尾号');
    expect(
      describeAudit({ ...base, actorId: null, actorRole: null, action: 'purge', target: { kind: 'system', id: 'x' }, after: {} }).who,
    ).toBe('系统（定时任务）');
  });

  test('操作日志 says every action in Chinese, and says “deleted” only where the personal data was deleted', () => {
    const base = { at: '2026-11-20T02:00:00.000Z', actorId: 'op-1', actorRole: 'organiser', actorName: '陈静', before: null, after: {} };
    const wish = { kind: 'wish', id: 'a-wish-1' };
    expect(describeAudit({ ...base, wishTitle: '想请人修水管', action: 'issueReceipt', target: wish }).what).toBe('打印了回执');
    for (const action of ['issueReceipt', 'reissuePin', 'nudge', 'linkCard', 'collect', 'someFutureAction'])
      expect(describeAudit({ ...base, action, target: wish }).what).toMatch(/^[\u4e00-\u9fff（）：]+$/);
    expect(describeAudit({ ...base, wishTitle: null, action: 'reveal', target: wish }).detail).toBe('心愿（找不到这个心愿）');
    expect(describeAudit({ ...base, wishTitle: '（已删除）', wishPurged: true, action: 'reveal', target: wish }).detail).toBe(
      '心愿（个人信息已按保存期限删除）',
    );
  });

  test('repeated views of the same wish by the same person in a row are one line with a count', () => {
    const view = (at: string, actorId: string, wish: string) => ({
      at,
      actorId,
      actorRole: 'member',
      action: 'reveal',
      target: { kind: 'wish', id: wish },
      before: null,
      after: {},
    });
    const rows = groupViews([
      view('2026-11-20T05:00:00.000Z', 'm-1', 'w-1'),
      view('2026-11-20T04:00:00.000Z', 'm-1', 'w-1'),
      view('2026-11-20T03:00:00.000Z', 'm-1', 'w-1'),
      view('2026-11-20T02:00:00.000Z', 'm-2', 'w-1'),
      view('2026-11-20T01:00:00.000Z', 'm-1', 'w-2'),
    ]);
    expect(rows.map((r) => [r.entry.actorId, r.entry.target.id, r.times])).toEqual([
      ['m-1', 'w-1', 3],
      ['m-2', 'w-1', 1],
      ['m-1', 'w-2', 1],
    ]);
    expect(rows[0]!.first).toBe('2026-11-20T03:00:00.000Z');
  });
});

/**
 * 党员管理: 邀请党员 (function `invite`: an 8-character code valid 7 days, shown big and copyable),
 * 待确认党员 (`pendingMembers`, oldest first) with 确认 / 拒绝 (`confirmMember`), and 支部党员
 * (`branchMembers`: current members with their open claims and this year's count against the quota) with 提醒 for
 * one with nothing this year (`nudge`) and 移出 for one who has left (`removeMember`).
 */
import '../organiser.css';
import { useBusy } from '@/components/useBusy';
import { useRef, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ConfirmMemberEvent, RemoveMemberEvent } from '@/core';
import { useAction } from '@/components/ActionPanel';
import { Frame } from '@/components/Frame';
import { FormError, TextAreaField } from '@/components/Field';
import { PagedListState } from '@/components/ListState';
import { formatTime, toastError, toastOk } from '@/components/format';
import { usePagedPage } from '@/components/usePaged';
import { call, messageOf, newRequestId } from '@/services/gateway';

interface Invite {
  code: string;
  orgName: string;
  expiresAt: string;
}

interface Pending {
  openid: string;
  name: string;
  orgId: string;
  orgName: string;
  at: string;
}

interface Member {
  openid: string;
  name: string;
  orgName: string;
  openClaims: number;
  /** This year (China time): claims closed against the member quota; when they were nudged (提醒) this year. */
  year?: { done: number; target: number; met: boolean };
  nudgedAt?: string | null;
}

/** 今年: what the member closed this year; without anything yet, 提醒 sends them a notice (once a year). */
function YearLine(props: { m: Member; onDone: () => void }) {
  const { m } = props;
  const act = useAction('nudge', null, (message) => {
    toastOk(message);
    props.onDone();
  });
  if (!m.year) return null;
  return (
    <View className={`member-year${m.year.met ? '' : ' member-year-nothing'}`}>
      <Text className={`card-line${m.year.met ? '' : ' text-warn'}`}>
        {m.year.met
          ? `今年已办结 ${m.year.done} 个心愿，完成年度指标`
          : `今年办结 ${m.year.done} 个，年度指标 ${m.year.target} 个，还没有完成`}
      </Text>
      {!m.year.met ? (
        m.nudgedAt ? (
          <Text className="card-line muted member-nudged">已于 {formatTime(m.nudgedAt)} 提醒过；下次通报前仍没有的，会在通报中点名</Text>
        ) : (
          <>
            <FormError message={act.error} />
            <Button
              className="btn btn-quiet btn-nudge"
              disabled={act.busy}
              onClick={() => void act.run({ openid: m.openid }, `已提醒 ${m.name}`)}
            >
              {act.busy ? '正在提醒…' : '提醒TA认领心愿'}
            </Button>
          </>
        )
      ) : null}
    </View>
  );
}

const PAGE = { limit: 20 };

function InviteCard() {
  const [invite, setInvite] = useState<Invite | null>(null);
  const { busy, start, done } = useBusy();
  const [error, setError] = useState('');
  const requestId = useRef(newRequestId());
  async function create() {
    if (!start()) return;
    setError('');
    try {
      setInvite(await call<Invite>('invite', { requestId: requestId.current }));
      requestId.current = newRequestId();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      done();
    }
  }
  return (
    <View className="card invite">
      <Text className="card-line">
        生成一个邀请码，交给要加入的党员。党员在“我的心愿”页点“我是党员，加入支部”，填上邀请码和姓名，再由您确认。
      </Text>
      {invite ? (
        <View className="invite-result" style={{ margin: '12px 0', textAlign: 'center' }}>
          <Text
            className="invite-code"
            selectable
            userSelect
            style={{ display: 'block', fontSize: '40px', fontWeight: 'bold', letterSpacing: '6px', color: '#b71c1c' }}
          >
            {invite.code}
          </Text>
          <Text className="invite-expiry" style={{ display: 'block', fontSize: '18px' }}>
            {invite.orgName} · {formatTime(invite.expiresAt)} 前有效
          </Text>
          <Button
            className="btn btn-copy-code"
            onClick={() =>
              void Taro.setClipboardData({ data: invite.code }).then(
                () => toastOk('已复制'),
                () => toastError(new Error('复制没有成功，请长按邀请码复制')),
              )
            }
          >
            复制邀请码
          </Button>
        </View>
      ) : null}
      <FormError message={error} />
      <Button className="btn btn-primary btn-invite" disabled={busy} onClick={() => void create()}>
        {busy ? '正在生成…' : invite ? '再生成一个' : '生成邀请码'}
      </Button>
    </View>
  );
}

function PendingCard(props: { p: Pending; onDone: () => void }) {
  const act = useAction('confirmMember', ConfirmMemberEvent, (message) => {
    toastOk(message);
    props.onDone();
  });
  async function answer(approve: boolean) {
    if (act.busy) return;
    if (!approve) {
      const sure = await Taro.showModal({
        title: '拒绝申请',
        content: `确定不通过 ${props.p.name} 的党员申请吗？`,
        confirmText: '拒绝',
        cancelText: '再想想',
      });
      if (!sure.confirm) return;
    }
    await act.run({ openid: props.p.openid, approve }, approve ? '已确认' : '已拒绝');
  }
  return (
    <View className="card pending-member" data-openid={props.p.openid}>
      <Text className="card-title">{props.p.name}</Text>
      <Text className="card-line">申请加入：{props.p.orgName}</Text>
      <Text className="card-line muted">申请时间：{formatTime(props.p.at)}</Text>
      <FormError message={act.error} />
      <View className="btn-row" style={{ marginTop: '12px' }}>
        <Button className="btn btn-primary btn-confirm-member" disabled={act.busy} onClick={() => void answer(true)}>
          确认
        </Button>
        <Button className="btn btn-quiet btn-refuse-member" disabled={act.busy} onClick={() => void answer(false)}>
          拒绝
        </Button>
      </View>
    </View>
  );
}

/** A current member: their branch and open claims; 移出 asks why (kept in the audit log) and says what happens. */
function MemberCard(props: { m: Member; onDone: () => void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const act = useAction('removeMember', RemoveMemberEvent, (message) => {
    toastOk(message);
    props.onDone();
  });
  const m = props.m;
  return (
    <View className="card branch-member" data-openid={m.openid}>
      <Text className="card-title">{m.name}</Text>
      <Text className="card-line">{m.orgName}</Text>
      <Text className={`card-line member-status${m.openClaims ? '' : ' muted'}`}>
        {m.openClaims ? `正在办 ${m.openClaims} 个心愿` : '没有正在办的心愿'}
      </Text>
      <YearLine m={m} onDone={props.onDone} />
      {asking ? (
        <>
          <TextAreaField
            label="移出的原因（只记在操作日志里）"
            name="input-remove-reason"
            value={reason}
            onChange={(x) => {
              setReason(x);
              if (x.trim()) setProblem('');
            }}
            maxlength={200}
            error={problem}
            placeholder="例如：已搬到外地，组织关系已转出"
          />
          <Text className="field-hint">
            {m.openClaims
              ? `移出后，${m.name}正在办的 ${m.openClaims} 个心愿会回到认领墙，并通知${m.name}。`
              : `移出后，${m.name}不能再认领心愿。`}
          </Text>
          <FormError message={act.error} />
          <View className="btn-row">
            <Button
              className="btn btn-primary btn-remove-member"
              disabled={act.busy}
              onClick={() => {
                if (!reason.trim()) {
                  setProblem('不能为空');
                  return;
                }
                void act.run({ openid: m.openid, reason }, `已移出 ${m.name}`);
              }}
            >
              {act.busy ? '正在移出…' : '确定移出'}
            </Button>
            <Button className="btn btn-quiet btn-keep-member" disabled={act.busy} onClick={() => setAsking(false)}>
              不移出
            </Button>
          </View>
        </>
      ) : (
        <Button className="btn btn-quiet btn-ask-remove" onClick={() => setAsking(true)}>
          已离开本支部，移出
        </Button>
      )}
    </View>
  );
}

export default function Members() {
  const list = usePagedPage<Pending>('pendingMembers', PAGE);
  const current = usePagedPage<Member>('branchMembers', PAGE);
  return (
    <Frame className="members">
      <Text className="section-title">邀请党员</Text>
      <InviteCard />
      <Text className="section-title">待确认党员</Text>
      {list.items.map((p) => (
        <PendingCard
          key={p.openid}
          p={p}
          onDone={() => {
            void list.reload();
            void current.reload();
          }}
        />
      ))}
      <PagedListState list={list} emptyText="没有待确认的党员。党员用邀请码申请后会出现在这里。" />
      <Text className="section-title">支部党员</Text>
      {current.items.map((m) => (
        <MemberCard key={m.openid} m={m} onDone={() => void current.reload()} />
      ))}
      <PagedListState list={current} emptyText="支部还没有党员。生成邀请码交给党员，确认后会列在这里。" />
    </Frame>
  );
}

/**
 * 我是党员,加入支部: a resident who is a party member types the 8-character invitation code their branch
 * gave them and their name (function `join`); the branch then confirms them (待确认, whoami.pending).
 */
import { useBusy } from '@/components/useBusy';
import { useEffect, useRef, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { FormError, TextField } from '@/components/Field';
import { ListState } from '@/components/ListState';
import { call, messageOf, newRequestId } from '@/services/gateway';
import { forgetMe, loadMe } from '@/services/session';
import type { Me } from '@/services/api';
import { codeProblem, nameProblem, normaliseCode } from '../checks';

interface Joined {
  status: 'joined' | 'pending';
  orgId: string;
  orgName: string;
}

const big = { display: 'block', fontSize: '20px', lineHeight: '1.7' } as const;

export function JoinForm(props: { onJoined: (j: Joined, name: string) => void }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const { busy, start, done } = useBusy();
  const requestId = useRef(newRequestId());

  async function submit() {
    const c = normaliseCode(code);
    const problem = codeProblem(c) || nameProblem(name);
    if (problem) return setError(problem);
    if (!start()) return;
    setError('');
    try {
      const j = await call<Joined>('join', { code: c, name: name.trim(), requestId: requestId.current });
      forgetMe(); // whoami now has `pending`
      props.onJoined(j, name.trim());
    } catch (e) {
      setError(messageOf(e));
    } finally {
      done();
    }
  }

  return (
    <View className="card join-form">
      <Text style={big}>请填写党支部给您的 8 位邀请码和您的真实姓名。提交后，由支部确认您的党员身份。</Text>
      <TextField
        label="邀请码"
        name="input-invite-code"
        value={code}
        onChange={setCode}
        placeholder="例如 ABCD2345"
        maxlength={12}
        hint="字母不分大小写"
      />
      <TextField label="您的姓名" name="input-member-name" value={name} onChange={setName} placeholder="支部认识的名字" maxlength={20} />
      <FormError message={error} />
      <Button className="btn btn-primary btn-join" disabled={busy} onClick={() => void submit()}>
        {busy ? '正在提交…' : '提交申请'}
      </Button>
    </View>
  );
}

function Waiting(props: { orgName: string; name: string }) {
  return (
    <View className="card join-pending">
      <Text className="card-title" style={{ fontSize: '24px' }}>
        待确认
      </Text>
      <Text style={big}>
        {props.name ? `${props.name}，您` : '您'}的申请已交给{props.orgName || '党支部'}。支部确认后，您打开小程序就能看到认领墙。
      </Text>
    </View>
  );
}

export default function Join() {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState('');
  const [joined, setJoined] = useState<{ orgName: string; name: string } | null>(null);
  const load = () => {
    setError('');
    loadMe(true).then(setMe, (e) => setError(messageOf(e)));
  };
  useEffect(load, []);

  let body = null;
  if (joined) body = <Waiting orgName={joined.orgName} name={joined.name} />;
  else if (me?.pending) body = <Waiting orgName="" name={me.pending.name} />;
  else if (me && me.role !== 'resident')
    body = (
      <View className="card join-done">
        <Text style={big}>
          {me.role === 'member' ? `您已是${me.orgName ?? ''}的党员，可以在认领墙认领心愿。` : '您是社区工作人员，不需要加入支部。'}
        </Text>
      </View>
    );
  else if (me) body = <JoinForm onJoined={(j, name) => setJoined({ orgName: j.orgName, name })} />;

  return (
    <Frame className="join">
      <ListState loading={!me && !error} error={error} empty={false} emptyText="" onRetry={load} />
      {body}
      {me ? (
        <Button
          className="btn btn-quiet btn-back"
          onClick={() => void Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/pages/mine/index' }))}
        >
          返回
        </Button>
      ) : null}
    </Frame>
  );
}

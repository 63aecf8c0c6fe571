/**
 * 我的数据 (PIPL art. 45, 47): see and copy everything the system holds about me (`myData`), and delete it
 * (`deleteMyData`, behind a tick-box and a second confirmation). Wishes in progress keep their contact for
 * the member helping until they end; the answer's message says so and is shown as it comes.
 */
import { useRef, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { FormError } from '@/components/Field';
import { STATUS_LABEL } from '@/core';
import { formatTime } from '@/components/format';
import { call, messageOf } from '@/services/gateway';
import { forgetMe } from '@/services/session';
import type { WishView } from '@/services/api';
import { deleteProblem } from '../checks';

interface MyData {
  exportedAt: string;
  user: { id: string; role: string; name: string; orgName: string; pending: { name: string } | null };
  consent: { accepted: boolean; acceptedVersion: string | null; sensitive: boolean };
  posted: WishView[];
  claimed: WishView[];
}

interface Deleted {
  erased: string[];
  kept: string[];
  message: string;
}

const ROLE: Record<string, string> = { resident: '居民', member: '党员', organiser: '社区工作人员' };
const big = { display: 'block', fontSize: '20px', lineHeight: '1.7' } as const;

function Summary(props: { data: MyData }) {
  const d = props.data;
  const lines = [
    `导出时间：${formatTime(d.exportedAt)}`,
    `身份：${ROLE[d.user.role] ?? d.user.role}${d.user.name ? ` ${d.user.name}` : ''}${d.user.orgName ? `（${d.user.orgName}）` : ''}`,
    d.user.pending ? '党员申请：待支部确认' : '',
    d.consent.accepted ? `个人信息保护告知书：已同意（版本 ${d.consent.acceptedVersion ?? ''}）` : '个人信息保护告知书：未同意',
    `我许的心愿：${d.posted.length} 个`,
    `我认领的心愿：${d.claimed.length} 个`,
  ].filter(Boolean);
  return (
    <View className="card data-summary">
      {lines.map((l) => (
        <Text key={l} style={big}>
          {l}
        </Text>
      ))}
      {d.posted.map((w) => (
        <Text key={w._id} className="card-line data-wish">
          · {w.title}({STATUS_LABEL[w.status]}){w.contact ? ` 联系人 ${w.contact.name}，${w.contact.phone}` : ''}
        </Text>
      ))}
    </View>
  );
}

export function DeleteForm(props: { onDeleted: (d: Deleted) => void }) {
  const [open, setOpen] = useState(false);
  const [understood, setUnderstood] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);

  async function remove() {
    if (inFlight.current) return;
    const problem = deleteProblem(understood);
    if (problem) return setError(problem);
    const sure = await Taro.showModal({
      title: '确认删除',
      content: '删除后不能恢复。确定删除您的个人信息吗？',
      confirmText: '删除',
      cancelText: '不删了',
    });
    if (!sure.confirm) return;
    inFlight.current = true;
    setError('');
    setBusy(true);
    try {
      const d = await call<Deleted>('deleteMyData', { confirm: true });
      forgetMe();
      props.onDeleted(d);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  if (!open)
    return (
      <Button className="btn btn-quiet btn-delete-open" onClick={() => setOpen(true)}>
        删除我的数据
      </Button>
    );
  return (
    <View className="card delete-form">
      <Text style={big}>
        删除后：还没被认领的心愿会撤回并删除；已办完的心愿，您的姓名、电话、住址会被删除；正在办理的心愿，要等办完后自动删除，以免帮您的党员联系不上您。
      </Text>
      <View
        className={`tick tick-understood${understood ? ' tick-on' : ''}`}
        style={{ ...big, padding: '10px 0' }}
        onClick={() => setUnderstood(!understood)}
      >
        <Text style={big}>{understood ? '☑' : '☐'} 我已了解，删除后不能恢复</Text>
      </View>
      <FormError message={error} />
      <Button className="btn btn-primary btn-delete" disabled={busy} onClick={() => void remove()}>
        {busy ? '正在删除…' : '确认删除'}
      </Button>
      <Button className="btn btn-quiet btn-delete-cancel" onClick={() => setOpen(false)}>
        不删了
      </Button>
    </View>
  );
}

export default function MyDataPage() {
  const [data, setData] = useState<MyData | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const [deleted, setDeleted] = useState<Deleted | null>(null);
  const json = data ? JSON.stringify(data, null, 2) : '';

  async function exportData() {
    setLoading(true);
    setError('');
    try {
      setData(await call<MyData>('myData'));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  }

  if (deleted)
    return (
      <Frame className="my-data">
        <View className="card delete-result">
          <Text className="card-title">已删除</Text>
          <Text className="delete-message" style={big}>
            {deleted.message}
          </Text>
        </View>
        <Button className="btn btn-primary btn-home" onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>
          回到首页
        </Button>
      </Frame>
    );
  return (
    <Frame className="my-data">
      <Text className="section-title">导出我的数据</Text>
      <Text style={big}>看看我们保存了您的哪些信息，也可以复制下来保存。</Text>
      <Button className="btn btn-primary btn-export" disabled={loading} onClick={() => void exportData()}>
        {loading ? '正在导出…' : data ? '重新导出' : '导出我的数据'}
      </Button>
      <FormError message={error} />
      {data ? (
        <View className="data-export">
          <Summary data={data} />
          <Button
            className="btn btn-copy-json"
            onClick={() =>
              void Taro.setClipboardData({ data: json }).catch(() =>
                Taro.showToast({ title: '复制没有成功，请长按下面的文字复制', icon: 'none' }),
              )
            }
          >
            复制全部数据（JSON 格式）
          </Button>
          <Text
            className="data-json"
            selectable
            userSelect
            style={{
              display: 'block',
              fontSize: '13px',
              lineHeight: '1.4',
              whiteSpace: 'pre-wrap',
              wordBreak: 'break-all',
              maxHeight: '240px',
              overflow: 'auto',
              background: '#fff',
              padding: '8px',
              borderRadius: '8px',
            }}
          >
            {json}
          </Text>
        </View>
      ) : null}
      <Text className="section-title">删除我的数据</Text>
      <DeleteForm onDeleted={setDeleted} />
    </Frame>
  );
}

/**
 * 通报: the bulletins (一旬一通报, the 1st, 11th and 21st) and monthly reports (一月一调度) an organiser may read —
 * those of their organisation and the organisations above it, newest first (`bulletins`). With `?id=` one of them:
 * the units named as lagging and why, then each child unit's figures (a monthly report also shows the change from
 * last month). A notice about a bulletin opens it here.
 */
import '../organiser.css';
import { useMemo, useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { chinaTime, type Bulletin, type ReportUnit } from '@/core';
import { Chips } from '@/components/Chips';
import { Frame } from '@/components/Frame';
import { PagedListState } from '@/components/ListState';
import { useCalled } from '@/components/useCalled';
import { usePagedPage } from '@/components/usePaged';

interface Item {
  _id: string;
  kind: 'bulletin' | 'monthly';
  orgName: string;
  title: string;
  at: string;
  named: number;
}

type Kind = 'all' | 'bulletin' | 'monthly';
const KINDS: Array<{ value: Kind; label: string }> = [
  { value: 'all', label: '全部' },
  { value: 'bulletin', label: '旬通报' },
  { value: 'monthly', label: '月度调度' },
];

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);
const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

function List() {
  const [kind, setKind] = useState<Kind>('all');
  const params = useMemo(() => (kind === 'all' ? { limit: 20 } : { kind, limit: 20 }), [kind]);
  const list = usePagedPage<Item>('bulletins', params);
  return (
    <Frame className="bulletins">
      <View className="status-tabs">
        <Chips options={KINDS} value={kind} onChange={setKind} />
      </View>
      {list.items.map((b) => (
        <View
          key={b._id}
          className="card bulletin-item"
          data-id={b._id}
          onClick={() => void Taro.navigateTo({ url: `/organiser/bulletins/index?id=${encodeURIComponent(b._id)}` })}
        >
          <Text className="card-title">{b.title}</Text>
          <Text className={`card-line${b.named ? ' text-warn' : ' muted'}`}>{b.named ? `点名 ${b.named} 个滞后单位` : '没有滞后单位'}</Text>
          <Text className="card-line muted">{chinaTime(b.at, 'full')} 发布</Text>
        </View>
      ))}
      <PagedListState list={list} emptyText="还没有通报。每月1日、11日、21日发布旬通报，每月调度日（默认25日）发布月度调度报告。" />
    </Frame>
  );
}

function UnitCard(props: { u: ReportUnit; monthly: boolean }) {
  const { u } = props;
  return (
    <View className={`card bulletin-unit${u.reasons.length ? ' wb-lagging' : ''}`} data-unit={u.id}>
      <Text className="card-title">
        {u.reasons.length ? '⚠ ' : ''}
        {u.name}
      </Text>
      <Text className="card-line">
        办理中 {u.open}，逾期 {u.overdue}，3天内到期 {u.dueSoon}，积压 {u.stale}
      </Text>
      <Text className="card-line">
        本月：收集 {u.month.collected}，领办 {u.month.claimed}，落实 {u.month.fulfilled}，销号 {u.month.closed}
        {props.monthly && u.change ? `（较上月 ${signed(u.change.closed)}）` : ''}
      </Text>
      <Text className="card-line">
        今年：销号 {u.year.closed}，按期办结率 {pct(u.year.onTimeRate)}，年度实事 {u.quota.done}/{u.quota.target}
      </Text>
      {u.reasons.map((r) => (
        <Text key={r} className="card-line text-warn bulletin-reason">
          {r}
        </Text>
      ))}
    </View>
  );
}

function Detail(props: { id: string }) {
  const { data, error } = useCalled<Bulletin>('bulletins', { id: props.id });
  if (!data)
    return (
      <Frame className="bulletin">
        <Text className={error ? 'state-error' : 'muted'}>{error || '正在读取通报…'}</Text>
      </Frame>
    );
  const t = data.total;
  const monthly = data.kind === 'monthly';
  return (
    <Frame className="bulletin">
      <View className="card">
        <Text className="card-title bulletin-title">{data.title}</Text>
        <Text className="card-line muted">{chinaTime(data.at, 'fullWeek')} 发布，含下属全部组织</Text>
        <Text className="card-line">
          全部：办理中 {t.open}，逾期 {t.overdue}，积压 {t.stale}；本月销号 {t.month.closed}
          {monthly && t.change ? `（较上月 ${signed(t.change.closed)}）` : ''}，满意率 {pct(t.month.satisfactionRate)}
        </Text>
        <Text className="card-line">
          今年销号 {t.year.closed}，按期办结率 {pct(t.year.onTimeRate)}
        </Text>
      </View>
      <Text className="section-title">点名的滞后单位</Text>
      {data.named.length ? (
        data.named.map((n) => (
          <View key={n.id} className="card bulletin-named" data-unit={n.id}>
            <Text className="card-title">{n.name}</Text>
            {n.reasons.map((r) => (
              <Text key={r} className="card-line text-warn">
                {r}
              </Text>
            ))}
          </View>
        ))
      ) : (
        <Text className="muted">没有滞后单位。</Text>
      )}
      <Text className="section-title">各单位情况</Text>
      {data.units.map((u) => (
        <UnitCard key={u.id} u={u} monthly={monthly} />
      ))}
    </Frame>
  );
}

export default function BulletinsPage() {
  const id = useRouter().params.id;
  return id ? <Detail id={decodeURIComponent(id)} /> : <List />;
}

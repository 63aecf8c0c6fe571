import '../organiser.css';
import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { chinaDay, type FlowFigures, type StockFigures } from '@/core';
import { Chips } from '@/components/Chips';
import { Frame } from '@/components/Frame';
import { useCalled } from '@/components/useCalled';
import { useReshow } from '@/components/usePaged';
import { isLargeText } from '@/services/prefs';
import { askToNotify } from '@/services/subscribe';
import { TrendChart } from '../TrendChart';

interface Unit {
  id: string;
  name: string;
  level: string;
  stock: StockFigures;
  month: FlowFigures;
  year: FlowFigures;
  lagging: boolean;
  /** 年度实事: practical things closed this year against the unit's quota (src/core/quotas.ts). */
  quota?: { done: number; target: number; met: boolean };
}
export interface Workbench {
  org: { id: string; name: string; level: string; parentId: string | null };
  isOwn: boolean;
  periods: { day: string; month: string; year: string };
  today: FlowFigures;
  month: FlowFigures;
  year: FlowFigures;
  now: StockFigures;
  trend: Array<{ month: string; collected: number; closed: number }>;
  units: Unit[];
}

type Period = 'today' | 'month' | 'year';
const PERIODS: Array<{ value: Period; label: string }> = [
  { value: 'today', label: '今天' },
  { value: 'month', label: '本月' },
  { value: 'year', label: '今年' },
];
/** Flow counts and the ledger view each taps into (where those wishes stand now). */
const FLOWS: Array<{ key: keyof FlowFigures['counts']; label: string; list: string }> = [
  { key: 'collected', label: '收集', list: 'collected' },
  { key: 'registered', label: '登记', list: 'registered' },
  { key: 'published', label: '发布', list: 'published' },
  { key: 'claimed', label: '领办', list: 'claimed' },
  { key: 'fulfilled', label: '落实', list: 'fulfilled' },
  { key: 'closed', label: '销号', list: 'closed' },
  { key: 'rejected', label: '未受理', list: 'rejected' },
  { key: 'deferred', label: '暂缓', list: 'deferred' },
  { key: 'withdrawn', label: '撤回', list: 'withdrawn' },
];
const STAGE_LABEL: Record<string, string> = {
  register: '收集到登记',
  claim: '发布到领办',
  fulfil: '领办到落实',
  closeOut: '反馈到销号',
  total: '收集到销号',
};

const monthOf = (month: string) => `${Number(month.slice(5))}月`;
const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

/** 督办台: the organiser's home — figures of the subtree for today, this month and this year, deadline warnings,
 * stale queues, the last 12 months and the child units, lagging first. Every figure opens the list it counts. */
export default function WorkbenchPage() {
  const orgId = useRouter().params.orgId;
  const { data, error, load } = useCalled<Workbench>('workbench', orgId ? { orgId } : {});
  const [period, setPeriod] = useState<Period>('month');
  // Back from a list or a wish (the header's back arrow included): the figures are read again, never stale.
  useReshow(() => void load());

  const list = (status: string, unit?: string, within?: string) =>
    void Taro.navigateTo({
      url: `/organiser/queue/index?status=${status}&orgId=${unit ?? data?.org.id ?? ''}${within ? `&period=${within}` : ''}`,
    });
  const tile = (label: string, n: number, status: string, tone = '', within?: string) => (
    <View key={label} className={`wb-tile ${tone}`} onClick={() => list(status, undefined, within)}>
      <Text className="wb-num">{n}</Text>
      <Text className="wb-label">{label}</Text>
    </View>
  );

  if (!data)
    return (
      <Frame className="workbench" tab="workbench">
        {error ? (
          <View className="card">
            <Text className="state-error">{error}</Text>
            <Button className="btn btn-retry" onClick={() => void load()}>
              重新加载
            </Button>
          </View>
        ) : (
          <Text className="muted">正在读取督办数据…</Text>
        )}
      </Frame>
    );

  const f = data[period];
  const periodOf: Record<Period, string> = { today: data.periods.day, month: data.periods.month, year: data.periods.year };
  const now = data.now;
  const summary = data.trend.map((t) => `${monthOf(t.month)}收集 ${t.collected}、销号 ${t.closed}`).join('；');
  const large = isLargeText();
  return (
    <Frame className="workbench" tab="workbench">
      <View className="card">
        <Text className="card-title wb-org">{data.org.name}</Text>
        <Text className="card-line muted">{chinaDay(data.periods.day, 'fullWeek')}，含下属全部组织</Text>
        {process.env.TARO_ENV === 'weapp' ? (
          // WeChat asks only from a tap, at most three templates at once; each accepted one allows one message.
          <Button className="btn btn-quiet btn-subscribe" onClick={() => void askToNotify(['newWish', 'claimOverdue', 'unsatisfied'])}>
            接收督办提醒（新心愿、逾期、不满意）
          </Button>
        ) : null}
        {!data.isOwn && data.org.parentId ? (
          <Button className="btn btn-quiet btn-up" onClick={() => void Taro.navigateBack()}>
            返回上一级
          </Button>
        ) : null}
        <Button className="btn btn-quiet btn-bulletins" onClick={() => void Taro.navigateTo({ url: '/organiser/bulletins/index' })}>
          通报与月度调度
        </Button>
      </View>

      {/* 今日待办: what needs a hand now, each the count of the list it opens (orgWishes: a status or a stock view, read
          from the same stock figures), zero only when that list is empty. */}
      <Text className="section-title">今日待办</Text>
      <View className="wb-tiles wb-todo">
        {tile('待登记', now.byStatus.collected ?? 0, 'collected', now.byStatus.collected ? 'wb-yellow' : '')}
        {tile('待发布', now.byStatus.registered ?? 0, 'registered', now.byStatus.registered ? 'wb-yellow' : '')}
        {tile('待销号', now.byStatus.reviewed ?? 0, 'reviewed', now.byStatus.reviewed ? 'wb-yellow' : '')}
        {tile('延期申请', now.extensionsPending, 'extension', now.extensionsPending ? 'wb-yellow' : '')}
        {tile('待内容审核', now.held, 'held', now.held ? 'wb-yellow' : '')}
        {tile('已逾期', now.overdue, 'overdue', now.overdue ? 'wb-red' : '')}
      </View>

      <Text className="section-title">办理时限</Text>
      <View className="wb-tiles">
        {tile('已逾期', now.overdue, 'overdue', 'wb-red')}
        {tile('3天内到期', now.dueSoon, 'dueSoon', 'wb-yellow')}
        {tile('按期办理中', now.onTrack, 'onTrack', 'wb-green')}
        {tile('办理中（合计）', now.open, 'open')}
      </View>

      <Text className="section-title">待处理</Text>
      <View className="wb-tiles">
        {tile('待登记超过3天', now.staleCollected, 'staleCollected', now.staleCollected ? 'wb-red' : '')}
        {tile('待认领超过7天', now.stalePublished, 'stalePublished', now.stalePublished ? 'wb-red' : '')}
        {tile('延期申请', now.extensionsPending, 'extension', now.extensionsPending ? 'wb-yellow' : '')}
        {tile('待内容审核', now.held, 'held')}
      </View>

      <View className="status-tabs">
        <Chips options={PERIODS} value={period} onChange={setPeriod} />
      </View>
      {/* A flow tile opens the wishes that took that step in the chosen period (orgWishes `period`). */}
      <View className="wb-tiles">{FLOWS.map((x) => tile(x.label, f.counts[x.key], x.list, '', periodOf[period]))}</View>
      <View className="card wb-rates">
        <Text className="card-line">
          按期办结率：{pct(f.onTime.rate)}（{f.onTime.num}/{f.onTime.den}）
        </Text>
        <Text className="card-line">
          满意率：{pct(f.satisfaction.rate)}（满意 {f.satisfaction.satisfied}，基本满意 {f.satisfaction.basically}，不满意{' '}
          {f.satisfaction.unsatisfied}）
        </Text>
        <Text className="card-line muted">
          其中电话回访：{f.callback.den} 次，满意率 {pct(f.callback.rate)}
        </Text>
        {Object.entries(STAGE_LABEL).map(([k, label]) => (
          <Text key={k} className="card-line">
            {label}：{f.medianDays[k as keyof FlowFigures['medianDays']] ?? '—'} 天（中位数）
          </Text>
        ))}
        {Object.keys(f.byCategory).length ? (
          <Text className="card-line muted">
            分类：
            {Object.entries(f.byCategory)
              .map(([c, n]) => `${c} ${n}`)
              .join('，')}
          </Text>
        ) : null}
      </View>

      {data.units.length ? (
        <>
          <Text className="section-title">下级单位（滞后的排在前面）</Text>
          <View className="wb-table">
            <View className="wb-row wb-head">
              <Text className="wb-cell wb-name">单位</Text>
              <Text className="wb-cell">逾期</Text>
              <Text className="wb-cell">积压</Text>
              <Text className="wb-cell">办理中</Text>
              <Text className="wb-cell">今年销号</Text>
              <Text className="wb-cell">按期率</Text>
              <Text className="wb-cell">年度实事</Text>
            </View>
            {data.units.map((u) => (
              <View
                key={u.id}
                className={`wb-row wb-unit${u.lagging ? ' wb-lagging' : ''}`}
                onClick={() => void Taro.navigateTo({ url: `/organiser/workbench/index?orgId=${u.id}` })}
              >
                <Text className="wb-cell wb-name">
                  {u.lagging ? '⚠ ' : ''}
                  {u.name}
                </Text>
                <Text className="wb-cell">{u.stock.overdue}</Text>
                <Text className="wb-cell">{u.stock.staleCollected + u.stock.stalePublished}</Text>
                <Text className="wb-cell">{u.stock.open}</Text>
                <Text className="wb-cell">{u.year.counts.closed}</Text>
                <Text className="wb-cell">{pct(u.year.onTime.rate)}</Text>
                <Text className={`wb-cell wb-quota${u.quota && !u.quota.met ? ' wb-quota-gap' : ''}`}>
                  {u.quota ? `${u.quota.done}/${u.quota.target}` : '—'}
                </Text>
              </View>
            ))}
          </View>
        </>
      ) : null}

      <Text className="section-title">近12个月（收集 / 销号）</Text>
      <View className="wb-legend">
        <Text className="wb-key wb-key-in">收集</Text>
        <Text className="wb-key wb-key-out">销号</Text>
      </View>
      {/* Grouped bars drawn by F2 (src/organiser/TrendChart.tsx); the months under it are the taps and the text. */}
      <View className="wb-trend">
        <TrendChart trend={data.trend} large={large} label={`近12个月收集与销号柱状图：${summary}`} />
        <Text className="muted wb-months-hint">点月份看当月销号的心愿</Text>
        <View className="wb-months">
          {data.trend.map((t) => (
            <View
              key={t.month}
              className="wb-month-btn"
              aria-label={`${monthOf(t.month)}：收集 ${t.collected}，销号 ${t.closed}`}
              onClick={() => list('closed', undefined, t.month)}
            >
              <Text className="wb-month">{monthOf(t.month)}</Text>
              <Text className="wb-month-closed">销 {t.closed}</Text>
            </View>
          ))}
        </View>
      </View>
    </Frame>
  );
}

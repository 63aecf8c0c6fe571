import '../organiser.css';
import { useBusy } from '@/components/useBusy';
import { useMemo, useRef, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { PERIOD_STEPS, STATUS_LABEL, periodLabel, type PeriodStep, type Status, type StockView } from '@/core';
import { Chips } from '@/components/Chips';
import { Frame } from '@/components/Frame';
import { FormError, TextField } from '@/components/Field';
import { PagedListState } from '@/components/ListState';
import { WishCard } from '@/components/WishCard';
import { toastError, toastOk } from '@/components/format';
import { usePagedPage } from '@/components/usePaged';
import { call, messageOf, newRequestId } from '@/services/gateway';
import type { BatchPublish, WishView } from '@/services/api';
import type { OrgCounts } from '@/core';

type Tab = Status | StockView;

const TAB_LABEL: Partial<Record<Tab, string>> = {
  overdue: '已逾期',
  dueSoon: '3天内到期',
  extension: '延期申请',
  deferred: '待办档案',
  onTrack: '按期办理中',
  open: '办理中（合计）',
  staleCollected: '待登记超过3天',
  stalePublished: '待认领超过7天',
  held: '待内容审核',
};
/** The workbench's other stock tiles open these views (exactly the wishes the tile counts: src/core/stockLists.ts):
 * not chips of their own, but a heading saying what is listed and in which order, and the wider list one tap away. */
const TILE_VIEWS: Partial<Record<Tab, { what: string; wider: Tab }>> = {
  onTrack: { what: '承诺日期在3天以后的办理中心愿，承诺日期早的在前', wider: 'claimed' },
  open: { what: '办理中、待反馈、待销号的心愿，承诺日期早的在前', wider: 'claimed' },
  staleCollected: { what: '提交（或重新启用）超过3天还没有登记的心愿，等得最久的在前', wider: 'collected' },
  stalePublished: { what: '发布（或退回认领墙）超过7天还没有人认领的心愿，等得最久的在前', wider: 'published' },
  held: { what: '文字没有通过自动检查、要先审核才能登记的心愿，最早提交的在前', wider: 'collected' },
};
const ORDER: Tab[] = [
  'collected',
  'overdue',
  'dueSoon',
  'extension',
  'registered',
  'published',
  'claimed',
  'fulfilled',
  'reviewed',
  'deferred',
  'closed',
  'rejected',
  'withdrawn',
];
/** What a step is called in a period's heading: "2026年12月销号的心愿". */
const STEP_LABEL: Record<PeriodStep, string> = {
  collected: '收集',
  registered: '登记',
  published: '发布',
  claimed: '领办',
  fulfilled: '落实',
  closed: '销号',
  rejected: '未受理',
  deferred: '暂缓',
  withdrawn: '撤回',
};
const labelOf = (t: Tab) => TAB_LABEL[t] ?? STATUS_LABEL[t as Status];

const EMPTY: Partial<Record<Tab, string>> = {
  collected: '没有待登记的心愿。居民提交或您代录的心愿会出现在这里。',
  overdue: '没有逾期的心愿。',
  dueSoon: '没有3天内到期的心愿。',
  extension: '没有待答复的延期申请。',
  deferred: '待办档案是空的。暂缓办理的心愿会放在这里，到复核日期再看。',
  onTrack: '没有按期办理中的心愿。',
  open: '没有办理中的心愿。',
  staleCollected: '没有待登记超过3天的心愿。',
  stalePublished: '没有待认领超过7天的心愿。',
  held: '没有待内容审核的心愿。',
};

/** The organiser's ledger: the organisation's wishes by status (overdue most overdue first), batch publish; and the
 * list behind each workbench tile (a stock view or a step in a period), titled with what it lists. */
export default function Queue() {
  // The workbench opens a view directly (status), for one unit of the subtree (orgId).
  const route = useRouter().params;
  const [tab, setTab] = useState<Tab>(
    ORDER.includes(route.status as Tab) || TILE_VIEWS[route.status as Tab] ? (route.status as Tab) : 'collected',
  );
  const tileView = TILE_VIEWS[tab];
  const orgId = route.orgId || undefined;
  // A workbench flow tile (本月销号 …) opens the wishes that took that step in its period; any chip leaves it.
  const [period, setPeriod] = useState(route.period && PERIOD_STEPS.includes(route.status as PeriodStep) ? route.period : undefined);
  // The first page also brings each view's count (one aggregate on the server), shown on the chips.
  const params = useMemo(
    () => ({ status: tab, limit: 20, counts: true, ...(orgId ? { orgId } : {}), ...(period ? { period } : {}) }),
    [tab, orgId, period],
  );
  const list = usePagedPage<WishView>('orgWishes', params, { reshow: true });
  const counts = list.extra.counts as OrgCounts | undefined;
  const tabs = ORDER.map((value) => ({ value, label: counts ? `${labelOf(value)} ${counts[value]}` : labelOf(value) }));
  const [selected, setSelected] = useState<string[]>([]);
  const { busy, start, done } = useBusy();
  const [error, setError] = useState('');
  const [result, setResult] = useState('');
  const requestId = useRef(newRequestId());
  const [wishNo, setWishNo] = useState('');

  /** 按心愿编号查找: the number off a card, a ledger row or a phone call opens its wish. */
  async function findByNo() {
    setError('');
    try {
      const r = await call<{ items: WishView[] }>('orgWishes', { wishNo: wishNo.trim() });
      if (r.items[0]) open(r.items[0]._id);
      else setError(`没有找到心愿编号 ${wishNo.trim()}，请核对`);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  // What the core offers (availableActions): individual wishes, not held by the content check.
  const publishable = tab === 'registered' ? list.items.filter((w) => w.actions.includes('publish')) : [];
  const open = (id: string) => void Taro.navigateTo({ url: `/organiser/wish/index?id=${id}` });
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id].slice(0, 20)));

  async function publishSelected() {
    if (!selected.length) {
      setError('请先选择要发布的心愿');
      return;
    }
    if (!start()) return;
    setError('');
    setResult('');
    try {
      const r = await call<BatchPublish>('publish', { wishIds: selected, requestId: requestId.current });
      requestId.current = newRequestId();
      const failed = r.failed.map((f) => {
        const title = list.items.find((w) => w._id === f.wishId)?.title ?? f.wishId;
        return `“${title}”：${f.message}`;
      });
      setResult(`已发布 ${r.published.length} 个心愿${failed.length ? `；${failed.length} 个没有发布：${failed.join('；')}` : ''}`);
      toastOk(`已发布 ${r.published.length} 个`);
      setSelected([]);
      void list.reload();
    } catch (e) {
      setError(messageOf(e));
      toastError(e); // the function's own Chinese message, also where the form is scrolled away
    } finally {
      done();
    }
  }

  return (
    <Frame className="queue" tab="queue">
      <View className="btn-row trust-links">
        <Button className="btn btn-quiet btn-members" onClick={() => void Taro.navigateTo({ url: '/organiser/members/index' })}>
          党员管理
        </Button>
        <Button className="btn btn-quiet btn-moderation" onClick={() => void Taro.navigateTo({ url: '/organiser/moderation/index' })}>
          内容审核
        </Button>
        <Button className="btn btn-quiet btn-audit" onClick={() => void Taro.navigateTo({ url: '/organiser/audit/index' })}>
          操作日志
        </Button>
        <Button className="btn btn-quiet btn-ledgers" onClick={() => void Taro.navigateTo({ url: '/organiser/ledgers/index' })}>
          台账导出与导入
        </Button>
        <Button className="btn btn-quiet btn-cards" onClick={() => void Taro.navigateTo({ url: '/organiser/cards/index' })}>
          印制心愿卡
        </Button>
      </View>
      <View className="card find-by-no">
        <TextField label="按心愿编号查找" name="find-wish-no" value={wishNo} onChange={setWishNo} placeholder="XXXX-XXXX" maxlength={12} />
        <Button className="btn btn-quiet btn-find-wish-no" onClick={() => void findByNo()}>
          查找
        </Button>
      </View>
      <View className="status-tabs">
        <Chips
          options={tabs}
          value={tab}
          onChange={(t) => {
            setTab(t);
            setPeriod(undefined);
            setSelected([]);
            setResult('');
            setError('');
          }}
        />
      </View>
      {period ? (
        <View className="card period-note">
          <Text className="card-line period-title">
            {periodLabel(period)}
            {STEP_LABEL[tab as PeriodStep]}的心愿{list.loaded && !list.cursor ? `，共 ${list.items.length} 个` : ''}
          </Text>
          <Button className="btn btn-quiet btn-all-periods" onClick={() => setPeriod(undefined)}>
            查看全部{labelOf(tab)}
          </Button>
        </View>
      ) : null}
      {tileView ? (
        <View className="card view-note">
          <Text className="card-line view-title">
            {labelOf(tab)}的心愿
            {counts ? `，共 ${counts[tab]} 个` : list.loaded && !list.cursor ? `，共 ${list.items.length} 个` : ''}
          </Text>
          <Text className="card-line muted">{tileView.what}</Text>
          <View className="btn-row">
            {tab === 'held' ? (
              <Button
                className="btn btn-quiet btn-moderation-go"
                onClick={() => void Taro.navigateTo({ url: '/organiser/moderation/index' })}
              >
                去审核
              </Button>
            ) : null}
            <Button className="btn btn-quiet btn-wider" onClick={() => setTab(tileView.wider)}>
              查看全部{labelOf(tileView.wider)}
            </Button>
          </View>
        </View>
      ) : null}
      {tab === 'collected' && counts?.held ? (
        <View className="card held-note" onClick={() => void Taro.navigateTo({ url: '/organiser/moderation/index' })}>
          <Text className="card-line">
            其中 {counts.held} 个心愿的文字没有通过自动检查，标着“待内容审核”，要先审核才能登记。点这里去审核 ›
          </Text>
        </View>
      ) : null}
      {publishable.length ? (
        <View className="card batch-bar">
          <Text className="card-line">可直接发布到认领墙的心愿：勾选后一次发布（最多 20 个）</Text>
          <View className="btn-row">
            <Button
              className="btn btn-quiet btn-select-all"
              onClick={() => setSelected(selected.length === publishable.length ? [] : publishable.map((w) => w._id).slice(0, 20))}
            >
              {selected.length === publishable.length ? '全不选' : '全选'}
            </Button>
            <Button className="btn btn-primary btn-batch-publish" disabled={busy} onClick={() => void publishSelected()}>
              {busy ? '正在发布…' : `批量发布（${selected.length}）`}
            </Button>
          </View>
        </View>
      ) : null}
      <FormError message={error} />
      {result ? <Text className="card-line batch-result">{result}</Text> : null}
      <View className="queue-list">
        {list.items.map((w) => (
          <WishCard
            key={w._id}
            wish={w}
            showPromise
            onOpen={open}
            selected={selected.includes(w._id)}
            onSelect={tab === 'registered' && w.actions.includes('publish') ? toggle : undefined}
          />
        ))}
      </View>
      <PagedListState
        list={list}
        emptyText={EMPTY[tab] ?? `没有“${labelOf(tab)}”的心愿。`}
        emptyAction={
          tab === 'collected'
            ? { label: '代居民录入心愿', className: 'btn-post', onClick: () => void Taro.navigateTo({ url: '/pages/post/index' }) }
            : undefined
        }
      />
    </Frame>
  );
}

import { useState } from 'react';
import { Button, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { STATUSES, STATUS_LABEL, type Status } from '@/core';
import { Chips } from '@/components/Chips';
import { ListState } from '@/components/ListState';
import { WishCard } from '@/components/WishCard';
import { usePaged, useReshow } from '@/components/usePaged';
import type { WishView } from '@/services/api';

const TABS = STATUSES.map((value) => ({ value, label: STATUS_LABEL[value] }));

/** The organiser's ledger: every wish of the organisation, filtered by status (default 待登记). */
export default function Queue() {
  const [status, setStatus] = useState<Status>('collected');
  const list = usePaged<WishView>('orgWishes', { status });
  useReshow(() => void list.reload());
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());
  return (
    <View className="page queue">
      <View className="status-tabs">
        <Chips options={TABS} value={status} onChange={setStatus} />
      </View>
      <View className="queue-list">
        {list.items.map((w) => (
          <WishCard key={w._id} wish={w} showPromise onOpen={(id) => void Taro.navigateTo({ url: `/pages/wish/index?id=${id}` })} />
        ))}
      </View>
      <ListState
        loading={list.loading}
        error={list.error}
        empty={list.loaded && list.items.length === 0}
        emptyText={`没有“${STATUS_LABEL[status]}”的心愿。`}
        onRetry={() => void list.reload()}
      />
      {list.cursor ? (
        <Button className="btn btn-quiet btn-more" onClick={() => void list.more()}>
          {list.loadingMore ? '正在加载…' : '加载更多'}
        </Button>
      ) : null}
    </View>
  );
}

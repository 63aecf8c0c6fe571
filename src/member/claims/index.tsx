import '../member.css';
import { useMemo, useState } from 'react';
import { Button, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Chips } from '@/components/Chips';
import { Frame } from '@/components/Frame';
import { PagedListState } from '@/components/ListState';
import { WishCard } from '@/components/WishCard';
import { usePagedPage } from '@/components/usePaged';
import type { WishView } from '@/services/api';

type View_ = 'open' | 'done';
const VIEWS = [
  { value: 'open' as const, label: '正在办' },
  { value: 'done' as const, label: '办完的（历史）' },
];
const EMPTY: Record<View_, string> = {
  open: '您手上没有正在办的心愿。到认领墙看看谁需要帮助，认领一个吧。',
  done: '还没有办完的心愿。心愿办好、居民评价或社区销号后，会留在这里，随时可以再打开看看。',
};

/** My claims: in hand (countdown 还剩 3 天 / 已逾期 2 天, pending extension) and the history of what I have done. */
export default function Claims() {
  const [view, setView] = useState<View_>('open');
  const params = useMemo(() => ({ scope: 'claimed', view, limit: 20 }), [view]);
  const list = usePagedPage<WishView>('myWishes', params, { reshow: true });
  return (
    <Frame className="claims" tab="claims">
      <View className="claim-views">
        <Chips options={VIEWS} value={view} onChange={setView} />
      </View>
      <Button className="btn btn-quiet btn-my-year" onClick={() => void Taro.navigateTo({ url: '/member/year/index' })}>
        我的一年
      </Button>
      {list.items.map((w) => (
        <WishCard
          key={w._id}
          wish={w}
          showPromise={view === 'open'}
          onOpen={(id) => void Taro.navigateTo({ url: `/pages/wish/index?id=${id}` })}
        />
      ))}
      <PagedListState
        list={list}
        emptyText={EMPTY[view]}
        emptyAction={
          view === 'open'
            ? { label: '去认领墙', className: 'btn-board', onClick: () => void Taro.redirectTo({ url: '/member/board/index' }) }
            : undefined
        }
        endText={view === 'done' ? { text: '以上是您办过的全部心愿', className: 'end-history' } : undefined}
      />
    </Frame>
  );
}

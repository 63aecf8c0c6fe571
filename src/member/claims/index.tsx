import { Button } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { ListState } from '@/components/ListState';
import { WishCard } from '@/components/WishCard';
import { usePaged, useReshow } from '@/components/usePaged';
import type { WishView } from '@/services/api';

const CLAIMED = { scope: 'claimed', limit: 20 };

/** My claims: each with its deadline countdown (还剩 3 天 / 已逾期 2 天) and pending extension. */
export default function Claims() {
  const list = usePaged<WishView>('myWishes', CLAIMED);
  useReshow(() => void list.reload());
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());
  return (
    <Frame className="claims" tab="claims">
      {list.items.map((w) => (
        <WishCard key={w._id} wish={w} showPromise onOpen={(id) => void Taro.navigateTo({ url: `/pages/wish/index?id=${id}` })} />
      ))}
      <ListState
        loading={list.loading}
        error={list.error}
        empty={list.loaded && list.items.length === 0}
        emptyText="您还没有认领心愿。到认领墙看看谁需要帮助,认领一个吧。"
        emptyAction={{ label: '去认领墙', className: 'btn-board', onClick: () => void Taro.redirectTo({ url: '/member/board/index' }) }}
        onRetry={() => void list.reload()}
      />
      {list.cursor ? (
        <Button className="btn btn-quiet btn-more" onClick={() => void list.more()}>
          {list.loadingMore ? '正在加载…' : '加载更多'}
        </Button>
      ) : null}
    </Frame>
  );
}

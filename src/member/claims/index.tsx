import { Button, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { ListState } from '@/components/ListState';
import { WishCard } from '@/components/WishCard';
import { usePaged, useReshow } from '@/components/usePaged';
import type { WishView } from '@/services/api';

export default function Claims() {
  const list = usePaged<WishView>('myWishes', { scope: 'claimed' });
  useReshow(() => void list.reload());
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());
  return (
    <View className="page claims">
      {list.items.map((w) => (
        <WishCard key={w._id} wish={w} showPromise onOpen={(id) => void Taro.navigateTo({ url: `/pages/wish/index?id=${id}` })} />
      ))}
      <ListState
        loading={list.loading}
        error={list.error}
        empty={list.loaded && list.items.length === 0}
        emptyText="您还没有认领心愿。到认领墙看看谁需要帮助,认领一个吧。"
        emptyAction={{ label: '去认领墙', className: 'btn-board', onClick: () => void Taro.navigateTo({ url: '/member/board/index' }) }}
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

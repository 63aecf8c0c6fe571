import { Button } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { ListState } from '@/components/ListState';
import { WishCard } from '@/components/WishCard';
import { usePaged, useReshow } from '@/components/usePaged';
import type { WishView } from '@/services/api';

const POSTED = { scope: 'posted', limit: 20 };

export default function Mine() {
  const list = usePaged<WishView>('myWishes', POSTED);
  useReshow(() => void list.reload());
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());
  return (
    <Frame className="mine" tab="mine">
      {list.items.map((w) => (
        <WishCard key={w._id} wish={w} onOpen={(id) => void Taro.navigateTo({ url: `/pages/wish/index?id=${id}` })} />
      ))}
      <ListState
        loading={list.loading}
        error={list.error}
        empty={list.loaded && list.items.length === 0}
        emptyText="您还没有许过心愿。有什么需要帮忙的,点下面的按钮写下来。"
        emptyAction={{ label: '我要许愿', className: 'btn-post', onClick: () => void Taro.navigateTo({ url: '/pages/post/index' }) }}
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

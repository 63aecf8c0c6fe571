import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { PagedListState } from '@/components/ListState';
import { WishCard } from '@/components/WishCard';
import { usePagedPage } from '@/components/usePaged';
import { loadMe } from '@/services/session';
import type { Me, WishView } from '@/services/api';

const POSTED = { scope: 'posted', limit: 20 };

export default function Mine() {
  const list = usePagedPage<WishView>('myWishes', POSTED, { reshow: true });
  const [me, setMe] = useState<Me | null>(null);
  useDidShow(() => void loadMe().then(setMe, () => undefined));
  const go = (url: string) => void Taro.navigateTo({ url });
  return (
    <Frame className="mine" tab="mine">
      {/* 加入支部 and 我的数据 are pages of the `account` subpackage. */}
      <View className="btn-row mine-links">
        {me?.role === 'resident' ? (
          <Button className="btn btn-quiet btn-join-open" onClick={() => go('/account/join/index')}>
            {me.pending ? '党员申请：待确认' : '我是党员，加入支部'}
          </Button>
        ) : null}
        <Button className="btn btn-quiet btn-my-data" onClick={() => go('/account/data/index')}>
          我的数据
        </Button>
      </View>
      {me?.pending ? <Text className="muted pending-note">您的党员申请正在等待支部确认。</Text> : null}
      {list.items.map((w) => (
        <WishCard key={w._id} wish={w} onOpen={(id) => void Taro.navigateTo({ url: `/pages/wish/index?id=${id}` })} />
      ))}
      <PagedListState
        list={list}
        emptyText="您还没有许过心愿。有什么需要帮忙的，点下面的按钮写下来。"
        emptyAction={{ label: '我要许愿', className: 'btn-post', onClick: () => void Taro.navigateTo({ url: '/pages/post/index' }) }}
      />
    </Frame>
  );
}

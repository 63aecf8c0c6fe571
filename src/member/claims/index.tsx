import Taro from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { PagedListState } from '@/components/ListState';
import { WishCard } from '@/components/WishCard';
import { usePagedPage } from '@/components/usePaged';
import type { WishView } from '@/services/api';

const CLAIMED = { scope: 'claimed', limit: 20 };

/** My claims: each with its deadline countdown (还剩 3 天 / 已逾期 2 天) and pending extension. */
export default function Claims() {
  const list = usePagedPage<WishView>('myWishes', CLAIMED, { reshow: true });
  return (
    <Frame className="claims" tab="claims">
      {list.items.map((w) => (
        <WishCard key={w._id} wish={w} showPromise onOpen={(id) => void Taro.navigateTo({ url: `/pages/wish/index?id=${id}` })} />
      ))}
      <PagedListState
        list={list}
        emptyText="您还没有认领心愿。到认领墙看看谁需要帮助，认领一个吧。"
        emptyAction={{ label: '去认领墙', className: 'btn-board', onClick: () => void Taro.redirectTo({ url: '/member/board/index' }) }}
      />
    </Frame>
  );
}

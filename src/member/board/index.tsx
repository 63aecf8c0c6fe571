import { Button, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { ListState } from '@/components/ListState';
import { formatTime } from '@/components/format';
import { usePaged, useReshow } from '@/components/usePaged';
import type { BoardItem } from '@/services/api';

/** The claim board: published wishes of my organisation, public fields only. */
export default function Board() {
  const list = usePaged<BoardItem>('board', {});
  useReshow(() => void list.reload());
  usePullDownRefresh(() => void list.reload().finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => void list.more());
  return (
    <View className="page board">
      {list.items.map((w) => (
        <View
          key={w._id}
          className="card board-card"
          data-id={w._id}
          onClick={() => void Taro.navigateTo({ url: `/pages/wish/index?id=${w._id}` })}
        >
          <Text className="card-title">{w.title}</Text>
          <View className="card-line">
            {w.category ? <Text className="badge">{w.category}</Text> : null}
            <Text className="muted">发布于 {formatTime(w.publishedAt ?? w.createdAt)}</Text>
          </View>
          <Text className="card-line">{w.summary}</Text>
        </View>
      ))}
      <ListState
        loading={list.loading}
        error={list.error}
        empty={list.loaded && list.items.length === 0}
        emptyText="认领墙上暂时没有待认领的心愿。社区发布新心愿后会出现在这里,下拉可以刷新。"
        onRetry={() => void list.reload()}
      />
      {list.cursor ? (
        <Button className="btn btn-quiet btn-more" disabled={list.loadingMore} onClick={() => void list.more()}>
          {list.loadingMore ? '正在加载…' : '加载更多'}
        </Button>
      ) : list.loaded && list.items.length > 0 ? (
        <Text className="state muted board-end">没有更多了</Text>
      ) : null}
    </View>
  );
}

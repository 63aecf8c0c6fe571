import { Text, View } from '@tarojs/components';
import { STATUS_LABEL, chinaDate, type WishView } from '@/core';
import { formatDay, formatTime } from './format';

/** One wish in a list: title, status, the latest timeline note. Tapping opens the wish page. */
export function WishCard(props: { wish: WishView; onOpen: (id: string) => void; showPromise?: boolean; now?: Date }) {
  const w = props.wish;
  const latest = w.timeline[w.timeline.length - 1];
  const promised = w.claim?.promisedBy ?? '';
  const late = props.showPromise && promised !== '' && w.status === 'claimed' && promised < chinaDate(props.now ?? new Date());
  return (
    <View className="card wish-card" data-id={w._id} onClick={() => props.onOpen(w._id)}>
      <Text className="card-title">{w.title}</Text>
      <View className="card-line">
        <Text className="badge wish-card-status">{STATUS_LABEL[w.status]}</Text>
        {late ? <Text className="badge badge-late">已逾期</Text> : null}
        {w.category ? <Text className="muted">{w.category}</Text> : null}
      </View>
      {props.showPromise && promised ? <Text className="card-line promise-date">承诺 {formatDay(promised)} 前完成</Text> : null}
      {latest ? (
        <Text className="card-line muted">
          {formatTime(latest.at)} {latest.note}
        </Text>
      ) : null}
    </View>
  );
}

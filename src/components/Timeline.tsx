import { Text, View } from '@tarojs/components';
import { ACTION_LABEL, ROLE_LABEL, type WishView } from '@/core';
import { formatTime } from './format';

/** Every step of the wish, newest first, like tracking a parcel. */
export function Timeline(props: { entries: WishView['timeline'] }) {
  const list = [...props.entries].reverse();
  return (
    <View className="timeline">
      {list.map((e, i) => (
        <View key={`${e.at}-${i}`} className={`timeline-entry${i === 0 ? ' timeline-latest' : ''}`}>
          <View className="timeline-dot" />
          <Text className="timeline-action">
            {ACTION_LABEL[e.action]}
            {e.callback ? '(回访)' : ''}
          </Text>
          {e.note ? <Text className="timeline-note">{e.note}</Text> : null}
          <Text className="timeline-meta">
            {ROLE_LABEL[e.actorRole]} · {formatTime(e.at)}
          </Text>
        </View>
      ))}
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import { ACTION_LABEL, ROLE_LABEL, type WishView } from '@/core';
import { formatWhen, plainNote } from './format';
import { Photos } from './Photos';

const ACTION_EXTRA: Record<string, string> = {
  extend: '申请延期',
  answerExtension: '答复延期',
  progress: '进展',
  reassign: '改派',
  reopen: '重新办理',
};

const WHO: Record<string, string> = { resident: '居民', member: '党员', organiser: '社区', system: '系统' };

/** Every step of the wish, newest first, like tracking a parcel: what happened, who did it, when. */
export function Timeline(props: { entries: WishView['timeline'] }) {
  const list = [...props.entries].reverse();
  return (
    <View className="timeline">
      {list.map((e, i) => (
        <View key={`${e.at}-${i}`} className={`timeline-entry${i === 0 ? ' timeline-latest' : ''}`} data-action={e.action}>
          <View className="timeline-dot" />
          <Text className="timeline-action">
            {(ACTION_LABEL as Record<string, string>)[e.action] ?? ACTION_EXTRA[e.action] ?? e.action}
            {e.callback ? '（回访）' : ''}
          </Text>
          {e.note ? <Text className="timeline-note">{plainNote(e.note)}</Text> : null}
          {(e as { photos?: string[] }).photos?.length ? (
            <Photos ids={(e as { photos: string[] }).photos} className="timeline-photos" />
          ) : null}
          <Text className="timeline-meta">
            {(ROLE_LABEL as Record<string, string>)[e.actorRole] ?? WHO[e.actorRole] ?? ''} · {formatWhen(e.at)}
          </Text>
        </View>
      ))}
    </View>
  );
}

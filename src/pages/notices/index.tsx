import { useEffect, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Frame } from '@/components/Frame';
import { PagedListState } from '@/components/ListState';
import { wishUrl } from '@/components/WishDetail';
import { loadMe } from '@/services/session';
import { formatWhen, plainNote, toastError } from '@/components/format';
import { usePagedPage } from '@/components/usePaged';
import { call } from '@/services/gateway';
import type { Notice } from '@/services/api';

const PARAMS = { limit: 20 };

/** The caller's notices (function `notifications`): unread first in bold; opening one marks it read. */
/** Each role hears about different things: the empty page says which. */
const EMPTY_BY_ROLE: Record<string, string> = {
  resident: '还没有消息。心愿有进展时（被认领、办好了、需要您评价），会在这里告诉您。',
  member: '还没有消息。认领的心愿快到承诺日期、延期有了答复、居民不满意需要重办时，会在这里提醒。',
  organiser: '还没有消息。有心愿办好待回访、有延期申请待审批时，会在这里提醒。',
};

export default function Notices() {
  const list = usePagedPage<Notice>('notifications', PARAMS, { reshow: true });
  const [read, setRead] = useState<string[]>([]);
  const [role, setRole] = useState('');
  useEffect(() => {
    loadMe().then(
      (m) => setRole(m.role),
      () => undefined,
    );
  }, []);
  // A folded notice stands for several unread ones (`ids`): marking it read marks them all.
  const idsOf = (n: Notice) => n.ids ?? [n._id];
  const unread = list.items.filter((n) => !n.read && !read.includes(n._id)).flatMap(idsOf);

  async function markRead(ids: string[]) {
    if (!ids.length) return;
    try {
      await call('markRead', { ids });
      setRead((r) => [...r, ...ids]);
    } catch (e) {
      toastError(e);
    }
  }

  return (
    <Frame className="notices" tab="notices">
      {unread.length ? (
        <Button className="btn btn-quiet btn-read-all" onClick={() => void markRead(unread)}>
          全部标为已读（{unread.length}）
        </Button>
      ) : null}
      {list.items.map((n) => {
        const isUnread = unread.includes(n._id);
        return (
          <View
            key={n._id}
            className={`card notice${isUnread ? ' notice-unread' : ''}${n.done ? ' notice-done' : ''}`}
            data-id={n._id}
            data-kind={n.kind}
            onClick={() => {
              if (isUnread) void markRead(idsOf(n));
              if (n.wishId) void Taro.navigateTo({ url: wishUrl(n.wishId, role) });
              else if (n.link) void Taro.navigateTo({ url: n.link });
            }}
          >
            <View className="card-line">
              {isUnread ? <Text className="badge badge-unread">未读</Text> : null}
              {n.done ? <Text className="badge badge-done">已处理</Text> : null}
              <Text className="card-title notice-title">{n.title}</Text>
              {n.count && n.count > 1 ? <Text className="badge notice-count">共{n.count}条</Text> : null}
            </View>
            {/* Done: the action it asked for is not offered again, only why it is done. */}
            {n.done ? (
              <Text className="card-line muted notice-done-reason">{n.doneReason ?? '已处理'}，不用再处理了</Text>
            ) : (
              <Text className="card-line notice-body">{plainNote(n.body)}</Text>
            )}
            <Text className="card-line muted">{formatWhen(n.at)}</Text>
          </View>
        );
      })}
      <PagedListState list={list} emptyText={EMPTY_BY_ROLE[role] ?? EMPTY_BY_ROLE.resident!} />
    </Frame>
  );
}

/**
 * The bottom tab bar of each role (Taro's global tabBar is the same for everyone, so each role's main
 * pages render this instead). The 消息 tab shows how many notices are unread.
 */
import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { call } from '@/services/gateway';
import type { Me, Notice, Page } from '@/services/api';

export type TabKey = 'home' | 'post' | 'mine' | 'board' | 'claims' | 'workbench' | 'queue' | 'notices';

interface Tab {
  key: TabKey;
  label: string;
  url: string;
}

const HOME: Tab = { key: 'home', label: '首页', url: '/pages/index/index' };
const NOTICES: Tab = { key: 'notices', label: '消息', url: '/pages/notices/index' };

export const TABS: Record<Me['role'], Tab[]> = {
  resident: [
    HOME,
    { key: 'post', label: '许愿', url: '/pages/post/index' },
    { key: 'mine', label: '我的心愿', url: '/pages/mine/index' },
    NOTICES,
  ],
  member: [
    HOME,
    { key: 'board', label: '认领墙', url: '/member/board/index' },
    { key: 'claims', label: '我的认领', url: '/member/claims/index' },
    NOTICES,
  ],
  organiser: [
    HOME,
    { key: 'workbench', label: '督办台', url: '/organiser/workbench/index' },
    { key: 'queue', label: '台账', url: '/organiser/queue/index' },
    { key: 'post', label: '代录', url: '/pages/post/index' },
    NOTICES,
  ],
};

export function RoleTabBar(props: { role: Me['role']; current: TabKey }) {
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    let live = true;
    Promise.resolve()
      .then(() => call<Page<Notice>>('notifications', { limit: 20 }))
      .then(
        (p) => live && setUnread((p?.items ?? []).filter((n) => !n.read).length),
        () => undefined, // no badge when the outbox cannot be read
      );
    return () => {
      live = false;
    };
  }, []);
  return (
    <View className={`tabbar tabbar-${props.role}`}>
      {TABS[props.role].map((t) => (
        <View
          key={t.key}
          className={`tabbar-item tab-${t.key}${t.key === props.current ? ' tabbar-on' : ''}`}
          data-tab={t.key}
          onClick={() => {
            if (t.key !== props.current) void Taro.redirectTo({ url: t.url });
          }}
        >
          <Text className="tabbar-label">{t.label}</Text>
          {t.key === 'notices' && unread > 0 ? <Text className="tabbar-badge">{unread > 19 ? '20+' : unread}</Text> : null}
        </View>
      ))}
    </View>
  );
}

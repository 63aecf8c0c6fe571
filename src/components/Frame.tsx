/**
 * Every page's outer frame: the large-text class (from storage, re-read when the page is shown again)
 * and, on a role's main pages, that role's bottom tab bar.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { isLargeText } from '@/services/prefs';
import { loadMe } from '@/services/session';
import type { Me } from '@/services/api';
import { RoleTabBar, type TabKey } from './RoleTabBar';

export function Frame(props: { className: string; tab?: TabKey; children: ReactNode; large?: boolean }) {
  const [large, setLarge] = useState(isLargeText());
  const [role, setRole] = useState<Me['role'] | null>(null);
  useDidShow(() => setLarge(isLargeText()));
  useEffect(() => {
    if (!props.tab) return;
    let live = true;
    loadMe().then(
      (m) => live && setRole(m.role),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [props.tab]);
  const on = props.large ?? large;
  return (
    <View className={`page ${props.className}${on ? ' large-text' : ''}${props.tab ? ' with-tabbar' : ''}`}>
      {props.children}
      {props.tab && role ? <RoleTabBar role={role} current={props.tab} /> : null}
    </View>
  );
}

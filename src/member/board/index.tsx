import '../member.css';
import { useEffect, useMemo, useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { DEFAULT_CATEGORIES } from '@/core';
import { Chips } from '@/components/Chips';
import { Frame } from '@/components/Frame';
import { PagedListState } from '@/components/ListState';
import { formatTime } from '@/components/format';
import { usePagedPage } from '@/components/usePaged';
import { loadMe } from '@/services/session';
import type { BoardCard, Me } from '@/services/api';

const ALL = 'all';

/** The claim board: published wishes, urgent first then newest, public fields only; 20 a page by cursor. */
export default function Board() {
  const [me, setMe] = useState<Me | null>(null);
  const [category, setCategory] = useState(ALL);
  const [orgId, setOrgId] = useState(ALL);
  const params = useMemo(
    () => ({ limit: 20, ...(category !== ALL ? { category } : {}), ...(orgId !== ALL ? { orgId } : {}) }),
    [category, orgId],
  );
  const list = usePagedPage<BoardCard>('board', params, { reshow: true });
  const [seenOrgs, setSeenOrgs] = useState<Record<string, string>>({});
  useEffect(() => {
    loadMe().then(setMe, () => undefined);
  }, []);
  useEffect(() => {
    const add: Record<string, string> = {};
    for (const w of list.items) if (w.orgId && w.orgName && !seenOrgs[w.orgId]) add[w.orgId] = w.orgName;
    if (Object.keys(add).length) setSeenOrgs((s) => ({ ...s, ...add }));
  }, [list.items, seenOrgs]);

  const categories = [
    { value: ALL, label: '全部分类' },
    ...(me?.categories?.length ? me.categories : DEFAULT_CATEGORIES).map((c) => ({ value: c, label: c })),
  ];
  const communities = me?.communities?.length
    ? me.communities.map((c) => ({ value: c.orgId, label: c.orgName }))
    : Object.entries(seenOrgs).map(([value, label]) => ({ value, label }));
  const filtered = category !== ALL || orgId !== ALL;

  return (
    <Frame className="board" tab="board">
      <View className="filters">
        <Chips options={categories} value={category} onChange={setCategory} className="category-filter" />
        {communities.length > 1 || orgId !== ALL ? (
          <Chips options={[{ value: ALL, label: '全部社区' }, ...communities]} value={orgId} onChange={setOrgId} className="org-filter" />
        ) : null}
      </View>
      {list.items.map((w) => (
        <View
          key={w._id}
          className={`card board-card${w.urgent ? ' board-urgent' : ''}`}
          data-id={w._id}
          onClick={() => void Taro.navigateTo({ url: `/pages/wish/index?id=${w._id}` })}
        >
          {/* The public title an organiser confirmed (or the neutral one): the server never sends the resident's own. */}
          <Text className="card-title">{w.title}</Text>
          <View className="card-line">
            {w.urgent ? <Text className="badge badge-urgent">紧急</Text> : null}
            {w.category ? <Text className="badge">{w.category}</Text> : null}
            {w.orgName ? <Text className="muted">{w.orgName}</Text> : null}
          </View>
          {w.name ? <Text className="card-line muted board-name">求助人：{w.name}</Text> : null}
          <Text className="card-line">{w.summary}</Text>
          <Text className="card-line muted">发布于 {formatTime(w.publishedAt ?? w.createdAt)}</Text>
        </View>
      ))}
      <PagedListState
        list={list}
        emptyText={
          filtered
            ? '这个分类下暂时没有待认领的心愿。点“全部分类”看看别的。'
            : '认领墙上暂时没有待认领的心愿。社区发布新心愿后会出现在这里，往下拉可以刷新。'
        }
        emptyAction={
          filtered
            ? {
                label: '看全部心愿',
                className: 'btn-clear-filter',
                onClick: () => {
                  setCategory(ALL);
                  setOrgId(ALL);
                },
              }
            : { label: '看看我的认领', className: 'btn-claims', onClick: () => void Taro.redirectTo({ url: '/member/claims/index' }) }
        }
        endText={{ text: '没有更多了', className: 'board-end' }}
      />
    </Frame>
  );
}

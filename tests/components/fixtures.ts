import type { WishView } from '@/core';

export function wishView(over: Partial<WishView> = {}): WishView {
  return {
    _id: 'w1',
    version: 3,
    status: 'published',
    orgId: 'org-1',
    title: '想请人陪我聊聊天',
    summary: '希望每周有人来坐坐',
    category: '精神慰藉',
    track: 'individual',
    channel: 'app',
    reason: null,
    reviewOn: null,
    createdAt: '2025-11-23T06:05:00.000Z',
    updatedAt: '2025-11-23T06:05:00.000Z',
    publishedAt: '2025-11-23T07:00:00.000Z',
    closedAt: null,
    claim: null,
    feedback: null,
    timeline: [
      { status: 'collected', action: 'collect', at: '2025-11-23T06:05:00.000Z', actorRole: 'resident', note: '心愿已提交，等待社区登记' },
      { status: 'registered', action: 'register', at: '2025-11-23T06:30:00.000Z', actorRole: 'organiser', note: '登记为“精神慰藉”' },
      { status: 'published', action: 'publish', at: '2025-11-23T07:00:00.000Z', actorRole: 'organiser', note: '已发布到认领墙' },
    ],
    mine: false,
    private: false,
    actions: [],
    ...over,
  } as WishView;
}

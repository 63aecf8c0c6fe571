import { useCallback, useEffect, useState } from 'react';
import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { useRouter, usePullDownRefresh } from '@tarojs/taro';
import { CHANNEL_LABEL, SATISFACTION_LABEL, STATUS_LABEL, TRACK_LABEL, type Satisfaction, type WishView } from '@/core';
import { ActionPanel } from '@/components/ActionPanel';
import { Timeline } from '@/components/Timeline';
import { formatDay, formatTime, toastOk } from '@/components/format';
import { call, messageOf, photoUrl } from '@/services/gateway';
import type { Me } from '@/services/api';

export default function WishPage() {
  const router = useRouter();
  const id = router.params.id ?? '';
  const [wish, setWish] = useState<WishView | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setError('');
    try {
      setWish(await call<WishView>('wishDetail', { wishId: id }));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoading(false);
    }
  }, [id]);

  useEffect(() => {
    void load();
    call<Me>('whoami').then(setMe, () => setMe(null));
  }, [load]);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  if (!wish) {
    return (
      <View className="page wish">
        {loading ? (
          <View className="state state-loading">
            <Text>正在加载…</Text>
          </View>
        ) : (
          <View className="state state-error">
            <Text>{error || '没有找到这个心愿'}</Text>
            <Button className="btn btn-retry" onClick={() => void load()}>
              重新加载
            </Button>
          </View>
        )}
      </View>
    );
  }

  const w = wish;
  const claimWho = w.claim
    ? w.claim.kind === 'member'
      ? w.claim.mine
        ? '我认领了这个心愿'
        : '已由党员认领'
      : w.claim.kind === 'org'
        ? `组织领办:${w.claim.assignee ?? ''}`
        : `领导领办:${w.claim.assignee ?? ''}`
    : '';
  return (
    <View className="page wish">
      <View className="card">
        <Text className="card-title wish-title">{w.title}</Text>
        <View className="card-line">
          <Text className="badge wish-status">{STATUS_LABEL[w.status]}</Text>
          {w.category ? <Text className="muted">{w.category}</Text> : null}
        </View>
        {w.track ? <Text className="card-line muted">办理方式:{TRACK_LABEL[w.track]}</Text> : null}
        <Text className="card-line muted">
          来源:{CHANNEL_LABEL[w.channel]} · {formatTime(w.createdAt)}
        </Text>
        {w.reason && ['rejected', 'deferred', 'withdrawn', 'published'].includes(w.status) ? (
          <Text className="card-line wish-reason">说明:{w.reason}</Text>
        ) : null}
        {w.status === 'deferred' && w.reviewOn ? <Text className="card-line">计划 {formatDay(w.reviewOn)} 复核</Text> : null}
      </View>

      <View className="card">
        <Text className="section-title">心愿内容</Text>
        <Text className="card-line wish-content">{w.private && w.content ? w.content : w.summary}</Text>
      </View>

      {w.private && w.contact ? (
        <View className="card contact">
          <Text className="section-title">联系方式(不公开)</Text>
          <Text className="card-line">联系人:{w.contact.name}</Text>
          <Text className="card-line contact-phone">电话:{w.contact.phone}</Text>
          <Text className="card-line">地址:{w.contact.address}</Text>
        </View>
      ) : null}

      {w.claim ? (
        <View className="card claim-info">
          <Text className="section-title">领办</Text>
          <Text className="card-line">{claimWho}</Text>
          <Text className="card-line promise-date">承诺 {formatDay(w.claim.promisedBy)} 前完成</Text>
        </View>
      ) : null}

      {w.fulfilment ? (
        <View className="card fulfilment">
          <Text className="section-title">落实情况</Text>
          <Text className="card-line">{w.fulfilment.note}</Text>
          {w.fulfilment.photos.length ? (
            <View className="photos">
              {w.fulfilment.photos.map((p) => (
                <Image
                  key={p}
                  className="photo"
                  src={photoUrl(p)}
                  mode="aspectFill"
                  onClick={() => void Taro.previewImage({ urls: w.fulfilment!.photos.map(photoUrl), current: photoUrl(p) })}
                />
              ))}
            </View>
          ) : null}
        </View>
      ) : null}

      {w.feedback ? (
        <View className="card feedback">
          <Text className="section-title">居民评价{w.feedback.callback ? '(回访)' : ''}</Text>
          <Text className="card-line">{SATISFACTION_LABEL[w.feedback.satisfaction as Satisfaction] ?? w.feedback.satisfaction}</Text>
          {'comment' in w.feedback && w.feedback.comment ? <Text className="card-line">{w.feedback.comment}</Text> : null}
        </View>
      ) : null}

      <ActionPanel
        wish={w}
        categories={me?.categories ?? []}
        role={me?.role ?? ''}
        onDone={(message) => {
          toastOk(message);
          void load();
        }}
      />

      <View className="card">
        <Text className="section-title">办理进度</Text>
        <Timeline entries={w.timeline} />
      </View>
    </View>
  );
}

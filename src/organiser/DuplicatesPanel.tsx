import './organiser.css';
import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { STATUS_LABEL } from '@/core';
import { call, messageOf } from '@/services/gateway';
import type { Duplicate } from '@/services/api';
import { formatTime } from '@/components/format';

const REASON: Record<string, string> = {
  'same-phone': '电话相同',
  'same-address': '地址相同',
  'similar-text': '内容相近',
  'same-resident': '同一居民',
};

/** Possible duplicates of a wish being registered (function `duplicates`): look before you register. */
export function DuplicatesPanel(props: { wishId: string }) {
  const [items, setItems] = useState<Duplicate[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    call<{ items: Duplicate[] }>('duplicates', { wishId: props.wishId }).then(
      (r) => live && setItems(r.items),
      (e) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [props.wishId]);
  if (error) return <Text className="field-hint duplicates-error">查重暂不可用：{error}</Text>;
  if (!items) return <Text className="field-hint duplicates-loading">正在查找相似心愿…</Text>;
  return (
    <View className="card duplicates">
      <Text className="section-title">可能重复的心愿</Text>
      {items.length === 0 ? <Text className="card-line duplicates-none">没有发现相似的心愿。</Text> : null}
      {items.map((d) => (
        <View
          key={d._id}
          className="duplicate"
          data-id={d._id}
          onClick={() => void Taro.navigateTo({ url: `/organiser/wish/index?id=${d._id}` })}
        >
          <Text className="card-line">
            {d.title}({STATUS_LABEL[d.status] ?? d.status},{formatTime(d.createdAt)})
          </Text>
          <Text className="card-line muted">{d.reasons.map((r) => REASON[r] ?? r).join('、')}</Text>
        </View>
      ))}
    </View>
  );
}

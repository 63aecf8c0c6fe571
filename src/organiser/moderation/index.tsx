/**
 * 内容审核: wishes the content check held (`moderationQueue`). 通过 releases one (it is then registered as
 * usual); 不通过 needs a reason the resident reads (`moderate`).
 */
import '../organiser.css';
import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ModerateEvent } from '@/core';
import { useAction } from '@/components/ActionPanel';
import { Frame } from '@/components/Frame';
import { FormError, TextAreaField } from '@/components/Field';
import { PagedListState } from '@/components/ListState';
import { formatTime, toastOk } from '@/components/format';
import { usePagedPage } from '@/components/usePaged';
import type { WishView } from '@/services/api';

const PAGE = { limit: 20 };

/** A reason for 不通过: required here (the resident is told why), at most 200 characters like the server. */
export function rejectReasonProblem(reason: string): string {
  const r = reason.trim();
  if (!r) return '请写明不通过的原因，居民会看到';
  if (r.length > 200) return '原因不能超过 200 个字';
  return '';
}

function HeldWish(props: { wish: WishView; onDone: () => void }) {
  const w = props.wish;
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const act = useAction('moderate', ModerateEvent, (message) => {
    toastOk(message);
    props.onDone();
  });
  const decide = (approve: boolean) =>
    act.run({ wishId: w._id, approve, ...(approve ? {} : { reason: reason.trim() }) }, approve ? '已通过' : '已不通过', () =>
      approve ? '' : rejectReasonProblem(reason),
    );
  return (
    <View className="card held-wish" data-id={w._id}>
      <Text className="card-title">{w.title}</Text>
      {w.content ? <Text className="card-line held-content">{w.content}</Text> : null}
      <Text className="card-line muted">
        {w.contact?.name ?? w.name} · 提交于 {formatTime(w.createdAt)}
      </Text>
      {w.moderation?.reason ? <Text className="card-line muted">待审原因：{w.moderation.reason}</Text> : null}
      {rejecting ? (
        <TextAreaField
          label="不通过的原因（居民会看到）"
          name="input-moderate-reason"
          value={reason}
          onChange={setReason}
          maxlength={200}
        />
      ) : null}
      <FormError message={act.error} />
      <View className="btn-row" style={{ marginTop: '12px' }}>
        {rejecting ? null : (
          <Button className="btn btn-primary btn-approve-held" disabled={act.busy} onClick={() => void decide(true)}>
            通过
          </Button>
        )}
        <Button
          className="btn btn-quiet btn-reject-held"
          disabled={act.busy}
          onClick={() => (rejecting ? void decide(false) : setRejecting(true))}
        >
          {rejecting ? '确认不通过' : '不通过'}
        </Button>
      </View>
      <Button className="btn btn-quiet btn-open-held" onClick={() => void Taro.navigateTo({ url: `/organiser/wish/index?id=${w._id}` })}>
        查看详情
      </Button>
    </View>
  );
}

export default function Moderation() {
  const list = usePagedPage<WishView>('moderationQueue', PAGE);
  return (
    <Frame className="moderation">
      <Text className="muted" style={{ display: 'block', marginBottom: '12px' }}>
        这些心愿的文字没有通过自动检查，需要您看一下。通过后照常登记；不通过要写明原因。
      </Text>
      {list.items.map((w) => (
        <HeldWish key={w._id} wish={w} onDone={() => void list.reload()} />
      ))}
      <PagedListState list={list} emptyText="没有等待审核的心愿。" />
    </Frame>
  );
}

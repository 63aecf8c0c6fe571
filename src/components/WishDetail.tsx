import { useCallback, useEffect, useState, type ComponentType } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter, usePullDownRefresh } from '@tarojs/taro';
import { CHANNEL_LABEL, SATISFACTION_LABEL, STATUS_LABEL, TRACK_LABEL, claimerLabel, type Satisfaction, type WishView } from '@/core';
import { ActionPanel, type OrganiserPanelProps } from './ActionPanel';
import { Timeline } from './Timeline';
import { Photos } from './Photos';
import { Countdown } from './Countdown';
import { Frame } from './Frame';
import { ListState } from './ListState';
import { formatDay, formatTime, toastOk } from './format';
import { call, messageOf } from '@/services/gateway';
import { loadMe } from '@/services/session';
import type { Me } from '@/services/api';

/** What a finished or stopped wish means, said plainly to the resident. */
const END_NOTE: Record<string, string> = {
  closed: '这个心愿已经办好，已销号。',
  deferred: '暂缓办理：已向您说明原因，心愿已放入待办档案，到期会重新看。',
  withdrawn: '这个心愿已撤回，不再办理。',
  rejected: '未受理：原因见下方说明。',
};

const EXT_STATE: Record<string, string> = { pending: '等社区答复', approved: '社区已同意', refused: '社区未同意' };

/** Where a wish opens for this role: organisers get the organiser subpackage's page with their forms. */
export function wishUrl(id: string, role: string | undefined): string {
  return role === 'organiser' ? `/organiser/wish/index?id=${id}` : `/pages/wish/index?id=${id}`;
}

/**
 * One wish: status, content, contact (only when the server sends it), claim and countdown, evidence,
 * feedback, the forms of the viewer's actions and the parcel-style timeline.
 */
export function WishDetail(props: { organiser?: ComponentType<OrganiserPanelProps> }) {
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
    loadMe().then(
      (m) => {
        setMe(m);
        // An organiser who lands on the main package's page gets the page with the organiser's forms.
        if (m.role === 'organiser' && !props.organiser) void Taro.redirectTo({ url: wishUrl(id, m.role) });
      },
      () => setMe(null),
    );
  }, [load, id, props.organiser]);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  if (!wish) {
    return (
      <Frame className="wish">
        <ListState
          loading={loading}
          error={loading ? '' : error || '没有找到这个心愿'}
          empty={false}
          emptyText=""
          onRetry={() => void load()}
        />
      </Frame>
    );
  }

  const w = wish;
  const holder = claimerLabel(w.claim?.member);
  const claimWho = w.claim
    ? w.claim.kind === 'member'
      ? w.claim.mine
        ? '我认领了这个心愿'
        : holder
          ? `认领党员：${holder}`
          : '已由党员认领'
      : w.claim.kind === 'org'
        ? `组织领办：${w.claim.assignee ?? ''}`
        : `领导领办：${w.claim.assignee ?? ''}`
    : '';
  const ext = w.claim?.extension ?? null;
  return (
    <Frame className="wish">
      <View className="card">
        <Text className="card-title wish-title">{w.title}</Text>
        <View className="card-line">
          <Text className="badge wish-status">{STATUS_LABEL[w.status]}</Text>
          {w.urgent ? <Text className="badge badge-urgent">紧急</Text> : null}
          {w.category ? <Text className="muted">{w.category}</Text> : null}
        </View>
        {!w.private && w.name ? <Text className="card-line wish-masked-name">求助人：{w.name}</Text> : null}
        {END_NOTE[w.status] ? <Text className="card-line end-note">{END_NOTE[w.status]}</Text> : null}
        {w.track ? <Text className="card-line muted">办理方式：{TRACK_LABEL[w.track]}</Text> : null}
        {w.wishNo ? <Text className="card-line wish-no">心愿编号：{w.wishNo}</Text> : null}
        <Text className="card-line muted">
          来源：{CHANNEL_LABEL[w.channel]} · {formatTime(w.createdAt)}
        </Text>
        {w.reason && ['rejected', 'deferred', 'withdrawn', 'published'].includes(w.status) ? (
          <Text className="card-line wish-reason">说明：{w.reason}</Text>
        ) : null}
        {w.status === 'deferred' && w.reviewOn ? <Text className="card-line">计划 {formatDay(w.reviewOn)} 复核</Text> : null}
      </View>

      <View className="card">
        <Text className="section-title">心愿内容</Text>
        <Text className="card-line wish-content">{w.private && w.content ? w.content : w.summary || '（社区尚未确认公开摘要）'}</Text>
        {/* What others read instead of the resident's words (privacy.ts publicTitleOf): the confirmed public text. */}
        {w.private && w.publicTitle ? <Text className="card-line muted wish-public-title">公开标题：{w.publicTitle}</Text> : null}
        {w.private && w.summary ? <Text className="card-line muted wish-summary">认领墙上显示：{w.summary}</Text> : null}
        {w.private && w.photos?.length ? <Photos ids={w.photos} className="wish-photos" /> : null}
      </View>

      {w.private && w.contact ? (
        <View className="card contact">
          <Text className="section-title">联系方式（不公开）</Text>
          <Text className="card-line">联系人：{w.contact.name}</Text>
          <Text className="card-line contact-phone">电话：{w.contact.phone}</Text>
          <Text className="card-line">地址：{w.contact.address}</Text>
          {me?.role !== 'resident' ? (
            <Button
              className="btn btn-primary btn-call"
              onClick={() => void Taro.makePhoneCall({ phoneNumber: w.contact!.phone }).catch(() => undefined)}
            >
              拨打电话
            </Button>
          ) : null}
        </View>
      ) : null}

      {w.private && w.sensitive && (w.sensitive.health || w.sensitive.disability || w.sensitive.income) ? (
        <View className="card hardship-info">
          <Text className="section-title">困难情况（不公开）</Text>
          {w.sensitive.health ? <Text className="card-line hardship-health">健康状况：{w.sensitive.health}</Text> : null}
          {w.sensitive.disability ? <Text className="card-line hardship-disability">残疾情况：{w.sensitive.disability}</Text> : null}
          {w.sensitive.income ? <Text className="card-line hardship-income">经济困难：{w.sensitive.income}</Text> : null}
        </View>
      ) : null}

      {w.claim ? (
        <View className="card claim-info">
          <Text className="section-title">领办</Text>
          <Text className="card-line claim-who">{claimWho}</Text>
          {w.mine && w.claim.kind === 'member' && holder && w.status === 'claimed' ? (
            <Text className="card-line field-hint">上门前会先联系您；有话要说，可在下方给认领人留言。</Text>
          ) : null}
          <View className="card-line">
            <Text className="promise-date">承诺 {formatDay(w.claim.promisedBy)} 前完成 </Text>
            {w.status === 'claimed' ? <Countdown promisedBy={w.claim.promisedBy} /> : null}
          </View>
          {ext ? (
            <Text className={`card-line extension extension-${ext.state}`}>
              延期申请：到 {formatDay(ext.until)}({ext.reason}),{EXT_STATE[ext.state] ?? ext.state}
            </Text>
          ) : null}
        </View>
      ) : null}

      {w.fulfilment ? (
        <View className="card fulfilment">
          <Text className="section-title">落实情况（只给居民和社区看）</Text>
          <Text className="card-line">{w.fulfilment.note}</Text>
          {w.fulfilment.photos.length ? <Photos ids={w.fulfilment.photos} className="fulfilment-photos" /> : null}
        </View>
      ) : null}

      {w.feedback ? (
        <View className="card feedback">
          <Text className="section-title">居民评价{w.feedback.callback ? '（回访）' : ''}</Text>
          <Text className="card-line">{SATISFACTION_LABEL[w.feedback.satisfaction as Satisfaction] ?? w.feedback.satisfaction}</Text>
          {'comment' in w.feedback && w.feedback.comment ? <Text className="card-line">{w.feedback.comment}</Text> : null}
        </View>
      ) : null}

      <ActionPanel
        wish={w}
        categories={me?.categories ?? []}
        role={me?.role ?? ''}
        organiser={props.organiser}
        onDone={(message) => {
          toastOk(message);
          void load();
        }}
      />

      <View className="card">
        <Text className="section-title">办理进度</Text>
        <Timeline entries={w.timeline} />
      </View>
    </Frame>
  );
}

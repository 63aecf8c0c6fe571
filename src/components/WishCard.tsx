import { Text, View } from '@tarojs/components';
import { STATUS_LABEL, awaitsModeration, claimerLabel, type WishView } from '@/core';
import { Countdown } from './Countdown';
import { formatDay, formatTime, plainNote } from './format';

/** One wish in a list: title, status, countdown when claimed, the latest step. Tapping opens the wish. */
export function WishCard(props: {
  wish: WishView;
  onOpen: (id: string) => void;
  showPromise?: boolean;
  now?: Date;
  selected?: boolean;
  onSelect?: (id: string) => void;
}) {
  const w = props.wish;
  const latest = w.timeline[w.timeline.length - 1];
  const claim = w.claim;
  const promised = claim?.promisedBy ?? '';
  // Who holds it (the organiser's ledger: whom to chase): the member's name and branch, or the assignee.
  const holder = claim ? (claim.kind === 'member' ? claimerLabel(claim.member) : (claim.assignee ?? '')) : '';
  const held = awaitsModeration(w); // held by the content check: not an ordinary 待登记
  return (
    <View
      className={`card wish-card${props.selected ? ' wish-card-selected' : ''}${held ? ' wish-card-held' : ''}`}
      data-id={w._id}
      onClick={() => props.onOpen(w._id)}
    >
      {props.onSelect ? (
        <View
          className={`select-box${props.selected ? ' select-on' : ''}`}
          role="checkbox"
          aria-checked={Boolean(props.selected)}
          onClick={(e) => {
            e.stopPropagation();
            props.onSelect!(w._id);
          }}
        >
          {props.selected ? '✓ 已选' : '选择'}
        </View>
      ) : null}
      <Text className="card-title">{w.title}</Text>
      <View className="card-line">
        {held ? (
          <Text className="badge badge-held">待内容审核</Text>
        ) : (
          <Text className="badge wish-card-status">{STATUS_LABEL[w.status]}</Text>
        )}
        {(w as { urgent?: boolean }).urgent ? <Text className="badge badge-urgent">紧急</Text> : null}
        {props.showPromise && promised && w.status === 'claimed' ? <Countdown promisedBy={promised} now={props.now} /> : null}
        {claim?.extension?.state === 'pending' ? <Text className="badge badge-extension">延期待批</Text> : null}
        {w.category ? <Text className="muted">{w.category}</Text> : null}
        {w.wishNo ? <Text className="muted wish-no">编号 {w.wishNo}</Text> : null}
      </View>
      {props.showPromise && promised ? <Text className="card-line promise-date">承诺 {formatDay(promised)} 前完成</Text> : null}
      {holder ? <Text className="card-line claim-holder">领办：{holder}</Text> : null}
      {w.status === 'deferred' && w.reviewOn ? <Text className="card-line review-on">计划 {formatDay(w.reviewOn)} 复核</Text> : null}
      {latest ? (
        <Text className="card-line muted">
          {formatTime(latest.at)} {plainNote(latest.note)}
        </Text>
      ) : null}
    </View>
  );
}

/**
 * The actions this viewer may take on a wish now — exactly `wish.actions`, nothing else.
 * Each form validates with the same valibot schema as its cloud function, sends a requestId that is
 * fixed for the form (a double tap writes once), and reports the server's Chinese message on failure.
 */
import { useRef, useState, type ReactNode } from 'react';
import { Button, Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  AssignEvent,
  ClaimEvent,
  CloseOutEvent,
  DEFAULT_CATEGORIES,
  FeedbackEvent,
  FulfilEvent,
  MAX_DEFER_DAYS,
  MAX_PROMISE_DAYS,
  RegisterEvent,
  ReleaseEvent,
  SATISFACTION_LABEL,
  TRACK_LABEL,
  WishOnlyEvent,
  WithdrawEvent,
  addDays,
  chinaDate,
  parseEvent,
  type Satisfaction,
  type Track,
  type WishView,
} from '@/core';
import { call, messageOf, newRequestId, photoUrl, uploadPhoto } from '@/services/gateway';
import { Chips } from './Chips';
import { DateField, FormError, TextAreaField, TextField } from './Field';

type Schema = Parameters<typeof parseEvent>[0];

/** Shared submit plumbing: one request at a time, the form's requestId, the error message. */
function useAction(name: string, schema: Schema, onDone: (message: string) => void) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const requestId = useRef(newRequestId());
  const inFlight = useRef(false);
  async function run(event: Record<string, unknown>, okMessage: string, precheck?: () => string) {
    if (inFlight.current) return;
    const problem = precheck?.() ?? '';
    if (problem) {
      setError(problem);
      return;
    }
    const parsed = parseEvent(schema, { ...event, requestId: requestId.current });
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setError('');
    inFlight.current = true;
    setBusy(true);
    try {
      await call(name, parsed.value as object);
      requestId.current = newRequestId();
      onDone(okMessage);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }
  return { error, busy, run, setError };
}

interface FormProps {
  wish: WishView;
  onDone: (message: string) => void;
  now?: Date;
}

function Section(props: { title: string; className: string; children: ReactNode }) {
  return (
    <View className={`card action ${props.className}`}>
      <Text className="section-title">{props.title}</Text>
      {props.children}
    </View>
  );
}

const TRACK_SHORT: Record<Track, string> = {
  individual: '个性问题(党员认领)',
  common: '共性问题(组织领办)',
  hard: '老大难(领导领办)',
  deferred: '暂不具备条件',
};

export function RegisterForm(props: FormProps & { categories: string[]; canDefer: boolean; canRegister: boolean }) {
  const today = chinaDate(props.now ?? new Date());
  const [category, setCategory] = useState('');
  const [track, setTrack] = useState<Track>('individual');
  const [summary, setSummary] = useState('');
  const [reason, setReason] = useState('');
  const [reviewOn, setReviewOn] = useState(addDays(today, 30));
  const act = useAction('register', RegisterEvent, props.onDone);
  const tracks = (['individual', 'common', 'hard', ...(props.canDefer ? ['deferred'] : [])] as Track[]).map((value) => ({
    value,
    label: TRACK_SHORT[value],
  }));
  const categories = (props.categories.length ? props.categories : [...DEFAULT_CATEGORIES]).map((value) => ({ value, label: value }));

  function submit() {
    const event =
      track === 'deferred'
        ? { wishId: props.wish._id, track, reason, reviewOn, ...(category ? { category } : {}) }
        : { wishId: props.wish._id, track, ...(category ? { category } : {}), ...(summary.trim() ? { summary } : {}) };
    void act.run(event, track === 'deferred' ? '已暂缓办理' : '已登记', () => {
      const parsed = parseEvent(RegisterEvent, event);
      return parsed.ok ? '' : parsed.message;
    });
  }

  return (
    <Section title="登记" className="action-register">
      <View className="field">
        <Text className="field-label">分类</Text>
        <Chips options={categories} value={category} onChange={setCategory} className="category-chips" />
      </View>
      <View className="field">
        <Text className="field-label">办理方式</Text>
        <Chips options={tracks} value={track} onChange={setTrack} className="track-chips" />
        <Text className="field-hint">{TRACK_LABEL[track]}</Text>
      </View>
      {track === 'deferred' ? (
        <>
          <TextAreaField label="暂缓原因(居民会看到)" name="input-reason" value={reason} onChange={setReason} maxlength={200} />
          <DateField
            label="复核日期"
            name="input-review-on"
            value={reviewOn}
            start={addDays(today, 1)}
            end={addDays(today, MAX_DEFER_DAYS)}
            onChange={setReviewOn}
          />
        </>
      ) : (
        <TextAreaField
          label="公开摘要(认领墙显示,不填则用心愿内容;不要写姓名电话)"
          name="input-summary"
          value={summary}
          onChange={setSummary}
          maxlength={200}
        />
      )}
      <FormError message={act.error} />
      {props.canRegister || track === 'deferred' ? (
        <Button className="btn btn-primary btn-register" disabled={act.busy} onClick={submit}>
          {track === 'deferred' ? '暂缓办理' : '登记'}
        </Button>
      ) : null}
    </Section>
  );
}

export function RejectForm(props: FormProps) {
  const [reason, setReason] = useState('');
  const act = useAction('register', RegisterEvent, props.onDone);
  return (
    <Section title="不予受理" className="action-reject">
      <TextAreaField label="原因(居民会看到,请耐心说明)" name="input-reject-reason" value={reason} onChange={setReason} maxlength={200} />
      <FormError message={act.error} />
      <Button
        className="btn btn-quiet btn-reject"
        disabled={act.busy}
        onClick={() =>
          void act.run({ wishId: props.wish._id, decision: 'reject', reason }, '已不予受理', () =>
            reason.trim() ? '' : '原因:请写明不予受理的原因,居民会看到',
          )
        }
      >
        不予受理
      </Button>
    </Section>
  );
}

function SimpleAction(
  props: FormProps & { name: string; title: string; label: string; className: string; ok: string; hint?: string; confirm?: string },
) {
  const act = useAction(props.name, WishOnlyEvent, props.onDone);
  async function go() {
    if (props.confirm) {
      const r = await Taro.showModal({ title: '请确认', content: props.confirm });
      if (!r.confirm) return;
    }
    await act.run({ wishId: props.wish._id }, props.ok);
  }
  return (
    <Section title={props.title} className={`action-${props.name}`}>
      {props.hint ? <Text className="field-hint">{props.hint}</Text> : null}
      <FormError message={act.error} />
      <Button className={`btn btn-primary ${props.className}`} disabled={act.busy} onClick={() => void go()}>
        {props.label}
      </Button>
    </Section>
  );
}

export function AssignForm(props: FormProps) {
  const today = chinaDate(props.now ?? new Date());
  const [kind, setKind] = useState<'org' | 'leader'>(props.wish.track === 'hard' ? 'leader' : 'org');
  const [assignee, setAssignee] = useState('');
  const [promisedBy, setPromisedBy] = useState(addDays(today, 14));
  const act = useAction('assign', AssignEvent, props.onDone);
  return (
    <Section title="指派领办" className="action-assign">
      <Chips
        options={[
          { value: 'org', label: '指派给组织/部门' },
          { value: 'leader', label: '领导班子成员领办' },
        ]}
        value={kind}
        onChange={setKind}
      />
      <TextField
        label={kind === 'org' ? '组织或部门名称' : '领导姓名'}
        name="input-assignee"
        value={assignee}
        onChange={setAssignee}
        maxlength={40}
      />
      <DateField
        label="承诺完成日期"
        name="input-promised-by"
        value={promisedBy}
        start={today}
        end={addDays(today, MAX_PROMISE_DAYS)}
        onChange={setPromisedBy}
      />
      <FormError message={act.error} />
      <Button
        className="btn btn-primary btn-assign"
        disabled={act.busy}
        onClick={() =>
          void act.run({ wishId: props.wish._id, kind, assignee, promisedBy }, '已指派', () => boundsProblem(promisedBy, today))
        }
      >
        指派
      </Button>
    </Section>
  );
}

/** '' when `day` is today..today+90 (China time), else the Chinese message. */
export function boundsProblem(day: string, today: string): string {
  const last = addDays(today, MAX_PROMISE_DAYS);
  if (!day) return '承诺完成日期:请选择日期';
  if (day < today || day > last) return `承诺完成日期:请选择 ${today} 到 ${last} 之间的日期(最长 ${MAX_PROMISE_DAYS} 天)`;
  return '';
}

export function ClaimForm(props: FormProps) {
  const today = chinaDate(props.now ?? new Date());
  const [promisedBy, setPromisedBy] = useState(addDays(today, 7));
  const act = useAction('claim', ClaimEvent, props.onDone);
  return (
    <Section title="认领这个心愿" className="action-claim">
      <DateField
        label="我承诺在这天前完成"
        name="input-promised-by"
        value={promisedBy}
        start={today}
        end={addDays(today, MAX_PROMISE_DAYS)}
        onChange={setPromisedBy}
        hint={`最晚可选 ${MAX_PROMISE_DAYS} 天后`}
      />
      <FormError message={act.error} />
      <Button
        className="btn btn-primary btn-claim"
        disabled={act.busy}
        onClick={() => void act.run({ wishId: props.wish._id, promisedBy }, '认领成功', () => boundsProblem(promisedBy, today))}
      >
        我来认领
      </Button>
    </Section>
  );
}

export function ReleaseForm(props: FormProps) {
  const [reason, setReason] = useState('');
  const act = useAction('release', ReleaseEvent, props.onDone);
  return (
    <Section title="放弃认领" className="action-release">
      <TextAreaField
        label="放弃的原因"
        name="input-release-reason"
        value={reason}
        onChange={setReason}
        maxlength={200}
        hint="放弃后心愿回到认领墙,其他党员可以认领"
      />
      <FormError message={act.error} />
      <Button
        className="btn btn-quiet btn-release"
        disabled={act.busy}
        onClick={() => void act.run({ wishId: props.wish._id, reason }, '已放弃认领')}
      >
        放弃认领
      </Button>
    </Section>
  );
}

export function FulfilForm(props: FormProps) {
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const act = useAction('fulfil', FulfilEvent, props.onDone);

  async function addPhotos() {
    try {
      const chosen = await Taro.chooseImage({ count: Math.max(1, 9 - photos.length), sizeType: ['compressed'] });
      setUploading(true);
      const ids: string[] = [];
      for (const path of chosen.tempFilePaths) ids.push((await uploadPhoto(path)).fileID);
      setPhotos((p) => [...p, ...ids].slice(0, 9));
    } catch (e) {
      if (e && typeof e === 'object' && /cancel/i.test(String((e as { errMsg?: string }).errMsg ?? ''))) return;
      act.setError(messageOf(e));
    } finally {
      setUploading(false);
    }
  }

  return (
    <Section title="记录落实情况" className="action-fulfil">
      <TextAreaField
        label="做了什么"
        name="input-note"
        value={note}
        onChange={setNote}
        maxlength={500}
        placeholder="例如:周六上午上门陪聊了两个小时"
      />
      <View className="photos">
        {photos.map((id) => (
          <Image key={id} className="photo" src={photoUrl(id)} mode="aspectFill" />
        ))}
      </View>
      {photos.length < 9 ? (
        <Button className="btn btn-quiet btn-add-photo" disabled={uploading} onClick={() => void addPhotos()}>
          {uploading ? '正在上传…' : '添加照片(可选)'}
        </Button>
      ) : null}
      <FormError message={act.error} />
      <Button
        className="btn btn-primary btn-fulfil"
        disabled={act.busy || uploading}
        onClick={() => void act.run({ wishId: props.wish._id, note, ...(photos.length ? { photos } : {}) }, '已记录落实')}
      >
        已办好,提交
      </Button>
    </Section>
  );
}

const SATISFACTION_OPTIONS = (['satisfied', 'basically', 'unsatisfied'] as const).map((value) => ({
  value,
  label: SATISFACTION_LABEL[value],
}));

export function FeedbackForm(props: FormProps & { callback: boolean }) {
  const [satisfaction, setSatisfaction] = useState<Satisfaction | ''>('');
  const [comment, setComment] = useState('');
  const act = useAction('feedback', FeedbackEvent, props.onDone);
  return (
    <Section title={props.callback ? '回访记录(代居民反馈)' : '您满意吗?'} className="action-feedback">
      <Chips options={SATISFACTION_OPTIONS} value={satisfaction} onChange={setSatisfaction} className="satisfaction-chips" />
      <TextAreaField label="想说的话(可不填)" name="input-comment" value={comment} onChange={setComment} maxlength={200} />
      {satisfaction === 'unsatisfied' ? <Text className="field-hint">选择不满意,心愿会退回给认领人重新办理。</Text> : null}
      <FormError message={act.error} />
      <Button
        className="btn btn-primary btn-feedback"
        disabled={act.busy}
        onClick={() =>
          void act.run({ wishId: props.wish._id, satisfaction, ...(comment.trim() ? { comment } : {}) }, '感谢您的反馈', () =>
            satisfaction ? '' : '满意度:请选择满意、基本满意或不满意',
          )
        }
      >
        提交评价
      </Button>
    </Section>
  );
}

export function CloseOutForm(props: FormProps) {
  const [note, setNote] = useState('');
  const act = useAction('closeOut', CloseOutEvent, props.onDone);
  return (
    <Section title="销号" className="action-close-out">
      <TextField label="备注(可不填)" name="input-close-note" value={note} onChange={setNote} maxlength={200} />
      <FormError message={act.error} />
      <Button
        className="btn btn-primary btn-close-out"
        disabled={act.busy}
        onClick={() => void act.run({ wishId: props.wish._id, ...(note.trim() ? { note } : {}) }, '已销号')}
      >
        核实无误,销号
      </Button>
    </Section>
  );
}

export function WithdrawForm(props: FormProps) {
  const act = useAction('withdraw', WithdrawEvent, props.onDone);
  async function go() {
    const r = await Taro.showModal({
      title: '撤回心愿',
      content: '撤回后这个心愿不再办理,确定撤回吗?',
      confirmText: '撤回',
      cancelText: '不撤回',
    });
    if (!r.confirm) return;
    await act.run({ wishId: props.wish._id }, '已撤回');
  }
  return (
    <View className="action action-withdraw">
      <FormError message={act.error} />
      <Button className="btn btn-quiet btn-withdraw" disabled={act.busy} onClick={() => void go()}>
        撤回心愿
      </Button>
    </View>
  );
}

export function ActionPanel(props: FormProps & { categories: string[]; role: string }) {
  const a = new Set(props.wish.actions);
  const common = { wish: props.wish, onDone: props.onDone, now: props.now };
  if (a.size === 0) return null;
  return (
    <View className="action-panel" key={`${props.wish._id}-${props.wish.version}`}>
      {a.has('register') || a.has('defer') ? (
        <RegisterForm {...common} categories={props.categories} canDefer={a.has('defer')} canRegister={a.has('register')} />
      ) : null}
      {a.has('reject') ? <RejectForm {...common} /> : null}
      {a.has('revive') ? (
        <SimpleAction
          {...common}
          name="revive"
          title="重新启用"
          label="重新启用,回到待登记"
          className="btn-revive"
          ok="已重新启用"
          hint="条件具备了,可以重新登记办理。"
        />
      ) : null}
      {a.has('publish') ? (
        <SimpleAction
          {...common}
          name="publish"
          title="发布到认领墙"
          label="发布"
          className="btn-publish"
          ok="已发布"
          hint="发布后本组织党员可在认领墙看到(不显示居民姓名、电话、地址)。"
        />
      ) : null}
      {a.has('assign') ? <AssignForm {...common} /> : null}
      {a.has('claim') ? <ClaimForm {...common} /> : null}
      {a.has('fulfil') ? <FulfilForm {...common} /> : null}
      {a.has('feedback') ? <FeedbackForm {...common} callback={props.role === 'organiser'} /> : null}
      {a.has('closeOut') ? <CloseOutForm {...common} /> : null}
      {a.has('release') ? <ReleaseForm {...common} /> : null}
      {a.has('withdraw') ? <WithdrawForm {...common} /> : null}
    </View>
  );
}

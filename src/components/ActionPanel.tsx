/**
 * The actions this viewer may take on a wish now — exactly `wish.actions`, nothing else.
 * Each form validates with the same valibot schema as its cloud function, sends a requestId that is
 * fixed for the form (a double tap writes once), and reports the server's Chinese message on failure.
 */
import { useRef, useState, type ComponentType, type ReactNode } from 'react';
import { Button, Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  ClaimEvent,
  ExtendEvent,
  ProgressEvent,
  FeedbackEvent,
  FulfilEvent,
  MAX_PROMISE_DAYS,
  MessageEvent,
  ReleaseEvent,
  SATISFACTION_LABEL,
  WishOnlyEvent,
  WithdrawEvent,
  addDays,
  dayRange,
  chinaDate,
  extensionProblem,
  parseEvent,
  type Satisfaction,
  type WishView,
} from '@/core';
import { call, messageOf, newRequestId } from '@/services/gateway';
import { askToNotify } from '@/services/subscribe';
import { Chips } from './Chips';
import { toastError } from './format';
import { usePhotos } from './usePhotos';
import { DateField, FormError, TextAreaField } from './Field';

type Schema = Parameters<typeof parseEvent>[0];

/** Shared submit plumbing: one request at a time, the form's requestId, the error message. */
export function useAction(name: string, schema: Schema | null, onDone: (message: string) => void) {
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
    const parsed = schema
      ? parseEvent(schema, { ...event, requestId: requestId.current })
      : { ok: true as const, value: { ...event, requestId: requestId.current } };
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
      toastError(e); // the function's own Chinese message, also where the form is scrolled away
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }
  return { error, busy, run, setError };
}

export interface FormProps {
  wish: WishView;
  onDone: (message: string) => void;
  now?: Date;
}

export function Section(props: { title: string; className: string; children: ReactNode }) {
  return (
    <View className={`card action ${props.className}`}>
      <Text className="section-title">{props.title}</Text>
      {props.children}
    </View>
  );
}

export function SimpleAction(
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

/** '' when `day` is today..today+90 (China time), else the Chinese message. */
export function boundsProblem(day: string, today: string): string {
  const { first, last } = dayRange('promise', today);
  if (!day) return '承诺完成日期：请选择日期';
  if (day < first || day > last) return `承诺完成日期：请选择 ${today} 到 ${last} 之间的日期（最长 ${MAX_PROMISE_DAYS} 天）`;
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
        end={dayRange('promise', today).last}
        onChange={setPromisedBy}
        hint={`最晚可选 ${MAX_PROMISE_DAYS} 天后`}
      />
      <FormError message={act.error} />
      <Button
        className="btn btn-primary btn-claim"
        disabled={act.busy}
        onClick={() => {
          if (!boundsProblem(promisedBy, today)) void askToNotify(['deadlineNear', 'feedbackNeeded', 'extensionAnswered']);
          void act.run({ wishId: props.wish._id, promisedBy }, '认领成功', () => boundsProblem(promisedBy, today));
        }}
      >
        我来认领
      </Button>
    </Section>
  );
}

/** A form whose only field is a required reason: one text area and one button. */
export function ReasonAction(
  props: FormProps & {
    name: string;
    schema: Schema;
    title: string;
    className: string;
    label: string;
    input: string;
    hint?: string;
    button: string;
    buttonClass: string;
    ok: string;
    missing: string;
    extra?: Record<string, unknown>;
  },
) {
  const [reason, setReason] = useState('');
  const act = useAction(props.name, props.schema, props.onDone);
  return (
    <Section title={props.title} className={props.className}>
      <TextAreaField label={props.label} name={props.input} value={reason} onChange={setReason} maxlength={200} hint={props.hint} />
      <FormError message={act.error} />
      <Button
        className={`btn btn-quiet ${props.buttonClass}`}
        disabled={act.busy}
        onClick={() =>
          void act.run({ wishId: props.wish._id, ...props.extra, reason }, props.ok, () => (reason.trim() ? '' : props.missing))
        }
      >
        {props.button}
      </Button>
    </Section>
  );
}

export function ReleaseForm(props: FormProps) {
  return (
    <ReasonAction
      {...props}
      name="release"
      schema={ReleaseEvent}
      title="放弃认领"
      className="action-release"
      label="放弃的原因"
      input="input-release-reason"
      hint="放弃后心愿回到认领墙，其他党员可以认领"
      button="放弃认领"
      buttonClass="btn-release"
      ok="已放弃认领"
      missing="放弃的原因：请写明原因，社区会看到"
    />
  );
}

export function FulfilForm(props: FormProps) {
  const [note, setNote] = useState('');
  const act = useAction('fulfil', FulfilEvent, props.onDone);
  const {
    photos,
    previews,
    uploading,
    add: addPhotos,
  } = usePhotos(9, { purpose: 'fulfil', wishId: props.wish._id }, (e) => {
    act.setError(messageOf(e));
    toastError(e);
  });

  return (
    <Section title="记录落实情况" className="action-fulfil">
      <TextAreaField
        label="做了什么"
        name="input-note"
        value={note}
        onChange={setNote}
        maxlength={500}
        placeholder="例如：周六上午上门陪聊了两个小时"
      />
      <View className="photos">
        {previews.map((src) => (
          <Image key={src} className="photo" src={src} mode="aspectFill" />
        ))}
      </View>
      {photos.length < 9 ? (
        <Button className="btn btn-quiet btn-add-photo" disabled={uploading} onClick={() => void addPhotos()}>
          {uploading ? '正在上传…' : '添加照片（可选）'}
        </Button>
      ) : null}
      <Text className="field-hint">说明和照片只给居民和社区看，不上认领墙。</Text>
      <FormError message={act.error} />
      <Button
        className="btn btn-primary btn-fulfil"
        disabled={act.busy || uploading}
        onClick={() =>
          void act.run({ wishId: props.wish._id, note, ...(photos.length ? { photos } : {}) }, '已记录落实', () =>
            note.trim() ? '' : '说明：请写下做了什么',
          )
        }
      >
        已办好，提交
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
    <Section title={props.callback ? '回访记录（代居民反馈）' : '您满意吗？'} className="action-feedback">
      <Chips options={SATISFACTION_OPTIONS} value={satisfaction} onChange={setSatisfaction} className="satisfaction-chips" />
      <TextAreaField label="想说的话（可不填）" name="input-comment" value={comment} onChange={setComment} maxlength={200} />
      {satisfaction === 'unsatisfied' ? <Text className="field-hint">选择不满意，心愿会退回给认领人重新办理。</Text> : null}
      <FormError message={act.error} />
      <Button
        className="btn btn-primary btn-feedback"
        disabled={act.busy}
        onClick={() =>
          void act.run({ wishId: props.wish._id, satisfaction, ...(comment.trim() ? { comment } : {}) }, '感谢您的反馈', () =>
            satisfaction ? '' : '满意度：请选择满意、基本满意或不满意',
          )
        }
      >
        提交评价
      </Button>
    </Section>
  );
}

export function WithdrawForm(props: FormProps & { onBehalf?: boolean }) {
  const act = useAction('withdraw', WithdrawEvent, props.onDone);
  const [reason, setReason] = useState('');
  async function go() {
    // On the resident's behalf: a reason she reads, and she is told (issue 7). Her own withdrawal needs none.
    if (props.onBehalf && !reason.trim()) {
      act.setError(WITHDRAW_REASON_MISSING);
      return;
    }
    const r = await Taro.showModal({
      title: '撤回心愿',
      content: props.onBehalf ? '撤回后这个心愿不再办理，居民会收到通知和原因。确定撤回吗？' : '撤回后这个心愿不再办理，确定撤回吗？',
      confirmText: '撤回',
      cancelText: '不撤回',
    });
    if (!r.confirm) return;
    await act.run({ wishId: props.wish._id, ...(reason.trim() ? { reason } : {}) }, '已撤回', () =>
      props.onBehalf && !reason.trim() ? WITHDRAW_REASON_MISSING : '',
    );
  }
  return (
    <View className="action action-withdraw">
      {props.onBehalf ? (
        <TextAreaField label="撤回原因（居民会看到）" name="input-withdraw-reason" value={reason} onChange={setReason} maxlength={200} />
      ) : null}
      <FormError message={act.error} />
      <Button className="btn btn-quiet btn-withdraw" disabled={act.busy} onClick={() => void go()}>
        撤回心愿
      </Button>
    </View>
  );
}

const WITHDRAW_REASON_MISSING = '原因：代居民撤回心愿时，请写明原因，居民会看到';

/** Who reads a 留言 and who sees whose phone, as privacy.ts decides: the claimer sees the resident's contact (to come and
 * do it), the resident never sees the member's phone. */
export const MESSAGE_TO_CLAIMER = '认领人会在“消息”里收到。认领人能看到您留下的联系方式，以便上门办理；其他党员和公众看不到。';
export const MESSAGE_TO_RESIDENT = '居民会在“消息”里收到，看不到您的电话。';

/** 留言: the resident and the member holding her wish write to each other in the app; the other side is notified. */
export function MessageForm(props: FormProps & { to: string }) {
  const [note, setNote] = useState('');
  const act = useAction('message', MessageEvent, props.onDone);
  return (
    <Section title={`给${props.to}留言`} className="action-message">
      <TextAreaField
        label="留言"
        name="input-message"
        value={note}
        onChange={setNote}
        maxlength={200}
        placeholder="例如：周六上午我在家，敲门大声一点"
        hint={props.to === '认领人' ? MESSAGE_TO_CLAIMER : MESSAGE_TO_RESIDENT}
      />
      <FormError message={act.error} />
      <Button
        className="btn btn-quiet btn-message"
        disabled={act.busy}
        onClick={() => void act.run({ wishId: props.wish._id, note }, '留言已送达', () => (note.trim() ? '' : '留言：请写下要说的话'))}
      >
        发送留言
      </Button>
    </Section>
  );
}

export function ExtendForm(props: FormProps) {
  const now = props.now ?? new Date();
  const today = chinaDate(now);
  const promisedBy = props.wish.claim?.promisedBy ?? today;
  const { last } = dayRange('promise', today);
  const first = addDays(promisedBy < today ? today : promisedBy, 1);
  const [until, setUntil] = useState(addDays(first, 6) > last ? last : addDays(first, 6));
  const [reason, setReason] = useState('');
  const act = useAction('extend', ExtendEvent, props.onDone);
  const pending = props.wish.claim?.extension?.state === 'pending';
  return (
    <Section title="申请延期" className="action-extend">
      {pending ? <Text className="field-hint">已有一个延期申请在等社区答复。</Text> : null}
      <DateField label="延期到" name="input-until" value={until} start={first} end={last} onChange={setUntil} />
      <TextAreaField label="原因（社区会看到）" name="input-extend-reason" value={reason} onChange={setReason} maxlength={200} />
      <FormError message={act.error} />
      <Button
        className="btn btn-quiet btn-extend"
        disabled={act.busy}
        onClick={() =>
          void act.run(
            { wishId: props.wish._id, until, reason },
            '已申请延期，等社区答复',
            () =>
              // The date rule is the extend command's own (core extensionProblem); the reason is the form's to ask for.
              extensionProblem(promisedBy, until, now)?.message ?? (reason.trim() ? '' : '原因：请写明为什么需要延期，社区会看到'),
          )
        }
      >
        申请延期
      </Button>
    </Section>
  );
}

export function ProgressForm(props: FormProps) {
  const [note, setNote] = useState('');
  const act = useAction('progress', ProgressEvent, props.onDone);
  const {
    photos,
    previews,
    uploading,
    add: addPhotos,
  } = usePhotos(3, { purpose: 'progress', wishId: props.wish._id }, (e) => act.setError(messageOf(e)));
  return (
    <Section title="记录进展" className="action-progress">
      <TextAreaField
        label="进展"
        name="input-progress"
        value={note}
        onChange={setNote}
        maxlength={300}
        placeholder="例如：已联系居民，约好周六上门"
      />
      {previews.length ? (
        <View className="photos progress-photos">
          {previews.map((src) => (
            <Image key={src} className="photo" src={src} mode="aspectFill" />
          ))}
        </View>
      ) : null}
      {photos.length < 3 ? (
        <Button className="btn btn-quiet btn-progress-photo" disabled={uploading} onClick={() => void addPhotos()}>
          {uploading ? '正在上传…' : '加照片（可不加）'}
        </Button>
      ) : null}
      <FormError message={act.error} />
      <Button
        className="btn btn-quiet btn-progress"
        disabled={act.busy || uploading}
        onClick={() =>
          void act.run({ wishId: props.wish._id, note, ...(photos.length ? { photos } : {}) }, '已记录进展', () =>
            note.trim() ? '' : '进展：请写下进展情况',
          )
        }
      >
        记录进展
      </Button>
    </Section>
  );
}

export interface OrganiserPanelProps extends FormProps {
  categories: string[];
  actions: Set<string>;
}

/**
 * The forms of this viewer's actions. The organiser's forms live in the organiser subpackage
 * (src/organiser/forms.tsx) and come in through `organiser`, so they stay out of the main package.
 */
export function ActionPanel(props: FormProps & { categories: string[]; role: string; organiser?: ComponentType<OrganiserPanelProps> }) {
  const a = new Set<string>(props.wish.actions);
  const common = { wish: props.wish, onDone: props.onDone, now: props.now };
  if (a.size === 0) return null;
  const Organiser = props.organiser;
  return (
    <View className="action-panel" key={`${props.wish._id}-${props.wish.version}`}>
      {Organiser ? <Organiser {...common} categories={props.categories} actions={a} /> : null}
      {a.has('claim') ? <ClaimForm {...common} /> : null}
      {a.has('progress') ? <ProgressForm {...common} /> : null}
      {a.has('fulfil') ? <FulfilForm {...common} /> : null}
      {a.has('feedback') ? <FeedbackForm {...common} callback={props.role === 'organiser'} /> : null}
      {a.has('extend') ? <ExtendForm {...common} /> : null}
      {a.has('release') ? <ReleaseForm {...common} /> : null}
      {a.has('message') ? <MessageForm {...common} to={props.wish.mine ? '认领人' : '居民'} /> : null}
      {a.has('withdraw') ? <WithdrawForm {...common} onBehalf={props.role === 'organiser' && !props.wish.mine} /> : null}
    </View>
  );
}

/**
 * The organiser's forms on a wish (register / defer / reject, revive, publish, assign, answer an
 * extension, reassign, reopen, close out) and the duplicate check. They live in the organiser
 * subpackage: only src/organiser/wish/index.tsx renders them, so the main package stays small.
 */
import './organiser.css';
import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  AnswerExtensionEvent,
  AssignEvent,
  ChaseEvent,
  ReassignEvent,
  ReopenEvent,
  CloseOutEvent,
  DEFAULT_CATEGORIES,
  PublishEvent,
  RegisterEvent,
  TRACK_LABEL,
  suggestPublicTitle,
  suggestSummary,
  addDays,
  dayRange,
  chinaDate,
  chasedToday,
  parseEvent,
  type Track,
} from '@/core';
import { receiptProblem } from '@/core/cards';
import {
  ReasonAction,
  Section,
  SimpleAction,
  boundsProblem,
  useAction,
  type FormProps,
  type OrganiserPanelProps,
} from '@/components/ActionPanel';
import { Chips } from '@/components/Chips';
import { DateField, FormError, TextAreaField, TextField } from '@/components/Field';
import { formatDay } from '@/components/format';
import { DuplicatesPanel } from './DuplicatesPanel';

const TRACK_SHORT: Record<Track, string> = {
  individual: '个性问题（党员认领）',
  common: '共性问题（组织领办）',
  hard: '老大难（领导领办）',
  deferred: '暂不具备条件',
};

export function RegisterForm(props: FormProps & { categories: string[]; canDefer: boolean; canRegister: boolean }) {
  const today = chinaDate(props.now ?? new Date());
  const [category, setCategory] = useState('');
  const [track, setTrack] = useState<Track>('individual');
  // The public title and summary (issue 22): prefilled with a suggestion made from the category, never from the
  // resident's own words, and following the chosen category until the organiser edits them; stored only when the
  // organiser submits them.
  const [title, setTitle] = useState<string | null>(props.wish.publicTitle || null);
  const [summaryText, setSummary] = useState<string | null>(props.wish.summary || null);
  const publicTitle = title ?? suggestPublicTitle({ category: category || null });
  const summary = summaryText ?? suggestSummary({ category: category || null });
  const [reason, setReason] = useState('');
  const [reviewOn, setReviewOn] = useState(addDays(today, 30));
  const [urgent, setUrgent] = useState(false);
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
        : {
            wishId: props.wish._id,
            track,
            ...(category ? { category } : {}),
            ...(publicTitle.trim() ? { publicTitle } : {}),
            ...(summary.trim() ? { summary } : {}),
            ...(urgent ? { urgent } : {}),
          };
    void act.run(event, track === 'deferred' ? '已暂缓办理' : '已登记', () => {
      const parsed = parseEvent(RegisterEvent, event);
      if (!parsed.ok) return parsed.message;
      if (track === 'individual' && !parsed.value.publicTitle) return TITLE_MISSING;
      if (track === 'individual' && !parsed.value.summary) return SUMMARY_MISSING;
      return track === 'deferred' ? deferProblem(reviewOn, today) : '';
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
          <TextAreaField label="暂缓原因（居民会看到）" name="input-reason" value={reason} onChange={setReason} maxlength={200} />
          <DateField
            label="复核日期"
            name="input-review-on"
            value={reviewOn}
            start={dayRange('review', today).first}
            end={dayRange('review', today).last}
            onChange={setReviewOn}
          />
        </>
      ) : (
        <>
          <TextField
            label="公开标题"
            name="input-public-title"
            value={publicTitle}
            onChange={setTitle}
            maxlength={40}
            hint="认领墙上显示。不要写姓名、电话、住址、病情。"
          />
          <TextAreaField
            label="公开摘要"
            name="input-summary"
            value={summary}
            onChange={setSummary}
            maxlength={200}
            hint="已按分类给出建议，请核对修改，不要写姓名、电话、住址、病情。登记即确认：认领墙只显示公开标题和这段话，不显示居民写的标题和原话。"
          />
          <View
            className={`chip urgent-toggle${urgent ? ' chip-on' : ''}`}
            role="checkbox"
            aria-checked={urgent}
            onClick={() => setUrgent(!urgent)}
          >
            {urgent ? '✓ 紧急（认领墙置顶）' : '标为紧急（认领墙置顶）'}
          </View>
        </>
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

const SUMMARY_MISSING = '公开摘要：请填写认领墙上显示的摘要（不要写姓名、电话、住址、病情）';
const TITLE_MISSING = '公开标题：请填写认领墙上显示的标题（不要写姓名、电话、住址、病情）';

/** 发布: the public title and summary are confirmed here too (a wish registered without a summary cannot be published). */
export function PublishForm(props: FormProps) {
  const [publicTitle, setTitle] = useState(props.wish.publicTitle || suggestPublicTitle(props.wish));
  const [summary, setSummary] = useState(props.wish.summary || suggestSummary(props.wish));
  const act = useAction('publish', PublishEvent, props.onDone);
  return (
    <Section title="发布到认领墙" className="action-publish">
      <TextField label="公开标题（认领墙显示）" name="input-publish-title" value={publicTitle} onChange={setTitle} maxlength={40} />
      <TextAreaField
        label="公开摘要（认领墙显示）"
        name="input-publish-summary"
        value={summary}
        onChange={setSummary}
        maxlength={200}
        hint="发布后本组织党员可在认领墙看到公开标题和这段摘要（不显示居民姓名、电话、住址、居民写的标题和原话）。"
      />
      <FormError message={act.error} />
      <Button
        className="btn btn-primary btn-publish"
        disabled={act.busy}
        onClick={() =>
          void act.run({ wishId: props.wish._id, publicTitle, summary }, '已发布', () => {
            const parsed = parseEvent(PublishEvent, { wishId: props.wish._id, publicTitle, summary });
            if (!parsed.ok) return parsed.message;
            if (!parsed.value.publicTitle) return TITLE_MISSING;
            return parsed.value.summary ? '' : SUMMARY_MISSING;
          })
        }
      >
        发布
      </Button>
    </Section>
  );
}

export function RejectForm(props: FormProps) {
  return (
    <ReasonAction
      {...props}
      name="register"
      schema={RegisterEvent}
      extra={{ decision: 'reject' }}
      title="不予受理"
      className="action-reject"
      label="原因（居民会看到，请耐心说明）"
      input="input-reject-reason"
      button="不予受理"
      buttonClass="btn-reject"
      ok="已不予受理"
      missing="原因：请写明不予受理的原因，居民会看到"
    />
  );
}

type AssignKind = 'org' | 'leader';
const ASSIGN_KINDS = [
  { value: 'org' as const, label: '指派给组织/部门' },
  { value: 'leader' as const, label: '领导班子成员领办' },
];
const REASSIGN_KINDS = [
  { value: 'org' as const, label: '组织/部门' },
  { value: 'leader' as const, label: '领导' },
];

/** Who leads the wish (an organisation or a leader, by name) and by when: shared by 指派 and 改派. */
function AssigneeFields(props: {
  kinds: { value: AssignKind; label: string }[];
  kind: AssignKind;
  onKind: (k: AssignKind) => void;
  assigneeLabel: string;
  assigneeInput: string;
  assignee: string;
  onAssignee: (v: string) => void;
  promisedByInput: string;
  promisedBy: string;
  onPromisedBy: (v: string) => void;
  today: string;
}) {
  return (
    <>
      <Chips options={props.kinds} value={props.kind} onChange={props.onKind} />
      <TextField label={props.assigneeLabel} name={props.assigneeInput} value={props.assignee} onChange={props.onAssignee} maxlength={40} />
      <DateField
        label="承诺完成日期"
        name={props.promisedByInput}
        value={props.promisedBy}
        start={props.today}
        end={dayRange('promise', props.today).last}
        onChange={props.onPromisedBy}
      />
    </>
  );
}

export function AssignForm(props: FormProps) {
  const today = chinaDate(props.now ?? new Date());
  const [kind, setKind] = useState<AssignKind>(props.wish.track === 'hard' ? 'leader' : 'org');
  const [assignee, setAssignee] = useState('');
  const [promisedBy, setPromisedBy] = useState(addDays(today, 14));
  const act = useAction('assign', AssignEvent, props.onDone);
  return (
    <Section title="指派领办" className="action-assign">
      <AssigneeFields
        kinds={ASSIGN_KINDS}
        kind={kind}
        onKind={setKind}
        assigneeLabel={kind === 'org' ? '组织或部门名称' : '领导姓名'}
        assigneeInput="input-assignee"
        assignee={assignee}
        onAssignee={setAssignee}
        promisedByInput="input-promised-by"
        promisedBy={promisedBy}
        onPromisedBy={setPromisedBy}
        today={today}
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

/** '' when a re-review day is tomorrow..today+366 (China time), else the Chinese message. */
export function deferProblem(day: string, today: string): string {
  const { first, last } = dayRange('review', today);
  if (!day) return '复核日期：请选择日期';
  if (day < first || day > last) return `复核日期：请选择 ${first} 到 ${last} 之间的日期`;
  return '';
}

export function CloseOutForm(props: FormProps) {
  const [note, setNote] = useState('');
  const act = useAction('closeOut', CloseOutEvent, props.onDone);
  return (
    <Section title="销号" className="action-close-out">
      <TextField label="备注（可不填）" name="input-close-note" value={note} onChange={setNote} maxlength={200} />
      <FormError message={act.error} />
      <Button
        className="btn btn-primary btn-close-out"
        disabled={act.busy}
        onClick={() => void act.run({ wishId: props.wish._id, ...(note.trim() ? { note } : {}) }, '已销号')}
      >
        核实无误，销号
      </Button>
    </Section>
  );
}

/** 催办: remind the claimer of a claimed wish (e.g. an overdue one), with an optional word. */
export function ChaseForm(props: FormProps) {
  const [note, setNote] = useState('');
  const act = useAction('chase', ChaseEvent, props.onDone);
  const overdue = props.wish.claim && props.wish.claim.promisedBy < chinaDate(props.now ?? new Date());
  return (
    <Section title="催办" className="action-chase">
      <Text className="card-line muted">
        {overdue ? '已过承诺日期。' : ''}认领人会收到一条提醒（小程序消息），时间线记下这次催办。每个心愿每天最多催办一次。
      </Text>
      <Text className="card-line muted chase-audience">
        想说的话谁能看到：认领人（在提醒里）、居民本人和本社区的组织者（在时间线上）；其他党员只看到“社区已催办”。
      </Text>
      <TextField label="想说的话（可不填）" name="input-chase-note" value={note} onChange={setNote} maxlength={200} />
      <FormError message={act.error} />
      <Button
        className="btn btn-primary btn-chase"
        disabled={act.busy}
        onClick={() => void act.run({ wishId: props.wish._id, ...(note.trim() ? { note } : {}) }, '已催办')}
      >
        提醒认领人抓紧办理
      </Button>
    </Section>
  );
}

/** In place of the form once the claim was chased today: why it is gone, and when it comes back. */
function ChasedToday() {
  return (
    <Section title="催办" className="action-chased-today">
      <Text className="card-line muted chased-today">今天已经催办过，认领人已收到提醒。每个心愿每天最多催办一次，明天可以再催。</Text>
    </Section>
  );
}

export function AnswerExtensionForm(props: FormProps) {
  const ext = props.wish.claim?.extension;
  const [note, setNote] = useState('');
  const act = useAction('answerExtension', AnswerExtensionEvent, props.onDone);
  if (!ext || ext.state !== 'pending') return null;
  const send = (approve: boolean) =>
    void act.run({ wishId: props.wish._id, approve, ...(note.trim() ? { note } : {}) }, approve ? '已同意延期' : '已不同意延期');
  return (
    <Section title="延期申请" className="action-answer-extension">
      <Text className="card-line extension-ask">
        申请延期到 {formatDay(ext.until)}：{ext.reason}
      </Text>
      <TextField label="答复（可不填）" name="input-answer-note" value={note} onChange={setNote} maxlength={200} />
      <FormError message={act.error} />
      <View className="btn-row">
        <Button className="btn btn-primary btn-approve-extension" disabled={act.busy} onClick={() => send(true)}>
          同意
        </Button>
        <Button className="btn btn-quiet btn-refuse-extension" disabled={act.busy} onClick={() => send(false)}>
          不同意
        </Button>
      </View>
    </Section>
  );
}

export function ReassignForm(props: FormProps) {
  const today = chinaDate(props.now ?? new Date());
  const member = props.wish.claim?.kind === 'member';
  const [reason, setReason] = useState('');
  const [kind, setKind] = useState<AssignKind>(props.wish.claim?.kind === 'leader' ? 'leader' : 'org');
  const [assignee, setAssignee] = useState('');
  const [promisedBy, setPromisedBy] = useState(addDays(today, 14));
  const act = useAction('reassign', ReassignEvent, props.onDone);
  function precheck(): string {
    if (!reason.trim()) return '原因：请写明改派的原因';
    if (member) return '';
    if (!assignee.trim()) return '领办对象：请填写组织或领导';
    return boundsProblem(promisedBy, today);
  }
  return (
    <Section title={member ? '收回认领' : '改派'} className="action-reassign">
      {member ? <Text className="field-hint">收回后心愿回到认领墙，其他党员可以认领。</Text> : null}
      {!member ? (
        <AssigneeFields
          kinds={REASSIGN_KINDS}
          kind={kind}
          onKind={setKind}
          assigneeLabel="新的领办对象"
          assigneeInput="input-reassign-assignee"
          assignee={assignee}
          onAssignee={setAssignee}
          promisedByInput="input-reassign-promised-by"
          promisedBy={promisedBy}
          onPromisedBy={setPromisedBy}
          today={today}
        />
      ) : null}
      <TextAreaField
        label={member ? '收回原因（认领人会看到）' : '改派原因'}
        name="input-reassign-reason"
        value={reason}
        onChange={setReason}
        maxlength={200}
      />
      <FormError message={act.error} />
      <Button
        className="btn btn-quiet btn-reassign"
        disabled={act.busy}
        onClick={() =>
          void act.run(
            member ? { wishId: props.wish._id, reason } : { wishId: props.wish._id, reason, kind, assignee, promisedBy },
            member ? '已收回，回到认领墙' : '已改派',
            precheck,
          )
        }
      >
        {member ? '收回并重新发布' : '改派'}
      </Button>
    </Section>
  );
}

export function ReopenForm(props: FormProps) {
  return (
    <ReasonAction
      {...props}
      name="reopen"
      schema={ReopenEvent}
      title="重新办理"
      className="action-reopen"
      label="为什么要重新办理（居民和认领人会看到）"
      input="input-reopen-reason"
      button="重新办理"
      buttonClass="btn-reopen"
      ok="已重新打开"
      missing="原因：请写明重新办理的原因"
    />
  );
}

/** Everything an organiser may do on this wish now (only what `actions` lists). */
/** 打印回执: a wish taken by hotline or on a visit, not yet on a card, can get a receipt with a QR code and PIN. A wish
 * with a card or receipt can get a new PIN (重新生成查询码: the stub is lost, or someone's wrong guesses locked it). */
function ReceiptLink({ wish }: { wish: OrganiserPanelProps['wish'] }) {
  if (wish.cardNo)
    return (
      <View className="card">
        <Text className="card-line wish-card-no">心愿卡、回执号：{wish.cardNo}</Text>
        <Button
          className="btn btn-quiet btn-reissue-pin"
          onClick={() => void Taro.navigateTo({ url: `/organiser/receipt/index?wishId=${wish._id}&reissue=1` })}
        >
          重新生成查询码
        </Button>
      </View>
    );
  if (receiptProblem(wish)) return null; // the rule the receipt operation applies (core/cards.ts)
  return (
    <View className="card">
      <Text className="card-title">回执</Text>
      <Text className="field-hint">给没有智能手机的居民打印一张回执，扫码就能查看进度，办好后凭查询码反馈。</Text>
      <Button
        className="btn btn-quiet btn-receipt"
        onClick={() => void Taro.navigateTo({ url: `/organiser/receipt/index?wishId=${wish._id}` })}
      >
        打印回执
      </Button>
    </View>
  );
}

export function OrganiserActions(props: OrganiserPanelProps) {
  const a = props.actions;
  const common = { wish: props.wish, onDone: props.onDone, now: props.now };
  return (
    <>
      {a.has('register') ? <DuplicatesPanel wishId={props.wish._id} /> : null}
      {a.has('register') || a.has('defer') ? (
        <RegisterForm {...common} categories={props.categories} canDefer={a.has('defer')} canRegister={a.has('register')} />
      ) : null}
      {a.has('reject') ? <RejectForm {...common} /> : null}
      {a.has('revive') ? (
        <SimpleAction
          {...common}
          name="revive"
          title="重新启用"
          label="重新启用，回到待登记"
          className="btn-revive"
          ok="已重新启用"
          hint="条件具备了，可以重新登记办理。"
        />
      ) : null}
      {a.has('publish') ? <PublishForm {...common} /> : null}
      {a.has('assign') ? <AssignForm {...common} /> : null}
      {a.has('answerExtension') ? <AnswerExtensionForm {...common} /> : null}
      {a.has('chase') ? (
        <ChaseForm {...common} />
      ) : props.wish.status === 'claimed' && chasedToday(props.wish, props.now ?? new Date()) ? (
        <ChasedToday />
      ) : null}
      {a.has('closeOut') ? <CloseOutForm {...common} /> : null}
      {a.has('reassign') ? <ReassignForm {...common} /> : null}
      {a.has('reopen') ? <ReopenForm {...common} /> : null}
      <ReceiptLink wish={props.wish} />
    </>
  );
}

/**
 * Event validation for every cloud function, shared by the pages (form messages) and the functions
 * (which validate before any database call). Unknown keys are dropped: an `openid`, `role` or
 * `userInfo` in an event is never read.
 *
 * valibot, not zod: zod 4 bundles to ~450 KB minified, valibot's pieces used here to ~5 KB, and the
 * mini-program main package budget is 400 KB.
 */
import * as v from 'valibot';
import { fail, type Failure } from './errors';
import { isCalendarDay } from './dates';
import { normaliseCardNo, normaliseWishNo } from './numbers';
import { PERIOD_PATTERN } from './periodLists';
import { STOCK_VIEWS } from './stockLists';
import { SATISFACTIONS, STATUSES, type Command } from './wish';

const FIELD_LABEL: Record<string, string> = {
  wishId: '心愿编号',
  requestId: '请求编号',
  title: '心愿标题',
  content: '心愿内容',
  contactName: '联系人',
  contactPhone: '联系电话',
  address: '地址',
  channel: '收集渠道',
  orgId: '社区',
  decision: '受理决定',
  category: '分类',
  track: '办理方式',
  summary: '公开摘要',
  publicTitle: '公开标题',
  reason: '原因',
  reviewOn: '复核日期',
  promisedBy: '承诺完成日期',
  note: '说明',
  photos: '照片',
  satisfaction: '满意度',
  comment: '评价',
  assignee: '领办对象',
  kind: '指派类型',
  cursor: '翻页位置',
  limit: '每页条数',
  status: '状态',
  scope: '范围',
  until: '延期日期',
  approve: '审批结果',
  wishIds: '心愿编号',
  ids: '通知编号',
  fileIds: '照片',
  purpose: '照片用途',
  ext: '图片格式',
  urgent: '紧急',
  MsgType: '消息类型',
  Event: '事件类型',
  trace_id: '检测编号',
  result: '检测结果',
  detail: '检测详情',
};

/**
 * Characters a reader cannot see: whitespace, control characters (C0, DEL, C1), format characters and other
 * default-ignorable code points (zero-width space / joiners, word joiner, BOM, soft hyphen, bidi marks, variation
 * selectors, tags), and the blank letters (Hangul fillers, braille blank). Written out, not as \p{…} classes, so
 * the mini-program's transpiled bundle stays small.
 */
const INVISIBLE =
  '\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u200b-\\u200f' +
  '\\u202a-\\u202e\\u2060-\\u206f\\u2800\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\ufff0-\\ufff8\\u{1d173}-\\u{1d17a}\\u{e0000}-\\u{e0fff}';
// The class lists joiners and variation selectors on purpose, each as a code point of its own (the `u` flag):
// matching them alone is the point, so the lint rule against "combined characters" in a class does not apply.
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE_EDGES = new RegExp(`^[${INVISIBLE}]+|[${INVISIBLE}]+$`, 'gu');
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE_ALL = new RegExp(`[${INVISIBLE}]`, 'gu');

/** The text without invisible characters at either end; '' when nothing visible is left (issue 7: a title of
 * zero-width spaces is no title). Every text field of every schema goes through this, inside `cleanText`. */
export function visibleText(s: string): string {
  return s.replace(INVISIBLE_ALL, '') === '' ? '' : s.replace(INVISIBLE_EDGES, '');
}

/** The bidirectional controls: embeddings and overrides (U+202A–202E), isolates (U+2066–2069), the LRM/RLM marks
 * (U+200E/200F) and the Arabic letter mark (U+061C). An override makes a message read backwards to whoever it reaches
 * (issue 19); nothing a resident, member or organiser types here needs one. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/gu;

/**
 * THE text rule (issue 19 item 5), one function for every free-text field of every event: bidi controls removed
 * wherever they are, then invisible characters cut at both ends; '' when nothing visible is left (a required text is
 * then refused as empty, an optional one counts as not given). Every schema builds its text fields with `text` /
 * `optionalText` below (tests/core/validation.test.ts walks every exported schema to hold that).
 */
export function cleanText(s: string): string {
  return visibleText(s.replace(BIDI_CONTROLS, ''));
}

/** A required free-text field of at most `max` characters (after cleanText). */
export const text = (max: number) =>
  v.pipe(v.string('请填写文字'), v.transform(cleanText), v.minLength(1, '不能为空'), v.maxLength(max, `不能超过 ${max} 个字`));
/** An optional free-text field of at most `max` characters (after cleanText; nothing visible: not given). */
export const optionalText = (max: number) =>
  v.optional(v.pipe(v.string('请填写文字'), v.transform(cleanText), v.maxLength(max, `不能超过 ${max} 个字`)));

export const Id = v.pipe(v.string('格式不对'), v.regex(/^[A-Za-z0-9_-]{1,64}$/, '格式不对'));
/** 心愿编号 as typed (issue 22, numbers.ts). */
export const WishNo = v.pipe(
  v.string('请填写心愿编号'),
  v.transform((s) => normaliseWishNo(s) ?? ''),
  v.regex(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/, '心愿编号是 8 位字母和数字，如 7K3M-9QXA'),
);
/** 心愿卡号 as typed (numbers.ts). */
export const CardNo = v.pipe(
  v.string('请填写心愿卡号'),
  v.transform((s) => normaliseCardNo(s) ?? ''),
  v.regex(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/, '心愿卡号是 12 位字母和数字'),
);
export const Day = v.pipe(v.string('请选择日期'), v.check(isCalendarDay, '请选择正确的日期（年-月-日）'));
/**
 * A phone number as people write it: "138 0013 8000", "138-0013-8000", "+86 138…", a landline with its area
 * code "0731-12345678" or "(0731)12345678". Stored as digits only (13800138000, 073112345678), so the
 * server, the duplicate check and the claimer's dial button all see one form.
 */
export function normalisePhone(s: string): string {
  const digits = s.replace(/[\s\-－—–()（）]/g, '');
  return /^(?:\+86|0086)1\d{10}$/.test(digits) ? digits.replace(/^(?:\+86|0086)/, '') : digits;
}
export const PHONE_MESSAGE = '请填写 11 位手机号，或带区号的固定电话（如 0731-12345678）';
export const Phone = v.pipe(
  v.string('请填写电话号码'),
  v.transform(normalisePhone),
  v.minLength(1, '不能为空'),
  // Mobile: 1 + 10 digits. Landline: 0 + area code (2–3 more digits) + 7–8 digits = 10–12 digits.
  v.regex(/^(1\d{10}|0\d{9,11})$/, PHONE_MESSAGE),
);
const RequestId = v.optional(Id);
const Cursor = v.optional(v.pipe(v.string('格式不对'), v.maxLength(200, '格式不对')));
const Limit = v.optional(v.pipe(v.number('请填写数字'), v.integer('请填写整数'), v.minValue(1, '至少 1 条'), v.maxValue(20, '最多 20 条')));
const FileId = v.pipe(v.string('格式不对'), v.regex(/^cloud:\/\/[\w.\-/]{1,300}$/, '照片地址格式不对'));
const Photos = v.optional(v.pipe(v.array(FileId, '格式不对'), v.maxLength(9, '最多 9 张照片')));

const wish = { wishId: Id, requestId: RequestId };

export const CollectEvent = v.object({
  title: text(40),
  content: text(500),
  contactName: text(20),
  contactPhone: Phone,
  address: text(100),
  channel: v.optional(v.picklist(['card', 'box', 'hotline', 'visit', 'survey', 'forum'], '请选择收集渠道')),
  orgId: v.optional(Id),
  photos: Photos,
  requestId: RequestId,
  /** 代录 from a returned paper card (channel 心愿卡): its number, linked at collect (issue 22). */
  cardNo: v.optional(CardNo),
  sensitive: v.optional(v.object({ health: optionalText(200), disability: optionalText(200), income: optionalText(200) }, '格式不对')),
});

export const RegisterEvent = v.pipe(
  v.object({
    ...wish,
    decision: v.optional(v.picklist(['accept', 'reject'], '请选择受理或不予受理')),
    category: v.optional(text(20)),
    track: v.optional(v.picklist(['individual', 'common', 'hard', 'deferred'], '请选择办理方式')),
    summary: optionalText(200),
    /** The public title (issue 22): what the board and everyone but the resident's own circle read as the heading. */
    publicTitle: optionalText(40),
    reason: optionalText(200),
    reviewOn: v.optional(Day),
    urgent: v.optional(v.boolean('格式不对')),
  }),
  // The cross-field rules of registration, checked with the rest of the event (before any database call).
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const e = dataset.value;
    const missing = (field: string, message: string) => addIssue({ message: `${FIELD_LABEL[field]}：${message}` });
    if (e.decision === 'reject') {
      if (!e.reason) missing('reason', '请写明不予受理的原因，居民会看到');
    } else if (!e.track) missing('track', '请选择办理方式');
    else if (e.track === 'deferred') {
      if (!e.reason) missing('reason', '请写明暂缓办理的原因，居民会看到');
      else if (!e.reviewOn) missing('reviewOn', '请选择复核日期');
    } else if (!e.category) missing('category', '请选择分类');
  }),
);
export const WishOnlyEvent = v.object(wish);
export const ClaimEvent = v.object({ ...wish, promisedBy: Day });
export const AssignEvent = v.object({
  ...wish,
  kind: v.picklist(['org', 'leader'], '请选择指派给组织还是领导'),
  assignee: text(40),
  promisedBy: Day,
});
export const ReleaseEvent = v.object({ ...wish, reason: text(200) });
export const FulfilEvent = v.object({
  ...wish,
  note: text(500),
  photos: v.optional(v.pipe(v.array(FileId, '格式不对'), v.maxLength(9, '最多 9 张照片'))),
});
export const FeedbackEvent = v.object({
  ...wish,
  satisfaction: v.picklist(SATISFACTIONS, '请选择满意、基本满意或不满意'),
  comment: optionalText(200),
});
export const CloseOutEvent = v.object({ ...wish, note: optionalText(200) });
export const WithdrawEvent = v.object({ ...wish, reason: optionalText(200) });

export const BoardEvent = v.object({ cursor: Cursor, limit: Limit, category: v.optional(text(20)), orgId: v.optional(Id) });
/** With scope `claimed`, `view` narrows the member's claims: `open` (in hand: claimed, fulfilled) or `done`
 * (the record of what they have done: reviewed and closed wishes, which stay findable after close-out). */
export const MY_CLAIM_VIEWS = ['open', 'done'] as const;
export const MyWishesEvent = v.object({
  scope: v.optional(v.picklist(['posted', 'claimed'], '格式不对')),
  view: v.optional(v.picklist(MY_CLAIM_VIEWS, '格式不对')),
  cursor: Cursor,
  limit: Limit,
});
/** A status, or one of the stock views (src/core/stockLists.ts): exactly the wishes a workbench stock tile counts —
 * `overdue`, `dueSoon`, `onTrack`, `open`, `staleCollected`, `stalePublished`, `extension`, `held`. */
export const ORG_WISH_FILTERS = [...STATUSES, ...STOCK_VIEWS] as const;
/** `counts: true` also answers how many wishes each ledger view holds (`OrgCounts`), for the status chips. */
export const OrgWishesEvent = v.object({
  status: v.optional(v.picklist(ORG_WISH_FILTERS, '格式不对')),
  cursor: Cursor,
  limit: Limit,
  counts: v.optional(v.boolean('格式不对')),
  /** One organisation of the caller's subtree (and its own subtree), e.g. a row of the workbench's unit table. */
  orgId: v.optional(Id),
  /** A China-time day, month or year: with a flow `status` (PERIOD_STEPS), the wishes that took that step in it. */
  period: v.optional(v.pipe(v.string('格式不对'), v.regex(PERIOD_PATTERN, '时间段：格式不对'))),
  /** 心愿编号: the one wish of that number in the caller's subtree (none if it is not there). */
  wishNo: v.optional(WishNo),
});
/** 督办台 workbench: the figures of one organisation of the caller's subtree (default: the caller's own). */
export const WorkbenchEvent = v.object({ orgId: v.optional(Id) });
/** 公开栏 publicResults: one organisation's public figures (default: the root of the tree) and its recently closed wishes. */
export const PublicResultsEvent = v.object({ orgId: v.optional(Id) });
/** The ledger's counts: one per status and one per stock view (`held`: collected, waiting for moderation). */
export type OrgCounts = Record<(typeof ORG_WISH_FILTERS)[number], number>;
export const EmptyEvent = v.object({});

// Issue 3: the side paths of the journeys.
export const ExtendEvent = v.object({ ...wish, until: Day, reason: text(200) });
export const AnswerExtensionEvent = v.object({ ...wish, approve: v.boolean('请选择同意或不同意'), note: optionalText(200) });
export const ProgressEvent = v.object({ ...wish, note: text(500), photos: Photos });
export const ReassignEvent = v.pipe(
  v.object({
    ...wish,
    reason: text(200),
    kind: v.optional(v.picklist(['org', 'leader'], '请选择指派给组织还是领导')),
    assignee: v.optional(text(40)),
    promisedBy: v.optional(Day),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const e = dataset.value;
    const given = [e.kind, e.assignee, e.promisedBy].filter((x) => x !== undefined).length;
    if (given > 0 && given < 3) addIssue({ message: '改派给组织或领导时，请同时填写指派类型、领办对象和承诺日期' });
  }),
);
export const ReopenEvent = v.object({ ...wish, reason: text(200) });
/** 留言: the resident and the member holding her wish write to each other through the app (issue 7). */
export const MessageEvent = v.object({ ...wish, note: text(200) });
/** 催办: an organiser chases the claimer of a claimed wish, with an optional word. */
export const ChaseEvent = v.object({ ...wish, note: optionalText(200) });
/** `{wishId}` publishes one wish; `{wishIds}` (1..20) publishes a batch and reports each failure. */
export const PublishEvent = v.pipe(
  v.object({
    wishId: v.optional(Id),
    /** The public summary, confirmed while publishing one wish (a wish without one is refused: WISH.NO_SUMMARY). */
    summary: optionalText(200),
    /** The public title, confirmed with the summary while publishing one wish. */
    publicTitle: optionalText(40),
    wishIds: v.optional(v.pipe(v.array(Id, '格式不对'), v.minLength(1, '至少选择 1 个心愿'), v.maxLength(20, '一次最多发布 20 个心愿'))),
    requestId: RequestId,
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const e = dataset.value;
    if ((e.wishId === undefined) === (e.wishIds === undefined)) addIssue({ message: '心愿编号：请选择要发布的心愿' });
    else if (e.wishIds !== undefined && e.summary) addIssue({ message: '公开摘要：批量发布时不能填写摘要，请逐个确认' });
    else if (e.wishIds !== undefined && e.publicTitle) addIssue({ message: '公开标题：批量发布时不能填写标题，请逐个确认' });
  }),
);
export const DuplicatesEvent = v.object({ wishId: Id });
export const NotificationsEvent = v.object({ cursor: Cursor, limit: Limit });
export const MarkReadEvent = v.object({
  ids: v.pipe(v.array(Id, '格式不对'), v.minLength(1, '至少 1 条'), v.maxLength(50, '一次最多 50 条')),
});
/** photoUpload: where a photo about to be uploaded goes. `collect` before the wish exists (no wishId); `progress`
 * and `fulfil` for a wish the caller is working on. */
export const PHOTO_PURPOSES = ['collect', 'progress', 'fulfil'] as const;
export type PhotoPurpose = (typeof PHOTO_PURPOSES)[number];
/** Whether an action carries photos (the runner accepts photos only on these; photoUpload issues places for them). */
export const isPhotoPurpose = (t: string): t is PhotoPurpose => (PHOTO_PURPOSES as readonly string[]).includes(t);
export const PhotoUploadEvent = v.pipe(
  v.object({
    purpose: v.picklist(PHOTO_PURPOSES, '格式不对'),
    wishId: v.optional(Id),
    ext: v.picklist(['jpg', 'jpeg', 'png', 'webp', 'gif'], '只能上传 jpg、png、webp 或 gif 图片'),
  }),
  v.check((e) => (e.purpose === 'collect') === (e.wishId === undefined), '心愿编号：发布心愿时不填，进展和落实时必填'),
);
export const FileUrlsEvent = v.object({
  fileIds: v.pipe(v.array(FileId, '格式不对'), v.minLength(1, '至少 1 张'), v.maxLength(20, '一次最多 20 张')),
});

/**
 * WeChat's verdict for a `security.mediaCheckAsync` submission, pushed (message push, 消息推送) to the
 * mediaCheckResult function: `{ ToUserName, FromUserName, CreateTime, MsgType: 'event', Event: 'wxa_media_check',
 * appid, trace_id, version: 2, result: { suggest, label }, detail: [{ strategy, errcode, suggest, label, prob }] }`.
 * `label` arrives as a number or a numeric string (both seen in WeChat's forum), `version` as 2 or "2".
 */
/** Built on first use, not at import: the pages import this module too, and a schema built at the top level
 * would stay in the mini-program's main package (over its 400 KB budget) although no page reads it. */
function buildMediaCheckPushEvent() {
  const MediaSuggest = v.picklist(['pass', 'review', 'risky'], '格式不对');
  const MediaLabel = v.optional(
    v.union(
      [v.pipe(v.number('格式不对'), v.integer('格式不对')), v.pipe(v.string('格式不对'), v.regex(/^\d{1,9}$/, '格式不对'))],
      '格式不对',
    ),
  );
  return v.object({
    MsgType: v.literal('event', '不是事件推送'),
    Event: v.literal('wxa_media_check', '不是内容安全检测结果'),
    trace_id: Id,
    version: v.optional(v.union([v.literal(2), v.literal('2')], '格式不对')),
    appid: v.optional(v.pipe(v.string('格式不对'), v.maxLength(64, '格式不对'))),
    ToUserName: v.optional(v.pipe(v.string('格式不对'), v.maxLength(64, '格式不对'))),
    FromUserName: v.optional(v.pipe(v.string('格式不对'), v.maxLength(64, '格式不对'))),
    CreateTime: v.optional(v.number('格式不对')),
    result: v.object({ suggest: MediaSuggest, label: MediaLabel }, '格式不对'),
    detail: v.optional(
      v.pipe(
        v.array(
          v.object({
            strategy: v.optional(v.pipe(v.string('格式不对'), v.maxLength(64, '格式不对'))),
            errcode: v.optional(v.number('格式不对')),
            suggest: v.optional(MediaSuggest),
            label: MediaLabel,
            prob: v.optional(v.number('格式不对')),
          }),
          '格式不对',
        ),
        v.maxLength(20, '格式不对'),
      ),
    ),
  });
}
let mediaCheckPush: ReturnType<typeof buildMediaCheckPushEvent> | undefined;
export function mediaCheckPushEvent(): ReturnType<typeof buildMediaCheckPushEvent> {
  mediaCheckPush ??= buildMediaCheckPushEvent();
  return mediaCheckPush;
}
export type MediaCheckPush = v.InferOutput<ReturnType<typeof buildMediaCheckPushEvent>>;

export type CollectInput = v.InferOutput<typeof CollectEvent>;
export type RegisterInput = v.InferOutput<typeof RegisterEvent>;
type Schema = v.GenericSchema<unknown, unknown>;

/** Validate an event (any object; unknown keys dropped). The failure message names the field in Chinese. */
/**
 * Every field's first problem, by field name (the event's own keys; a nested field by its outer key), with
 * the bare message ("不能为空"): a form shows each next to its field under the label the person sees.
 * Empty when the event is valid. Problems that belong to no one field (cross-field rules) are under ''.
 */
export function fieldIssues<S extends Schema>(schema: S, event: object): Record<string, string> {
  const r = v.safeParse(schema, event);
  const out: Record<string, string> = {};
  if (r.success) return out;
  for (const issue of r.issues) {
    const key = issue.path?.[0] ? String(issue.path[0].key) : '';
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

export function parseEvent<S extends Schema>(schema: S, event: unknown): { ok: true; value: v.InferOutput<S> } | Failure {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return fail('INPUT.INVALID', '请求格式不对');
  const r = v.safeParse(schema, event);
  if (r.success) return { ok: true, value: r.output as v.InferOutput<S> };
  // A nested field is named by its own label where it has one (sensitive.health → 健康状况), else by the outer key.
  const keys = (r.issues[0].path ?? []).map((p) => String(p.key));
  return invalid(
    [...keys].reverse().find((k) => Object.prototype.hasOwnProperty.call(FIELD_LABEL, k)) ?? keys[0] ?? '',
    r.issues[0].message,
  );
}

function invalid(field: string, message: string): Failure {
  const label = FIELD_LABEL[field];
  return fail('INPUT.INVALID', label ? `${label}：${message}` : message);
}

/** A validated register event as a lifecycle command (the schema has checked the cross-field rules). */
export function registerCommand(e: RegisterInput, categories: readonly string[]): Command {
  if (e.decision === 'reject') return { type: 'reject', reason: e.reason ?? '' };
  if (e.track === 'deferred') return { type: 'defer', reason: e.reason ?? '', reviewOn: e.reviewOn ?? '', category: e.category };
  return {
    type: 'register',
    category: e.category ?? '',
    track: e.track ?? 'individual',
    summary: e.summary,
    publicTitle: e.publicTitle,
    categories,
    urgent: e.urgent,
  };
}

// ---------------------------------------------------------------------------
// Trust: consent, membership, moderation, audit, retention, own data (issue 4).
// ---------------------------------------------------------------------------
Object.assign(FIELD_LABEL, {
  sensitive: '敏感信息',
  health: '健康状况',
  disability: '残疾情况',
  income: '经济困难',
  notice: '告知书',
  version: '告知书版本',
  code: '邀请码',
  name: '姓名',
  openid: '用户',
  approve: '审核决定',
  role: '角色',
  confirm: '确认',
  Type: '触发类型',
  actorId: '操作人',
  action: '操作',
  ofAction: '操作',
});

const Version = v.pipe(v.string('格式不对'), v.regex(/^\d{4}-\d{2}-\d{2}$/, '格式不对'));
const InviteCode = v.pipe(v.string('请填写邀请码'), v.trim(), v.regex(/^[A-Z0-9]{8}$/, '邀请码是 8 位字母或数字'));

/** Accept the privacy notice (`main`) or, separately, the sensitive-details notice; version must be current. */
export const ConsentEvent = v.object({
  notice: v.picklist(['main', 'sensitive'], '请选择告知书'),
  version: Version,
  requestId: RequestId,
});
/** Residents join a community without approval; party members join with an invitation code and their name. */
export const JoinEvent = v.union(
  [v.object({ code: InviteCode, name: text(20), requestId: RequestId }), v.object({ orgId: Id, requestId: RequestId })],
  '请选择社区，或填写邀请码和姓名',
);
export const InviteEvent = v.object({ orgId: v.optional(Id), requestId: RequestId });
export const ConfirmMemberEvent = v.object({ openid: Id, approve: v.boolean('请选择通过或不通过'), requestId: RequestId });
export const AppointEvent = v.object({ openid: Id, orgId: Id, name: text(20), requestId: RequestId });
export const ModerateEvent = v.object({
  wishId: Id,
  approve: v.boolean('请选择通过或不通过'),
  reason: optionalText(200),
  requestId: RequestId,
});
export const ModerationQueueEvent = v.object({ cursor: Cursor, limit: Limit });
/** The audit log, optionally only one person's entries (`actorId`), one wish's (`wishId`) or one action's (`ofAction`: not
 * `action`, which names the operation of the `reports` function that serves it, src/core/functions.ts). */
export const AuditEvent = v.object({
  cursor: Cursor,
  limit: Limit,
  actorId: v.optional(Id),
  wishId: v.optional(Id),
  ofAction: v.optional(v.pipe(v.string('格式不对'), v.regex(/^[A-Za-z]{1,30}(\.[A-Za-z]{1,30})?$/, '格式不对'))),
});
export const PendingMembersEvent = v.object({ cursor: Cursor, limit: Limit });
/** The branch's current party members (organisers: their subtree's), with how many claims each has open. */
export const BranchMembersEvent = v.object({ cursor: Cursor, limit: Limit });
/** Remove a member who has left: back to a resident; their open claims go back to the board. */
export const RemoveMemberEvent = v.object({ openid: Id, reason: text(200), requestId: RequestId });
export const DeleteMyDataEvent = v.object({ confirm: v.literal(true, '请确认删除'), requestId: RequestId });
/** The timer trigger's event ({ Type: 'Timer', TriggerName, Time }); extra keys ignored. */
export const PurgeEvent = v.object({ Type: v.optional(v.literal('Timer', '格式不对')) });

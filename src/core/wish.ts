/**
 * The micro-wish lifecycle, in one file.
 *
 *   collect → register → publish → claim → fulfil → feedback → close-out
 *   (收集)    (登记)     (发布)     (领办)   (落实)    (反馈)      (销号)
 *
 * `nextState(wish, command, actor, now)` is a pure function: it returns the next wish
 * (version + 1, one timeline entry appended) or a Failure with a stable code, and never
 * touches storage. `transition` (effects.ts) adds what the step implies besides the wish — audit
 * entries, notices, counter deltas — and cloud functions store both with one conditional update.
 *
 * This module imports nothing from Taro, CloudBase or storage (enforced by dependency-cruiser).
 */
import { fail, type Failure } from './errors';
import { addDays, chinaDate, clause, monthDay } from './dates';

export const STATUSES = [
  'collected', // 已收集: entered, waiting for an organiser to register it
  'registered', // 已登记: on the ledger, category and track decided
  'published', // 已发布: on the claim board of its organisation
  'claimed', // 已领办: a member claimed it (or an organisation / leader was assigned)
  'fulfilled', // 已落实: the claimer recorded what was done
  'reviewed', // 已反馈: the resident (or a call-back) said it was satisfactory
  'closed', // 已销号: struck off the ledger
  'rejected', // 未受理: refused at registration, with a reason the resident reads
  'deferred', // 暂缓办理: not feasible now, in the pending archive until its re-review date
  'withdrawn', // 已撤回: the resident withdrew it before anyone claimed it
] as const;
export type Status = (typeof STATUSES)[number];

export const TRACKS = ['individual', 'common', 'hard', 'deferred'] as const;
export type Track = (typeof TRACKS)[number];

export const ROLES = ['resident', 'member', 'organiser'] as const;
export type Role = (typeof ROLES)[number];

/** How the wish reached us. `app` = the resident posted it in the mini-program. */
export const CHANNELS = ['app', 'card', 'box', 'hotline', 'visit', 'survey', 'forum'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SATISFACTIONS = ['satisfied', 'basically', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

export const DEFAULT_CATEGORIES = ['生活帮扶', '助学圆梦', '医疗健康', '精神慰藉', '就业创业', '其他'] as const;

/** A promised completion date may be at most this many days ahead (and not in the past). */
export const MAX_PROMISE_DAYS = 90;
/** A deferred wish must be re-reviewed within this many days. */
export const MAX_DEFER_DAYS = 366;
/** Open claims (status claimed) a member may hold at once, unless the organisation sets `maxOpenClaims`. */
export const DEFAULT_MAX_OPEN_CLAIMS = 3;

/** The most open claims a member of `org` may hold: its `maxOpenClaims` (a positive integer), else the default. */
export function maxOpenClaims(org: { maxOpenClaims?: unknown } | null | undefined): number {
  const n = org?.maxOpenClaims;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : DEFAULT_MAX_OPEN_CLAIMS;
}

/** Whether a claim is within the limit by its wish's place in the member's list of open claims (ids appended in the
 * order their claims reserved them, server/claimSlots.ts): among the first `limit`. */
export function withinClaimLimit(ids: readonly string[], wishId: string, limit: number): boolean {
  const at = ids.indexOf(wishId);
  return at >= 0 && at < limit;
}

/** Whether the claim on `w` was chased on the China day of `now` (催办 once a day per wish, TABLE.chase). */
export function chasedToday(w: { timeline?: ReadonlyArray<{ action: string; at: string }> }, now: Date): boolean {
  const today = chinaDate(now);
  return (w.timeline ?? []).some((e) => e.action === 'chase' && chinaDate(e.at) === today);
}

/** The refusal of a claim by a member who already holds `open` claims of at most `limit`. */
export function claimLimitReached(open: number, limit: number): Failure {
  return fail('CLAIM.LIMIT_REACHED', `您已有 ${open} 个未完成的认领（最多 ${limit} 个），请先完成或放弃一个再认领`);
}

/** Who is acting: always derived on the server from the platform identity, never from the event. */
export interface Actor {
  id: string; // WeChat openid
  role: Role;
  orgId: string | null;
  /** Organisations this actor may act on besides `orgId`, loaded on the server (server/store.ts loadActor):
   * an organiser's whole subtree; a member's boards (their own organisation, and its parent where configured). */
  scope?: readonly string[];
  /** The display name and organisation name the server knows (users.name, orgs.name): a claim records them so the
   * resident and organisers know who is coming (issue 7). Never taken from the event. */
  name?: string;
  orgName?: string;
  /** A member's open claims and the most they may hold (the organisation's maxOpenClaims, or DEFAULT_MAX_OPEN_CLAIMS),
   * when known: the table refuses a claim at the limit. The server does not pass it: it reserves a slot on the member's
   * record with a conditional update before the claim is stored (server/claimSlots.ts), and refuses with
   * `claimLimitReached` when none is left. */
  claims?: { open: number; limit: number };
}

/** Whether `orgId` is within the actor's organisation scope (own organisation or `scope`). */
export function inScope(actor: Actor, orgId: string): boolean {
  return actor.orgId === orgId || (actor.scope?.includes(orgId) ?? false);
}

/** Held by the content check and still waiting for an organiser's decision (moderate; the moderationQueue query). */
export function awaitsModeration(wish: Pick<Wish, 'status' | 'moderation'>): boolean {
  return wish.moderation?.state === 'review' && wish.status === 'collected';
}

/** The organisations whose wishes the actor's lists cover: the scope, or the own organisation when no scope was loaded. */
export function scopeIds(actor: Actor): readonly string[] {
  return actor.scope?.length ? actor.scope : actor.orgId ? [actor.orgId] : [];
}

export interface Contact {
  name: string;
  phone: string;
  address: string;
}

export interface TimelineEntry {
  status: Status; // the status the wish has after this entry
  action: TimelineAction;
  at: string; // UTC ISO
  actorRole: Role | 'system'; // 'system': the platform's content check (a photo removed), no person

  actorId: string;
  note: string;
  callback?: boolean; // feedback recorded by an organiser on a follow-up call (回访)
  // The facts the supervision figures count (figures.ts), kept on the entry since the wish's own fields change later:
  category?: string; // register: the category decided
  track?: Track; // register: the track decided
  promisedBy?: string; // fulfil: the promised date it was measured against (on time or late)
  satisfaction?: Satisfaction; // feedback: the answer given
  photos?: string[]; // progress photos (evidence: shown only in private views)
  requestId?: string;
}

/** A claimer's request to move the promised date; the organiser approves or refuses it. */
export interface Extension {
  until: string; // YYYY-MM-DD
  reason: string;
  at: string;
  state: 'pending' | 'approved' | 'refused';
}

export interface Claim {
  kind: 'member' | 'org' | 'leader';
  memberId: string | null; // the claiming member's openid (kind = member)
  assignee: string | null; // the organisation or leader assigned (kind = org | leader)
  promisedBy: string; // YYYY-MM-DD, China time
  at: string;
  extension?: Extension | null; // the latest extension request, if any
  /** Who holds a member's claim, as the resident and organisers see it: name and branch, resolved on the server. */
  member?: ClaimerDisplay | null;
}

export interface ClaimerDisplay {
  name: string;
  orgName: string;
}

/** "李明（幸福里党支部）", or "" when the server knew no name. */
export function claimerLabel(m: { name?: string; orgName?: string } | null | undefined): string {
  if (!m?.name) return '';
  return m.orgName ? `${m.name}（${m.orgName}）` : m.name;
}

export interface Wish {
  _id: string;
  version: number;
  status: Status;
  orgId: string;
  title: string;
  content: string;
  summary: string; // the public text the claim board shows: '' until an organiser confirms one (publish needs it)
  /** The public title (issue 22): the heading everyone but the resident, organisers and the active claimer reads,
   * confirmed by an organiser at register or publish. Wishes stored before it existed (or registered without one)
   * lack it: they show a neutral title from their category (privacy.ts publicTitleOf), never `title`. */
  publicTitle?: string;
  category: string | null;
  track: Track | null;
  channel: Channel;
  residentId: string | null; // the resident who follows it in the app (null: entered for someone without the app)
  contact: Contact; // personal data: see privacy.ts
  enteredBy: { role: Role; id: string };
  claim: Claim | null;
  fulfilment: { note: string; photos: string[]; at: string } | null;
  feedback: { satisfaction: Satisfaction; comment: string; at: string; callback: boolean } | null;
  reason: string | null; // the latest explanation the resident reads (rejection, deferral, release, withdrawal)
  reviewOn: string | null; // deferred wishes: YYYY-MM-DD to look at it again
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  /** When it entered its current status (UTC ISO): stamped by `collect` and by `nextState` whenever the status
   * changes, so a claim released back to the board restarts its wait (publishedAt does not move). The stale-queue
   * lists (待登记超过3天, 待认领超过7天: src/core/stockLists.ts) walk an index on it. Always `statusSince(wish)`;
   * wishes stored before it existed lack it until their next transition or the nightly reconcile fills it in. */
  statusAt?: string;
  /** When it was last registered (the workbench's 登记 tile lists by it: src/core/periodLists.ts). */
  registeredAt?: string | null;
  closedAt: string | null;
  timeline: TimelineEntry[];
  /** Content check: `review` holds the wish for an organiser's moderation queue (never published automatically). */
  moderation?: { state: 'review' | 'approved'; reason: string; at: string; by?: string } | null;
  /** Sensitive details (health, disability, income): stored only with the caller's separate consent; private. */
  sensitive?: { health?: string; disability?: string; income?: string } | null;
  /** Set when the retention purge erased the personal fields (statistics fields stay). */
  purgedAt?: string | null;
  urgent?: boolean; // 紧急: set at registration; the board shows urgent wishes first
  /** The board's sort key, set on publish: "1|<publishedAt>" for urgent wishes, "0|<publishedAt>" otherwise. */
  boardRank?: string | null;
  photos?: string[]; // photos the resident attached when posting (private, like the contact)
  /** The paper wish card (心愿卡) or receipt linked to this wish (issue 11): its holder follows it by QR code and
   * gives feedback with the card's PIN. */
  cardNo?: string | null;
  /** 心愿编号 (issue 22): the short number organisers read and type (src/core/cards.ts), given at collect. Wishes
   * stored before it existed have none. */
  wishNo?: string;
}

export type Command =
  | {
      type: 'register';
      category: string;
      track: 'individual' | 'common' | 'hard';
      summary?: string;
      publicTitle?: string;
      categories?: readonly string[];
      urgent?: boolean;
    }
  | { type: 'defer'; reason: string; reviewOn: string; category?: string }
  | { type: 'reject'; reason: string }
  | { type: 'revive' }
  | { type: 'publish'; summary?: string; publicTitle?: string }
  | { type: 'assign'; kind: 'org' | 'leader'; assignee: string; promisedBy: string }
  | { type: 'claim'; promisedBy: string }
  | { type: 'release'; reason: string }
  | { type: 'fulfil'; note: string; photos?: string[] }
  | { type: 'feedback'; satisfaction: Satisfaction; comment?: string }
  | { type: 'closeOut'; note?: string }
  | { type: 'withdraw'; reason?: string }
  | { type: 'extend'; until: string; reason: string }
  | { type: 'answerExtension'; approve: boolean; note?: string }
  | { type: 'progress'; note: string; photos?: string[] }
  | { type: 'reassign'; reason: string; kind?: 'org' | 'leader'; assignee?: string; promisedBy?: string }
  | { type: 'reopen'; reason: string }
  | { type: 'message'; note: string }
  | { type: 'chase'; note?: string };
export type ActionType = Command['type'];
/** What a timeline entry records: a lifecycle action, the posting, or the system removing a photo that failed
 * WeChat's asynchronous media check (trust.ts removePhoto). */
export type TimelineAction = ActionType | 'collect' | 'photoRemoved';
type CommandOf<T extends ActionType> = Extract<Command, { type: T }>;

// ---------------------------------------------------------------------------
// Guards: who may act on a wish.
// ---------------------------------------------------------------------------
type Guard = (wish: Wish, actor: Actor) => boolean;
const organiserOfWish: Guard = (w, a) => a.role === 'organiser' && inScope(a, w.orgId);
const memberOfWishOrg: Guard = (w, a) => a.role === 'member' && inScope(a, w.orgId);
const owner: Guard = (w, a) => w.residentId !== null && w.residentId === a.id;
/** The holder of the wish's paper card, who proved it with the card's PIN (server/cards.ts): feedback only. */
const cardHolder: Guard = (w, a) => a.role === 'resident' && Boolean(w.cardNo) && a.id === cardHolderId(w.cardNo!);
/** The actor id of whoever holds card `cardNo` and gave its PIN. */
export const cardHolderId = (cardNo: string) => `card:${cardNo}`;
const activeClaimer: Guard = (w, a) => a.role === 'member' && w.claim?.kind === 'member' && w.claim.memberId === a.id;
/** Assigned (common / hard) wishes are carried out by the organisation: its organisers record them. */
const organiserOfAssigned: Guard = (w, a) => organiserOfWish(w, a) && w.claim !== null && w.claim.kind !== 'member';

// ---------------------------------------------------------------------------
// The transition table. Each row: from which statuses, who may do it, the status it leads to,
// an optional extra check, the fields it changes and the timeline note it writes.
// ---------------------------------------------------------------------------
interface Rule<T extends ActionType> {
  from: readonly Status[];
  who: readonly Guard[]; // any of these
  to: Status | ((wish: Wish, cmd: CommandOf<T>) => Status);
  check?: (wish: Wish, cmd: CommandOf<T>, now: Date, actor: Actor) => Failure | null;
  apply?: (wish: Wish, cmd: CommandOf<T>, actor: Actor, at: string) => Partial<Wish>;
  note: (wish: Wish, cmd: CommandOf<T>, now: Date, actor: Actor) => string;
  entry?: (wish: Wish, cmd: CommandOf<T>) => Partial<TimelineEntry>; // extra timeline fields
}

export const TABLE: { [T in ActionType]: Rule<T> } = {
  register: {
    from: ['collected'],
    who: [organiserOfWish],
    to: 'registered',
    check: (_w, c) =>
      c.categories && !c.categories.includes(c.category) ? fail('INPUT.UNKNOWN_CATEGORY', `没有“${c.category}”这个分类`) : null,
    apply: (w, c, _a, at) => ({
      registeredAt: at,
      category: c.category,
      track: c.track,
      summary: c.summary?.trim() || w.summary,
      ...(c.publicTitle?.trim() ? { publicTitle: c.publicTitle.trim() } : {}),
      reason: null,
      urgent: c.urgent === true,
    }),
    note: (_w, c) => `登记为“${c.category}”，${TRACK_LABEL[c.track]}${c.urgent ? '，紧急' : ''}`,
    entry: (_w, c) => ({ category: c.category, track: c.track }),
  },
  defer: {
    from: ['collected'],
    who: [organiserOfWish],
    to: 'deferred',
    check: (_w, c, now) => dateWithin(c.reviewOn, now, 'review', '复核日期'),
    apply: (w, c) => ({ track: 'deferred', category: c.category ?? w.category, reason: c.reason, reviewOn: c.reviewOn }),
    note: (_w, c, now) => `暂不具备办理条件：${clause(c.reason)}。计划 ${day(c.reviewOn, now)}复核`,
  },
  reject: {
    from: ['collected'],
    who: [organiserOfWish],
    to: 'rejected',
    apply: (_w, c) => ({ reason: c.reason }),
    note: (_w, c) => `未受理：${c.reason}`,
  },
  revive: {
    from: ['deferred'],
    who: [organiserOfWish],
    to: 'collected',
    apply: () => ({ track: null, reviewOn: null, reason: null }),
    note: () => '从待办档案中重新启用，等待登记',
  },
  publish: {
    from: ['registered'],
    who: [organiserOfWish],
    to: 'published',
    // Never the resident's own words by default: the board shows only a summary an organiser confirmed (issue 7).
    check: (w, c) =>
      w.track !== 'individual'
        ? fail('WISH.WRONG_STATE', '共性问题和老大难问题需要指派，不在认领墙发布')
        : c.summary?.trim() || w.summary?.trim()
          ? null
          : fail('WISH.NO_SUMMARY'),
    apply: (w, c, _a, at) => ({
      publishedAt: at,
      boardRank: `${w.urgent ? 1 : 0}|${at}`,
      ...(c.summary?.trim() ? { summary: c.summary.trim() } : {}),
      ...(c.publicTitle?.trim() ? { publicTitle: c.publicTitle.trim() } : {}),
    }),
    note: () => '已发布到认领墙，等待党员认领',
  },
  assign: {
    from: ['registered'],
    who: [organiserOfWish],
    to: 'claimed',
    check: (w, c, now) =>
      w.track === 'common' || w.track === 'hard'
        ? dateWithin(c.promisedBy, now, 'promise', '办结日期')
        : fail('WISH.WRONG_STATE', '个人心愿请发布到认领墙，由党员认领'),
    apply: (_w, c, _a, at) => ({ claim: { kind: c.kind, memberId: null, assignee: c.assignee, promisedBy: c.promisedBy, at } }),
    note: (_w, c, now) => `已指派给${c.kind === 'org' ? '组织' : '领导'}“${c.assignee}”领办，承诺 ${day(c.promisedBy, now)}前完成`,
  },
  claim: {
    from: ['published'],
    who: [memberOfWishOrg],
    to: 'claimed',
    check: (_w, c, now, a) =>
      a.claims && a.claims.open >= a.claims.limit
        ? claimLimitReached(a.claims.open, a.claims.limit)
        : dateWithin(c.promisedBy, now, 'promise', '承诺完成日期'),
    apply: (_w, c, a, at) => ({
      claim: {
        kind: 'member',
        memberId: a.id,
        assignee: null,
        promisedBy: c.promisedBy,
        at,
        ...(a.name ? { member: { name: a.name, orgName: a.orgName ?? '' } } : {}),
      },
    }),
    note: (_w, c, now, a) => `党员${claimerLabel(a)}已认领，承诺 ${day(c.promisedBy, now)}前完成`,
  },
  release: {
    from: ['claimed'],
    who: [activeClaimer],
    to: 'published',
    apply: (_w, c) => ({ claim: null, fulfilment: null, reason: c.reason }),
    note: (_w, c) => `认领人放弃认领：${clause(c.reason)}。心愿重新回到认领墙`,
  },
  fulfil: {
    from: ['claimed'],
    who: [activeClaimer, organiserOfAssigned],
    to: 'fulfilled',
    apply: (_w, c, _a, at) => ({ fulfilment: { note: c.note, photos: c.photos ?? [], at } }),
    note: (_w, c) => `已落实：${c.note}`,
    entry: (w) => (w.claim ? { promisedBy: w.claim.promisedBy } : {}),
  },
  feedback: {
    from: ['fulfilled'],
    who: [owner, organiserOfWish, cardHolder],
    to: (_w, c) => (c.satisfaction === 'unsatisfied' ? 'claimed' : 'reviewed'),
    apply: (_w, c, a, at) => ({
      feedback: { satisfaction: c.satisfaction, comment: c.comment ?? '', at, callback: a.role === 'organiser' },
      ...(c.satisfaction === 'unsatisfied' ? { fulfilment: null } : {}),
    }),
    note: (_w, c) =>
      `${SATISFACTION_LABEL[c.satisfaction]}${c.comment ? `：${clause(c.comment)}` : ''}` +
      (c.satisfaction === 'unsatisfied' ? '。已退回认领人重新办理' : ''),
    entry: (_w, c) => ({ satisfaction: c.satisfaction }),
  },
  closeOut: {
    // Listed from claimed on so that a premature close-out says what is missing (evidence, then feedback);
    // availableActions offers it only once the wish is reviewed.
    from: ['claimed', 'fulfilled', 'reviewed'],
    who: [organiserOfWish],
    to: 'closed',
    check: (w) => closeOutProblem(w),
    apply: (_w, _c, _a, at) => ({ closedAt: at }),
    note: (_w, c) => `已销号${c.note ? `：${c.note}` : ''}`,
  },
  withdraw: {
    from: ['collected', 'registered', 'published', 'deferred'],
    who: [owner, organiserOfWish],
    to: 'withdrawn',
    // On the resident's behalf only with a reason she reads (and is told: notices.ts), never silently (issue 7).
    check: (w, c, _now, a) =>
      owner(w, a) || c.reason?.trim() ? null : fail('INPUT.INVALID', '原因：代居民撤回心愿时，请写明原因，居民会看到'),
    apply: (_w, c) => ({ reason: c.reason?.trim() || null }),
    note: (w, c, _now, a) =>
      owner(w, a) ? `心愿已撤回${c.reason?.trim() ? `：${c.reason.trim()}` : ''}` : `社区撤回了心愿：${c.reason?.trim() ?? ''}`,
  },
  extend: {
    from: ['claimed'],
    who: [activeClaimer],
    to: 'claimed',
    check: (w, c, now) =>
      w.claim?.extension?.state === 'pending'
        ? fail('WISH.WRONG_STATE', '已有一个延期申请在等待社区审批')
        : extensionProblem(w.claim?.promisedBy ?? '', c.until, now),
    apply: (w, c, _a, at) => ({ claim: { ...w.claim!, extension: { until: c.until, reason: c.reason, at, state: 'pending' } } }),
    note: (_w, c, now) => `申请延期至 ${day(c.until, now)}：${c.reason}`,
  },
  answerExtension: {
    from: ['claimed'],
    who: [organiserOfWish],
    to: 'claimed',
    check: (w) => (w.claim?.extension?.state === 'pending' ? null : fail('WISH.WRONG_STATE', '没有等待审批的延期申请')),
    apply: (w, c) => {
      const ext = w.claim!.extension!;
      return {
        claim: {
          ...w.claim!,
          promisedBy: c.approve ? ext.until : w.claim!.promisedBy,
          extension: { ...ext, state: c.approve ? 'approved' : 'refused' },
        },
      };
    },
    note: (w, c, now) =>
      (c.approve
        ? `社区同意延期，承诺 ${day(w.claim!.extension!.until, now)}前完成`
        : `社区未同意延期，仍需 ${day(w.claim!.promisedBy, now)}前完成`) + (c.note ? `：${c.note}` : ''),
  },
  progress: {
    from: ['claimed'],
    who: [activeClaimer, organiserOfAssigned],
    to: 'claimed',
    note: (_w, c) => `进展：${c.note}`,
    entry: (_w, c) => (c.photos?.length ? { photos: c.photos } : {}),
  },
  reassign: {
    from: ['claimed'],
    who: [organiserOfWish],
    // A member's claim goes back on the board; an assigned wish goes to the new organisation or leader.
    to: (w) => (w.claim?.kind === 'member' ? 'published' : 'claimed'),
    check: (w, c, now) =>
      w.claim?.kind === 'member'
        ? null
        : !c.kind || !c.assignee || !c.promisedBy
          ? fail('INPUT.INVALID', '改派请选择新的领办对象和承诺日期')
          : dateWithin(c.promisedBy, now, 'promise', '办结日期'),
    apply: (w, c, _a, at) =>
      w.claim?.kind === 'member'
        ? { claim: null, fulfilment: null, reason: c.reason }
        : { claim: { kind: c.kind!, memberId: null, assignee: c.assignee!, promisedBy: c.promisedBy!, at }, reason: c.reason },
    note: (w, c, now) =>
      w.claim?.kind === 'member'
        ? `社区收回认领：${clause(c.reason)}。心愿重新回到认领墙`
        : `改派给${c.kind === 'org' ? '组织' : '领导'}“${c.assignee}”领办，承诺 ${day(c.promisedBy!, now)}前完成：${c.reason}`,
  },
  // 留言: the resident and the member who holds her wish reach each other through the app (a notice to the other
  // side, notices.ts); the note is theirs and the organisers' only (privacy.ts). No phone number changes hands.
  message: {
    from: ['claimed'],
    who: [owner, activeClaimer],
    to: 'claimed',
    // A wish entered for someone without the app (hotline, card: no residentId) has nobody to read the claimer's note:
    // refused with the reason, so the member calls instead of waiting for an answer that never comes.
    check: (w, _c, _now, a) => (w.residentId === null && a.role !== 'resident' ? fail('WISH.NO_READER') : null),
    note: (_w, c) => `留言：${c.note}`,
  },
  // 催办: an organiser of the wish's organisation chases the claimer of a claim (e.g. an overdue one on the workbench's
  // red tile). Nothing changes but the timeline; the claimer gets the `chased` notice (notices.ts).
  chase: {
    from: ['claimed'],
    who: [organiserOfWish],
    to: 'claimed',
    // Once a China day per wish: a second chase the same day would only nag the claimer (issue 22).
    check: (w, _c, now) =>
      !w.claim
        ? fail('WISH.WRONG_STATE', '这个心愿没有领办人，无法催办')
        : chasedToday(w, now)
          ? fail('WISH.CHASED_TODAY', '今天已经催办过这个心愿了，每个心愿每天最多催办一次，明天再催吧')
          : null,
    note: (_w, c) => `社区催办${c.note?.trim() ? `：${clause(c.note)}` : ''}`,
  },
  reopen: {
    from: ['closed'],
    who: [organiserOfWish],
    to: 'claimed',
    check: (w) => (w.claim ? null : fail('WISH.WRONG_STATE', '这个心愿没有领办人，不能重新打开')),
    apply: (w, c) => ({ fulfilment: null, feedback: null, closedAt: null, reason: c.reason, claim: { ...w.claim!, extension: null } }),
    note: (_w, c) => `社区重新打开：${clause(c.reason)}。已退回领办人重新办理`,
  },
};

/** Why a wish may not be closed out yet: no record of what was done, or no feedback on it. */
function closeOutProblem(w: Wish): Failure | null {
  if (!w.fulfilment?.note?.trim()) return fail('WISH.NO_EVIDENCE');
  const fb = w.feedback;
  if (!fb || fb.satisfaction === 'unsatisfied' || fb.at < w.fulfilment.at) return fail('WISH.NO_FEEDBACK');
  return null;
}

/** A calendar day in a timeline note: "11月30日" (with the year when it is not this year, China time). */
function day(d: string, now: Date): string {
  return monthDay(d, chinaDate(now).slice(0, 4));
}

export interface NextState {
  ok: true;
  wish: Wish;
  entry: TimelineEntry;
}

/** The instant (UTC ISO) the wish entered its current status, read from the timeline: the first entry of its last
 * run of entries with the current status (the stock figures' `since:` days, figures.ts). What `statusAt` stores. */
export function statusSince(w: Pick<Wish, 'timeline'>): string {
  let j = w.timeline.length - 1;
  while (j > 0 && w.timeline[j - 1]!.status === w.timeline[j]!.status) j--;
  return w.timeline[Math.max(0, j)]!.at;
}

/** The one next-state function. Pure: same inputs, same answer; the input wish is never mutated.
 * `transition` (effects.ts) wraps it with the effects the step implies. */
export function nextState(wish: Wish, command: Command, actor: Actor, now: Date, requestId?: string): NextState | Failure {
  const rule = TABLE[command.type] as Rule<ActionType>;
  if (!rule) return fail('INPUT.INVALID', '未知的操作');
  const denied = permission(rule, wish, actor);
  if (denied) return denied;
  if (wish.moderation?.state === 'review' && command.type !== 'reject' && command.type !== 'withdraw') return fail('CONTENT.HELD');
  if (!rule.from.includes(wish.status)) {
    const taken = command.type === 'claim' && ['claimed', 'fulfilled', 'reviewed', 'closed'].includes(wish.status);
    return fail(
      taken ? 'WISH.ALREADY_CLAIMED' : 'WISH.WRONG_STATE',
      taken ? undefined : `心愿当前${STATUS_LABEL[wish.status]}，不能${ACTION_LABEL[command.type]}`,
    );
  }
  const problem = rule.check?.(wish, command, now, actor);
  if (problem) return problem;
  const at = now.toISOString();
  const status = typeof rule.to === 'function' ? rule.to(wish, command) : rule.to;
  const entry: TimelineEntry = {
    status,
    action: command.type,
    at,
    actorRole: actor.role,
    actorId: actor.id,
    note: rule.note(wish, command, now, actor),
    ...rule.entry?.(wish, command),
    ...(command.type === 'feedback' && actor.role === 'organiser' ? { callback: true } : {}),
    ...(requestId ? { requestId } : {}),
  };
  const next: Wish = {
    ...wish,
    ...rule.apply?.(wish, command, actor, at),
    status,
    // The one place a transition moves it: a new status starts now; the same status keeps its instant (read from the
    // timeline for a wish stored before the field existed).
    statusAt: status !== wish.status ? at : (wish.statusAt ?? statusSince(wish)),
    version: wish.version + 1,
    updatedAt: at,
    timeline: [...wish.timeline, entry],
  };
  return { ok: true, wish: next, entry };
}

/** Why `actor` may not take this action on this wish at all (independent of its status), or null. */
function permission(rule: Rule<ActionType>, wish: Wish, actor: Actor): Failure | null {
  if (rule.who.some((g) => g(wish, actor))) return null;
  const roleFits =
    (actor.role === 'organiser' && rule.who.some((g) => g === organiserOfWish || g === organiserOfAssigned)) ||
    (actor.role === 'member' && rule.who.some((g) => g === memberOfWishOrg || g === activeClaimer));
  // Right role, wrong organisation: say so; anything else is a plain refusal.
  if (roleFits && !inScope(actor, wish.orgId)) return fail('AUTH.OUT_OF_SCOPE');
  return fail('AUTH.FORBIDDEN');
}

/**
 * A representative valid command of `type` for `wish` at `now`: the arguments a form would send when the person
 * fills it in correctly, so that `availableActions` can ask the table itself whether the action would go through.
 * The choices, each the easiest valid value the forms offer:
 * - dates: the first day of the allowed range — today (China time) for a promise (claim, assign, reassign), tomorrow for
 *   a re-review (defer); an extension asks for the day after the current promise, or today if that is later;
 * - texts (reasons, notes, a summary): a non-empty placeholder — the forms require the person to write one;
 * - register: the wish's own category (or the first default), individual track, no category list (the function
 *   passes the organisation's list; the form offers only categories from it);
 * - feedback: satisfied; answerExtension: approve; assign/reassign: an organisation.
 */
export function representativeCommand(type: ActionType, wish: Wish, now: Date): Command {
  const today = chinaDate(now);
  const text = '…';
  switch (type) {
    case 'register':
      return { type, category: wish.category ?? DEFAULT_CATEGORIES[0], track: 'individual' };
    case 'defer':
      return { type, reason: text, reviewOn: dayRange('review', today).first };
    case 'reject':
    case 'release':
    case 'reopen':
      return { type, reason: text };
    case 'withdraw':
      return { type, reason: text };
    case 'revive':
    case 'closeOut':
    case 'chase':
      return { type };
    case 'publish':
      return { type, summary: wish.summary?.trim() ? undefined : text };
    case 'assign':
      return { type, kind: 'org', assignee: text, promisedBy: today };
    case 'claim':
      return { type, promisedBy: today };
    case 'fulfil':
    case 'progress':
    case 'message':
      return { type, note: text };
    case 'feedback':
      return { type, satisfaction: 'satisfied' };
    case 'extend': {
      const after = wish.claim?.promisedBy ? addDays(wish.claim.promisedBy, 1) : today;
      return { type, until: after > today ? after : today, reason: text };
    }
    case 'answerExtension':
      return { type, approve: true };
    case 'reassign':
      return { type, reason: text, kind: 'org', assignee: text, promisedBy: today };
  }
}

export const ACTION_TYPES = Object.keys(TABLE) as ActionType[];

/**
 * The actions `actor` could take on `wish` at `now` (the detail page's buttons, the photo upload's purposes): derived
 * from the table itself, the way XState's `state.can()` is — an action is offered exactly when `nextState` would accept
 * its representative command (above) from this actor now. No rule is restated here, so a screen never offers what the
 * server refuses (a wish held by the content check, an extension past the promise range, the claim limit when the
 * actor carries its count).
 */
export function availableActions(wish: Wish, actor: Actor, now: Date): ActionType[] {
  return ACTION_TYPES.filter((type) => nextState(wish, representativeCommand(type, wish, now), actor, now).ok);
}

/** Why `actor` may not decide on the content-check hold of `wish` (moderate): an organiser of its organisation, and the
 * wish still held and collected. */
export function moderationProblem(wish: Wish, actor: Actor): Failure | null {
  if (actor.role !== 'organiser') return fail('AUTH.FORBIDDEN');
  if (!organiserOfWish(wish, actor)) return fail('AUTH.OUT_OF_SCOPE');
  if (!awaitsModeration(wish)) return fail('WISH.WRONG_STATE', '这个心愿不在审核队列中');
  return null;
}

/** 审核通过: an organiser lifts the content-check hold. Not a lifecycle step — the wish stays collected, its version and
 * timeline unchanged (it waits for registration as if never held); refusing it is the table's `reject`. */
export function approveModeration(wish: Wish, actor: Actor, now: Date, reason = ''): { ok: true; wish: Wish } | Failure {
  const problem = moderationProblem(wish, actor);
  if (problem) return problem;
  return { ok: true, wish: { ...wish, moderation: { state: 'approved', reason, at: now.toISOString(), by: actor.id } } };
}

export interface NewWishInput {
  title: string;
  content: string;
  contactName: string;
  contactPhone: string;
  address: string;
  channel?: Exclude<Channel, 'app'>;
  orgId?: string;
  photos?: string[];
}

/** 收集: a new wish. Residents and members post their own; organisers enter one for a resident. */
export function collect(id: string, input: NewWishInput, actor: Actor, now: Date, requestId?: string): { ok: true; wish: Wish } | Failure {
  const orgId = actor.role === 'organiser' ? (input.orgId ?? actor.orgId) : (input.orgId ?? actor.orgId);
  if (!orgId) return fail('INPUT.INVALID', '请选择心愿所在的社区');
  // Organisers enter wishes within their subtree; members post to their own organisation (and its boards' scope);
  // residents may choose any community.
  if (actor.role !== 'resident' && input.orgId && !inScope(actor, input.orgId)) return fail('AUTH.OUT_OF_SCOPE');
  const onBehalf = actor.role === 'organiser';
  if (onBehalf && !input.channel) return fail('INPUT.INVALID', '代录心愿请选择收集渠道');
  const channel: Channel = onBehalf ? input.channel! : 'app';
  const at = now.toISOString();
  const entry: TimelineEntry = {
    status: 'collected',
    action: 'collect',
    at,
    actorRole: actor.role,
    actorId: actor.id,
    note: onBehalf ? `社区代为录入（${CHANNEL_LABEL[channel]}）` : '心愿已提交，等待社区登记',
    ...(requestId ? { requestId } : {}),
  };
  return {
    ok: true,
    wish: {
      _id: id,
      version: 1,
      status: 'collected',
      orgId,
      title: input.title.trim(),
      content: input.content.trim(),
      summary: '', // no public text until an organiser confirms one (register or publish): never the resident's words
      category: null,
      track: null,
      channel,
      residentId: onBehalf ? null : actor.id,
      contact: { name: input.contactName.trim(), phone: input.contactPhone.trim(), address: input.address.trim() },
      enteredBy: { role: actor.role, id: actor.id },
      claim: null,
      fulfilment: null,
      feedback: null,
      reason: null,
      reviewOn: null,
      createdAt: at,
      updatedAt: at,
      statusAt: at,
      publishedAt: null,
      closedAt: null,
      timeline: [entry],
      urgent: false,
      boardRank: null,
      photos: input.photos ?? [],
    },
  };
}

/** The calendar days a chosen date may take, counted from today (China time): a promised completion date
 * (claim, assign, extension) and a deferred wish's re-review date. The forms offer the same range. */
const DAY_RANGES = { promise: { min: 0, max: MAX_PROMISE_DAYS }, review: { min: 1, max: MAX_DEFER_DAYS } } as const;
export type DayKind = keyof typeof DAY_RANGES;

export function dayRange(kind: DayKind, today: string): { first: string; last: string } {
  const r = DAY_RANGES[kind];
  return { first: addDays(today, r.min), last: addDays(today, r.max) };
}

/** Why `until` is no date to extend a promise of `promisedBy` to at `now`: it must be after the promise and within the
 * promise range (today … today + MAX_PROMISE_DAYS, China time). The extend command's check and the extension form. */
export function extensionProblem(promisedBy: string, until: string, now: Date): Failure | null {
  const { first, last } = dayRange('promise', chinaDate(now));
  if (!until) return fail('INPUT.INVALID', '延期到：请选择日期');
  if (until <= promisedBy) return fail('INPUT.DATE_OUT_OF_RANGE', `延期到：请选择 ${promisedBy} 之后的日期`);
  if (until < first) return fail('INPUT.DATE_OUT_OF_RANGE', `延期到：最早只能选今天 ${first}`);
  if (until > last) return fail('INPUT.DATE_OUT_OF_RANGE', `延期到：最晚只能到 ${last}（${MAX_PROMISE_DAYS} 天内）`);
  return null;
}

function dateWithin(day: string, now: Date, kind: DayKind, what: string): Failure | null {
  const { first, last } = dayRange(kind, chinaDate(now));
  if (day < first || day > last) return fail('INPUT.DATE_OUT_OF_RANGE', `${what}需在 ${first} 到 ${last} 之间`);
  return null;
}

// ---------------------------------------------------------------------------
// Chinese labels, shared by the timeline notes above and the pages.
// ---------------------------------------------------------------------------
export const STATUS_LABEL: Record<Status, string> = {
  collected: '待登记',
  registered: '已登记',
  published: '待认领',
  claimed: '办理中',
  fulfilled: '待反馈',
  reviewed: '待销号',
  closed: '已办结',
  rejected: '未受理',
  deferred: '暂缓办理',
  withdrawn: '已撤回',
};
export const ACTION_LABEL: Record<TimelineAction, string> = {
  collect: '提交心愿',
  photoRemoved: '移除照片',
  register: '登记',
  defer: '暂缓办理',
  reject: '不予受理',
  revive: '重新启用',
  publish: '发布',
  assign: '指派',
  claim: '认领',
  release: '放弃认领',
  fulfil: '落实',
  feedback: '反馈',
  closeOut: '销号',
  withdraw: '撤回',
  extend: '申请延期',
  answerExtension: '审批延期',
  progress: '记录进展',
  reassign: '改派',
  reopen: '重新打开',
  message: '留言',
  chase: '催办',
};
export const TRACK_LABEL: Record<Track, string> = {
  individual: '个性问题，党员认领',
  common: '共性问题，组织领办',
  hard: '老大难问题，领导领办',
  deferred: '暂不具备办理条件',
};
export const CHANNEL_LABEL: Record<Channel, string> = {
  app: '小程序',
  card: '心愿卡',
  box: '心愿收集箱',
  hotline: '心愿热线',
  visit: '上门走访',
  survey: '问卷调查',
  forum: '座谈会',
};
export const SATISFACTION_LABEL: Record<Satisfaction, string> = {
  satisfied: '满意',
  basically: '基本满意',
  unsatisfied: '不满意',
};
export const ROLE_LABEL: Record<Role, string> = { resident: '居民', member: '党员', organiser: '社区' };

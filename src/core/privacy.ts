/**
 * The one place that decides which fields of a wish a viewer gets.
 * Personal data (the resident's name, phone and address) goes only to the resident who posted it,
 * organisers of the wish's organisation and the member whose claim is active. Everyone else gets
 * the public fields: no contact, no actor ids, no evidence photos, no feedback comment, no reasons, and only the
 * public stage of each timeline note. Actor ids (openids) go to organisers only.
 */
import { chinaDate } from './dates';
import {
  availableActions,
  inScope,
  type ActionType,
  type Actor,
  type ClaimerDisplay,
  type Extension,
  type TimelineAction,
  type TimelineEntry,
  type Wish,
} from './wish';

/** Who may open a wish at all: its resident, organisers of its organisation, and members of that
 * organisation once it is on the board (or while it is their claim). */
export function canView(wish: Wish, viewer: Actor): boolean {
  if (wish.residentId !== null && wish.residentId === viewer.id) return true;
  if (!inScope(viewer, wish.orgId)) return false;
  if (viewer.role === 'organiser') return true;
  if (viewer.role !== 'member') return false;
  if (wish.claim?.kind === 'member' && wish.claim.memberId === viewer.id) return true;
  return ['published', 'claimed', 'fulfilled', 'reviewed', 'closed'].includes(wish.status);
}

export function canSeeContact(wish: Wish, viewer: Actor): boolean {
  if (viewer.role === 'organiser' && inScope(viewer, wish.orgId)) return true;
  if (wish.residentId !== null && wish.residentId === viewer.id) return true;
  return viewer.role === 'member' && wish.status === 'claimed' && wish.claim?.kind === 'member' && wish.claim.memberId === viewer.id;
}

/**
 * Who is told who holds a claimed wish (issue 22: "who holds it is always named"): the claimer's name and unit go to
 * organisers of the wish's organisation, its resident and the claimer, whether the promise is kept or overdue, and to
 * the organiser's ledger (ledger.ts holderOf). Other members and the public read only that a member claimed it.
 */
export function canSeeClaimer(wish: Wish, viewer: Actor): boolean {
  return canSeeEvidence(wish, viewer);
}

/** Who sees the evidence (fulfilment note and photos, progress photos): those who see the contact, and the
 * claiming member even after their claim is done. Never the board or other members. */
export function canSeeEvidence(wish: Wish, viewer: Actor): boolean {
  return canSeeContact(wish, viewer) || (viewer.role === 'member' && wish.claim?.kind === 'member' && wish.claim.memberId === viewer.id);
}

/** The file ids of a wish this viewer may see, decided per place like the fields they sit beside: the resident's
 * own photos with the contact (canSeeContact), evidence (fulfilment and progress photos) with canSeeEvidence.
 * The `fileUrls` function hands out temporary URLs only for these. */
export function visiblePhotosOf(wish: Wish, viewer: Actor): string[] {
  return [
    ...(canSeeContact(wish, viewer) ? (wish.photos ?? []) : []),
    ...(canSeeEvidence(wish, viewer) ? [...(wish.fulfilment?.photos ?? []), ...wish.timeline.flatMap((e) => e.photos ?? [])] : []),
  ];
}

/**
 * Public words (issue 22): whoever does not see the contact (canSeeContact) never reads the resident's own words — not
 * the content, and not the title either. They read the public title an organiser confirmed at register or publish,
 * and the confirmed summary. A wish without a confirmed public title (stored before it existed, or registered without
 * one) shows a neutral title made from its category: system text, never the resident's.
 */
export const canSeeResidentWords = canSeeContact;

/** The neutral public title of a category: the register form's suggestion, and the stand-in where none was confirmed. */
export function neutralTitle(category: string | null | undefined): string {
  const c = category?.trim();
  return c ? `【${c}】一位居民需要帮助` : '一位居民需要帮助';
}

/** The heading everyone outside the resident's circle reads: the confirmed public title, else the neutral one. */
export function publicTitleOf(wish: Pick<Wish, 'publicTitle' | 'category'>): string {
  return wish.publicTitle?.trim() || neutralTitle(wish.category);
}

/** The heading `viewer` may read for a wish: the resident's own title inside her circle (canSeeResidentWords), else the
 * public one. Every list that names a wish to someone outside the circle (a member's own year, a former claimer) uses it. */
export function titleFor(wish: Wish, viewer: Actor): string {
  return canSeeResidentWords(wish, viewer) ? wish.title : publicTitleOf(wish);
}

/** Fields the public claim board may show. `title` is the PUBLIC title (publicTitleOf), never the stored `title`. */
export const BOARD_FIELDS = ['_id', 'title', 'summary', 'category', 'orgId', 'status', 'publishedAt', 'createdAt', 'urgent'] as const;
export type BoardItem = Pick<Wish, (typeof BOARD_FIELDS)[number]> & { name?: string; orgName?: string };
/** What the board query reads from the database (its projection): the public fields — the confirmed public title, not
 * the resident's — and the contact name, which leaves the server only masked (`maskName`). */
export const BOARD_QUERY_FIELDS = [...BOARD_FIELDS.filter((f) => f !== 'title'), 'publicTitle', 'contact.name'] as const;

export function boardItem(
  wish: Pick<Wish, Exclude<(typeof BOARD_FIELDS)[number], 'title'> | 'publicTitle'> & { contact?: { name?: string } },
): BoardItem {
  const out = {} as Record<string, unknown>;
  for (const f of BOARD_FIELDS) out[f] = f === 'title' ? publicTitleOf(wish) : wish[f];
  out.name = maskName(wish.contact?.name ?? '');
  return out as BoardItem;
}

/** 公开栏 (publicResults): what anyone, signed in or not, may see of a closed wish — the public summary an organiser
 * confirmed, the category and the day it was closed. No title (the resident's words), no names, no photos, no ids.
 * Also the database projection of that query. */
export const PUBLIC_RESULT_FIELDS = ['summary', 'category', 'closedAt', 'purgedAt'] as const;
export interface PublicResult {
  summary: string;
  category: string;
  closedOn: string; // YYYY-MM-DD, China time
}
export function publicResult(w: Pick<Wish, 'summary' | 'category' | 'closedAt' | 'purgedAt'>): PublicResult {
  const at = w.closedAt ? chinaDate(w.closedAt) : '';
  // An erased wish keeps its category; its summary is gone with the rest. The 公开栏 is public: personal data typed into
  // the summary (a phone, a house number) is masked like in every text that leaves the organisation.
  return { summary: w.purgedAt ? '' : maskPersonal((w.summary ?? '').trim()), category: w.category ?? '其他', closedOn: at };
}

/** The name everyone but the resident, the active claimer and organisers sees: surname + 某 (王秀英 → 王某). */
export function maskName(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? `${first}某` : '';
}

/**
 * Timeline notes, decided here like every other field. Notes carry reasons, progress, the fulfilment, the
 * resident's comment and messages word for word, so each viewer class reads:
 *   - `full` (the resident, organisers of the wish's organisation, the active claimer): the note as stored;
 *   - `claimer` (the member whose claim is done: fulfilled, reviewed, closed): the notes of their own work
 *     (claim, progress, extension and its answer, fulfilment, messages), the public note of everything else;
 *   - `public` (other members of the organisation): the public stage only, e.g. 已落实, 已反馈.
 * Whoever wrote an entry reads it as written (a member who released a claim still reads the reason they gave).
 * A public note is a fixed text per action (no stored words), or the stored note where it is public by design:
 * collect (the channel), register (category and track), revive, publish, assign (the organisation or leader
 * that leads it, as claim.assignee shows), photoRemoved (system text).
 */
export type NoteReader = 'full' | 'claimer' | 'public';

const STORED_NOTE_IS_PUBLIC: ReadonlySet<TimelineAction> = new Set<TimelineAction>([
  'collect',
  'register',
  'revive',
  'publish',
  'assign',
  'photoRemoved',
]);
const CLAIMERS_OWN: ReadonlySet<TimelineAction> = new Set<TimelineAction>([
  'claim',
  'progress',
  'extend',
  'answerExtension',
  'fulfil',
  'message',
  'chase',
]);

/** The public note of a timeline entry: what any member of the organisation may read. */
export function publicNote(e: Pick<TimelineEntry, 'action' | 'status' | 'note'>): string {
  if (STORED_NOTE_IS_PUBLIC.has(e.action)) return e.note;
  switch (e.action) {
    case 'defer':
      return '暂不具备办理条件，已放入待办档案';
    case 'reject':
      return '未受理';
    case 'claim':
      return '党员已认领';
    case 'release':
      return '认领人放弃认领，心愿重新回到认领墙';
    case 'fulfil':
      return '已落实';
    case 'feedback':
      return e.status === 'claimed' ? '已反馈，退回认领人重新办理' : '已反馈';
    case 'closeOut':
      return '已销号';
    case 'withdraw':
      return '心愿已撤回';
    case 'extend':
      return '认领人申请延期';
    case 'answerExtension':
      return '社区已答复延期申请';
    case 'progress':
      return '认领人记录了进展';
    case 'reassign':
      return e.status === 'published' ? '社区收回认领，心愿重新回到认领墙' : '社区改派了领办对象';
    case 'reopen':
      return '社区重新打开，已退回领办人重新办理';
    case 'message':
      return '当事人之间有一条留言';
    case 'chase':
      return '社区已催办';
    default:
      return '';
  }
}

/** The note `reader` gets of this entry; `own` when the reader wrote it (a member reads the reason they gave on release). */
export function noteFor(e: Pick<TimelineEntry, 'action' | 'status' | 'note'>, reader: NoteReader, own = false): string {
  if (reader === 'full' || own) return e.note;
  if (reader === 'claimer' && CLAIMERS_OWN.has(e.action)) return e.note;
  return publicNote(e);
}

/** The viewer's class for the notes (see NoteReader). */
export function noteReader(wish: Wish, viewer: Actor): NoteReader {
  if (canSeeContact(wish, viewer)) return 'full';
  return canSeeEvidence(wish, viewer) ? 'claimer' : 'public';
}

/**
 * Suggestions for the public title and summary, prefilled in the register (and publish) form; never stored until an
 * organiser submits them. Made from the category alone (issue 22): a suggestion built from the resident's title
 * carried her words to the board. The organiser reads and edits them before they are confirmed.
 */
export function suggestPublicTitle(wish: Pick<Wish, 'category'>): string {
  return neutralTitle(wish.category);
}
export function suggestSummary(wish: Pick<Wish, 'category'>): string {
  const c = wish.category?.trim();
  return c && c !== '其他' ? `一位居民需要“${c}”方面的帮助。` : '一位居民需要帮助。';
}

type ViewClaim = {
  kind: string;
  promisedBy: string;
  at: string;
  assignee: string | null;
  mine: boolean;
  extension?: Extension | null;
  /** The member who holds it (name, branch): to the resident, organisers and the claimer themselves. */
  member?: ClaimerDisplay | null;
};

export interface WishView extends Omit<
  Wish,
  | 'contact'
  | 'content'
  | 'residentId'
  | 'enteredBy'
  | 'claim'
  | 'fulfilment'
  | 'feedback'
  | 'timeline'
  | 'photos'
  | 'boardRank'
  | 'reason'
  | 'moderation'
> {
  photos?: string[]; // the resident's own photos: private views only
  content?: string;
  contact?: Wish['contact'];
  claim: ViewClaim | null;
  fulfilment?: Wish['fulfilment'];
  feedback?: Wish['feedback'] | { satisfaction: string; at: string; callback: boolean };
  /** The latest explanation to the resident (rejection, deferral, release, withdrawal): private views only. */
  reason?: string | null;
  /** The content check's hold: private views; who decided (`by`, an openid) only to organisers. */
  moderation?: { state: 'review' | 'approved'; reason: string; at: string; by?: string } | null;
  timeline: Array<Omit<Wish['timeline'][number], 'actorId' | 'requestId' | 'photos'> & { actorId?: string; photos?: string[] }>;
  name: string; // masked (surname + 某) unless `private`
  mine: boolean; // the viewer posted it
  private: boolean; // the viewer sees the personal fields
  actions: ActionType[];
}

/**
 * The wish as `viewer` may see it. Every field is decided here, listed one by one (a field added to Wish is not
 * shown until it is added here): personal fields and the resident's own words (content, title) to `full` viewers,
 * the public title (publicTitleOf) in `title` to everyone else, the confirmed `publicTitle` ('' if none) to all, evidence to the claimer as well, timeline
 * notes per `noteFor`, and no actor id (openid) to anyone but organisers of the wish's organisation.
 */
export function viewWish(wish: Wish, viewer: Actor, now: Date): WishView {
  const full = canSeeContact(wish, viewer);
  const evidence = canSeeEvidence(wish, viewer);
  const reader = noteReader(wish, viewer);
  const organiser = viewer.role === 'organiser' && inScope(viewer, wish.orgId);
  const { contact, content, claim, fulfilment, feedback, timeline, sensitive, photos, moderation } = wish;
  return {
    _id: wish._id,
    version: wish.version,
    status: wish.status,
    orgId: wish.orgId,
    // The resident's own words (title, like the content) only to those who see the contact; the public title to all.
    title: full ? wish.title : publicTitleOf(wish),
    publicTitle: wish.publicTitle ?? '',
    summary: wish.summary ?? '',
    category: wish.category,
    track: wish.track,
    channel: wish.channel,
    reviewOn: wish.reviewOn,
    createdAt: wish.createdAt,
    updatedAt: wish.updatedAt,
    publishedAt: wish.publishedAt,
    closedAt: wish.closedAt,
    ...(wish.urgent !== undefined ? { urgent: wish.urgent } : {}),
    ...(wish.purgedAt ? { purgedAt: wish.purgedAt } : {}),
    // The card or receipt number (issue 11): organisers of the wish only (with its PIN it gives feedback).
    ...(organiser && wish.cardNo ? { cardNo: wish.cardNo } : {}),
    // 心愿编号 (issue 22): organisers of the wish, to match paper, calls and ledgers to it.
    ...(organiser && wish.wishNo ? { wishNo: wish.wishNo } : {}),
    ...(full ? { content, contact, photos: photos ?? [], reason: wish.reason, ...(sensitive ? { sensitive } : {}) } : {}),
    ...(full && moderation !== undefined
      ? { moderation: moderation && !organiser ? { state: moderation.state, reason: moderation.reason, at: moderation.at } : moderation }
      : {}),
    ...(evidence ? { fulfilment } : {}),
    name: full ? contact.name : maskName(contact.name),
    feedback: feedback ? (full ? feedback : { satisfaction: feedback.satisfaction, at: feedback.at, callback: feedback.callback }) : null,
    claim: claim
      ? {
          kind: claim.kind,
          promisedBy: claim.promisedBy,
          at: claim.at,
          assignee: claim.assignee,
          mine: claim.memberId === viewer.id,
          ...(full ? { extension: claim.extension ?? null } : {}),
          ...(canSeeClaimer(wish, viewer) && claim.member ? { member: claim.member } : {}),
        }
      : null,
    timeline: timeline.map(({ actorId, requestId, photos: entryPhotos, note, ...e }) => {
      void requestId;
      return {
        ...e,
        note: noteFor({ ...e, note }, reader, actorId !== undefined && actorId !== null && actorId === viewer.id),
        ...(organiser ? { actorId } : {}),
        ...(evidence && entryPhotos ? { photos: entryPhotos } : {}),
      };
    }),
    mine: wish.residentId !== null && wish.residentId === viewer.id,
    private: full,
    actions: availableActions(wish, viewer, now),
  };
}

// ---------------------------------------------------------------------------
// Ledgers (台账, issue 11): the organiser's own version and the 报上级 version sent upwards.
// ---------------------------------------------------------------------------
/** `own`: the organiser's working copy, with the resident's name, phone and address as stored (organisers of the
 * subtree see them anyway). `upward` (报上级): for the street office and above, who need the figures, not the
 * people: name masked (王某), phone masked (139****5678), address left out, timeline words only as their public
 * stage (progress and results are the claimer's own words and may name the resident). */
export const LEDGER_VERSIONS = ['own', 'upward'] as const;
export type LedgerVersion = (typeof LEDGER_VERSIONS)[number];

/** A phone number as the 报上级 version shows it: the first three and last four digits (13912345678 → 139****5678). */
export function maskPhone(phone: string): string {
  const d = phone.replace(/\D/g, '');
  if (!d) return '';
  if (d.length <= 7) return '*'.repeat(d.length);
  return `${d.slice(0, 3)}****${d.slice(-4)}`;
}

/** What stands in the 报上级 version's address column. */
export const MASKED_ADDRESS = '（已隐去）';

/**
 * Personal data typed into free text, masked: THE function for every text that leaves the organisation (the 报上级
 * ledgers, the public results' summaries). Per-column masking is not enough: a title typed as 欧阳婷慧急需轮椅13952130426
 * carries the name and the phone in the 心愿 column (issue 19). Masked, in this order:
 *   - ID card numbers (18 digits or 17 + X, or 15 digits)                     → 110***********1234 (first 3, last 4)
 *   - mobile numbers (1[3-9] + 9 digits, spaces or dashes between groups)      → 139****0426
 *   - landlines with their area code (0731-12345678, (0731)1234567, 010 …)     → 073****5678
 *   - house numbers: 3栋201, 3 栋 201 室, 5号楼2单元301室, 2幢3单元502            → （门牌已隐去）
 *   - the wish's own contact name (≥ 2 characters) wherever it stands           → 欧某 (maskName)
 *   - the wish's own address, and its phone however it is written             → （已隐去） / masked as above
 * Pure and idempotent: masking a masked text changes nothing.
 */
export function maskPersonal(
  text: string,
  contact?: { name?: string | null; phone?: string | null; address?: string | null } | null,
): string {
  if (!text) return text ?? '';
  let out = text;
  const address = contact?.address?.trim();
  if (address && address.length >= 4) out = out.split(address).join(MASKED_ADDRESS);
  const masked = (digits: string) => `${digits.slice(0, 3)}${'*'.repeat(Math.max(digits.length - 7, 1))}${digits.slice(-4)}`;
  // ID card numbers first: an 18-digit number holds an 11-digit run that looks like a mobile.
  out = out.replace(/(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g, (m) => masked(m));
  // Mobiles, with optional +86 and separators between the 3-4-4 groups.
  out = out.replace(/(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g, (_m, a: string, b: string, c: string) =>
    masked(`${a}${b}${c}`),
  );
  // Landlines: area code (0 + 2 or 3 digits, maybe in brackets) and 7–8 digits.
  out = out.replace(/(?<!\d)[(（]?(0\d{2,3})[)）]?[\s-]?(\d{7,8})(?!\d)/g, (_m, a: string, b: string) => masked(`${a}${b}`));
  // House numbers: building (栋, 幢, 号楼, 座), optionally unit (单元), then the flat (室 / 号 optional).
  out = out.replace(
    /\d+\s*(?:栋|幢|号楼|座)\s*(?:\d+\s*单元\s*)?(?:\d+\s*(?:室|号|户)?)?|\d+\s*单元\s*\d+\s*(?:室|号)?|\d{3,4}\s*室/g,
    HOUSE_NUMBER_MASK,
  );
  const name = contact?.name?.trim();
  if (name && Array.from(name).length >= 2) out = out.split(name).join(maskName(name));
  return out;
}
/** What stands for a house number in masked free text. */
export const HOUSE_NUMBER_MASK = '（门牌已隐去）';

/** The personal columns of a ledger row, decided here like every other field. */
export function ledgerContact(wish: Pick<Wish, 'contact'>, version: LedgerVersion): { name: string; phone: string; address: string } {
  const c = wish.contact ?? { name: '', phone: '', address: '' };
  if (version === 'own') return { name: c.name ?? '', phone: c.phone ?? '', address: c.address ?? '' };
  return { name: maskName(c.name ?? ''), phone: maskPhone(c.phone ?? ''), address: c.address ? MASKED_ADDRESS : '' };
}

/** A timeline note as a ledger version shows it: as stored in the organiser's own copy, its public stage upwards. */
export function ledgerNote(e: Pick<TimelineEntry, 'action' | 'status' | 'note'>, version: LedgerVersion): string {
  return noteFor(e, version === 'own' ? 'full' : 'public');
}

/** The title of a wish in a ledger: the resident's own in the organiser's copy; upwards (报上级), only the public title
 * (publicTitleOf) — the street office reads what the board reads, never the resident's words. */
export function ledgerTitle(wish: Pick<Wish, 'title' | 'publicTitle' | 'category'>, version: LedgerVersion): string {
  return version === 'own' ? wish.title : publicTitleOf(wish);
}

/** The result (落实情况) of a wish in a ledger: the fulfilment note in the organiser's own copy, 已落实 upwards. */
export function ledgerResult(wish: Pick<Wish, 'fulfilment'>, version: LedgerVersion): string {
  if (!wish.fulfilment) return '';
  return version === 'own' ? wish.fulfilment.note : publicNote({ action: 'fulfil', status: 'fulfilled', note: '' });
}

// ---------------------------------------------------------------------------
// Paper wish cards (心愿卡, issue 11): what anyone holding the card (or its QR code) sees, like tracking a parcel.
// ---------------------------------------------------------------------------
/** The milestones shown by QR, with their public names. Nothing else of the timeline is shown. */
const CARD_STAGES: Partial<Record<TimelineAction, string>> = {
  collect: '收到心愿',
  register: '社区已登记',
  defer: '暂不具备办理条件',
  reject: '未受理',
  publish: '已发布，等待党员认领',
  claim: '党员已认领',
  assign: '已安排专人办理',
  fulfil: '已办好，等待反馈',
  feedback: '已反馈',
  closeOut: '已办结',
  withdraw: '已撤回',
  reopen: '重新办理',
};

export interface CardProgress {
  status: Wish['status'];
  stages: Array<{ stage: string; day: string }>;
  /** "已被幸福里社区党员认领" / "已由社区安排专人办理" / null */
  claimedBy: string | null;
  promisedBy: string | null;
  /** Whether the card's holder may give feedback now (with the PIN). */
  canFeedback: boolean;
}

/** A wish as its card's QR code shows it: stages with their days, who took it on (an organisation's name, never a
 * person's), the promised date. No name, phone, address, title, content, photos or notes: the card may be read by
 * anyone who finds it. */
export function cardProgress(wish: Pick<Wish, 'status' | 'timeline' | 'claim'>, day: (iso: string) => string): CardProgress {
  const stages = wish.timeline.filter((e) => CARD_STAGES[e.action]).map((e) => ({ stage: CARD_STAGES[e.action]!, day: day(e.at) }));
  const claim = wish.claim;
  const active = ['claimed', 'fulfilled', 'reviewed', 'closed'].includes(wish.status) && claim;
  return {
    status: wish.status,
    stages,
    claimedBy: active ? (claim.kind === 'member' ? `已被${claim.member?.orgName ?? '社区'}党员认领` : '已由社区安排专人办理') : null,
    promisedBy: active ? claim.promisedBy : null,
    canFeedback: wish.status === 'fulfilled',
  };
}

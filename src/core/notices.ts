/**
 * What to tell whom after a transition: the notification port's input, decided here (pure) so the
 * text is the same on WeChat and in the local outbox. The server resolves the recipients
 * ('organisers' = the nearest organisers of the wish's organisation: its own, else those of the closest
 * organisation above with any; server/store.ts nearestOrganisersOf) and sends after the wish is stored.
 */
import { clause, monthDay, chinaDate } from './dates';
import { CHANNEL_LABEL, claimerLabel, type TimelineEntry, type Wish } from './wish';

export const NOTICE_KINDS = [
  'claimed', // resident: a member claimed your wish
  'fulfilled', // organisers: a claimer recorded the fulfilment
  'feedbackNeeded', // resident (or organisers, for a wish without an app user): please give feedback
  'deadlineNear', // claimer: the promised date is close (sent by the scheduled `remind`)
  'extensionAsked', // organisers: a claimer asks for more time
  'extensionAnswered', // claimer: the extension was approved or refused
  'rejected', // resident: the wish was not accepted
  'reworkNeeded', // claimer: unsatisfied feedback or a reopened wish, please do it again
  'claimReleased', // claimer: an organiser took the claim back (reassign)
  'withdrawn', // resident: an organiser withdrew the wish on her behalf, with the reason
  'message', // resident ↔ claimer: a message through the app (留言)
  'promiseMoved', // resident: the promised date moved (an extension was approved)
  // Organiser alerts (督办提醒, issue 9): to the nearest organisers of the wish's organisation. They name the wish by
  // its confirmed public summary or its category, never by the resident's words or contact (organiserAlertLabel).
  'newWish', // organisers: a new wish waits in the queue for registration
  'wishHeld', // organisers: a new wish is held for moderation (内容审核)
  'claimOverdue', // organisers: a claim passed its promised date (sent by the daily `overdueAlerts`)
  'chased', // claimer: an organiser chases the claim (催办)
  'unsatisfied', // organisers: the resident (or a call-back) answered 不满意; the wish went back to its claimer
  // The campaign's rhythm and quotas (src/core/rhythm.ts, quotas.ts): not about one wish (`wishId` '', `link` the page).
  'weeklyReminder', // member: 一周一督促, the claims you hold
  'weeklySummary', // organisers: 一周一督促, queues waiting in your organisation
  'bulletin', // organisers of a named unit: 一旬一通报
  'monthlyReport', // organisers: 一月一调度
  'nudge', // member: nothing claimed and closed this year yet (提醒)
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** One item of a person's notifications (the `outbox` collection; `notifications` function). */
export interface Notification {
  _id: string;
  to: string; // openid
  kind: NoticeKind;
  title: string;
  body: string;
  wishId: string;
  at: string; // UTC ISO
  read: boolean;
  /** The page a notice not about one wish opens (e.g. a bulletin), an app path. */
  link?: string;
}

export type DuplicateReason = 'same-phone' | 'same-address' | 'similar-text' | 'same-resident';
/** A possibly duplicate wish, suggested at registration (`duplicates` function). */
export interface Duplicate {
  _id: string;
  title: string;
  status: Wish['status'];
  createdAt: string;
  reasons: DuplicateReason[];
}

export type Recipient = { openid: string } | 'organisers';
export interface Notice {
  to: Recipient;
  kind: NoticeKind;
  title: string;
  body: string;
  wishId: string;
}

const short = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);

/** The claimer to tell: the member, or the organisers for a wish assigned to an organisation / leader. */
function claimer(w: Wish): Recipient | null {
  if (!w.claim) return null;
  return w.claim.kind === 'member' && w.claim.memberId ? { openid: w.claim.memberId } : 'organisers';
}

/** The notices a stored transition (`prev` → `next` by `entry`) sends. */
export function noticesFor(prev: Wish, next: Wish, entry: TimelineEntry): Notice[] {
  const out: Notice[] = [];
  const say = (to: Recipient | null, kind: NoticeKind, title: string, body: string) => {
    if (to) out.push({ to, kind, title, body, wishId: next._id });
  };
  const resident = next.residentId ? { openid: next.residentId } : null;
  const t = `“${short(next.title)}”`;
  const year = chinaDate(new Date(entry.at)).slice(0, 4);
  switch (entry.action) {
    case 'claim': {
      // Who is coming: the member's name and branch (never their phone), and how to reach them: 留言 in the app.
      const who = claimerLabel(next.claim?.member);
      say(
        resident,
        'claimed',
        '您的心愿有人认领了',
        `${t}已由党员${who}认领，承诺 ${monthDay(next.claim!.promisedBy, year)}前完成。可在心愿页给TA留言`,
      );
      break;
    }
    case 'withdraw':
      if (entry.actorRole === 'organiser') say(resident, 'withdrawn', '心愿已由社区撤回', `${t}已由社区撤回：${next.reason ?? ''}`);
      break;
    case 'message':
      if (next.residentId !== null && entry.actorId === next.residentId)
        say(claimer(next), 'message', '居民给您留言', `${t}：${entry.note.replace(/^留言[:：]/, '')}`);
      else say(resident ?? 'organisers', 'message', '认领党员给您留言', `${t}：${entry.note.replace(/^留言[:：]/, '')}`);
      break;
    case 'fulfil':
      say('organisers', 'fulfilled', '心愿已落实', `${t}已落实，${resident ? '等待居民反馈' : '请电话回访并记录反馈'}`);
      if (resident)
        say(
          resident,
          'feedbackNeeded',
          '请评价心愿办理情况',
          `${t}已落实：${clause(short(next.fulfilment?.note ?? ''))}。请告诉我们您是否满意`,
        );
      else say('organisers', 'feedbackNeeded', '需要回访', `${t}的居民没有使用小程序，请电话回访`);
      break;
    case 'extend':
      say(
        'organisers',
        'extensionAsked',
        '有延期申请待审批',
        `${alertLabel(next)}申请延期至 ${monthDay(next.claim!.extension!.until, year)}：${short(next.claim!.extension!.reason)}`,
      );
      break;
    case 'answerExtension': {
      const approved = next.claim?.extension?.state === 'approved';
      say(claimer(next), 'extensionAnswered', approved ? '延期申请已同意' : '延期申请未同意', entry.note.replace(/^社区/, `${t}：社区`));
      // The resident waits for that date: tell her the new one (a refusal keeps the date she knows).
      if (approved && next.claim) {
        say(
          resident,
          'promiseMoved',
          '完成日期有变化',
          `${t}的完成日期改到了 ${monthDay(next.claim.promisedBy, year)}，帮您办事的党员会在这之前办好`,
        );
      }
      break;
    }
    case 'reject':
      say(resident, 'rejected', '心愿未受理', `${t}未受理：${next.reason ?? ''}`);
      break;
    case 'feedback':
      if (next.status === 'claimed') {
        say(claimer(next), 'reworkNeeded', '居民不满意，请重新办理', `${t}：${entry.note}`);
        say(
          'organisers',
          'unsatisfied',
          '有居民不满意的心愿',
          `${alertLabel(next)}：居民反馈不满意，已退回${claimerLabel(next.claim?.member) || '领办人'}重新办理`,
        );
      }
      break;
    case 'chase':
      if (next.claim)
        say(
          claimer(next),
          'chased',
          '社区催办',
          `${t}承诺 ${monthDay(next.claim.promisedBy, year)}前完成，请抓紧办理${entry.note.startsWith('社区催办：') ? `：${entry.note.slice(5)}` : '，需要更多时间可申请延期'}`,
        );
      break;
    case 'reopen':
      say(claimer(next), 'reworkNeeded', '心愿重新打开，请重新办理', `${t}：${next.reason ?? ''}`);
      break;
    case 'reassign':
      if (prev.claim?.kind === 'member' && prev.claim.memberId) {
        say({ openid: prev.claim.memberId }, 'claimReleased', '认领已被社区收回', `${t}：${next.reason ?? ''}`);
      }
      break;
    default:
      break;
  }
  return out;
}

/** The deadline reminder for a claimed wish (sent once per promised date by `remind`). */
export function deadlineNotice(w: Wish, now: Date): Notice | null {
  const to = claimer(w);
  if (!to || !w.claim) return null;
  const today = chinaDate(now);
  const when = w.claim.promisedBy === today ? '今天' : monthDay(w.claim.promisedBy, today.slice(0, 4));
  return {
    to,
    kind: 'deadlineNear',
    title: '承诺日期快到了',
    body: `“${short(w.title)}”承诺 ${when}前完成，请抓紧办理或申请延期`,
    wishId: w._id,
  };
}

/**
 * How an organiser alert names a wish: its confirmed public summary, else its category, else its channel — never the
 * title or content (the resident's own words) nor the contact. A subscribe message shows on a lock screen and may
 * go to organisers above the wish's own organisation.
 */
export function alertLabel(w: Pick<Wish, 'summary' | 'category' | 'channel'>): string {
  if (w.summary) return `“${short(w.summary)}”`;
  if (w.category) return `一个${w.category}类心愿`;
  return `一个来自${CHANNEL_LABEL[w.channel] ?? '小程序'}的心愿`;
}

/** The alert a newly collected wish sends its organisers: a new wish in the queue, or one held for moderation. */
export function collectAlert(w: Wish): Notice {
  if (w.moderation?.state === 'review')
    return {
      to: 'organisers',
      kind: 'wishHeld',
      title: '有心愿待内容审核',
      body: `${alertLabel(w)}需要人工审核后才能登记，请到内容审核处理`,
      wishId: w._id,
    };
  return { to: 'organisers', kind: 'newWish', title: '有新心愿待登记', body: `收到${alertLabel(w)}，请及时登记`, wishId: w._id };
}

/** The alert for a claim whose promised date has passed (sent once per wish and promised date by `overdueAlerts`). */
export function overdueAlert(w: Wish, now: Date): Notice | null {
  if (w.status !== 'claimed' || !w.claim) return null;
  const today = chinaDate(now);
  if (w.claim.promisedBy >= today) return null;
  const who = w.claim.kind === 'member' ? `党员${claimerLabel(w.claim.member)}` : '承办单位';
  return {
    to: 'organisers',
    kind: 'claimOverdue',
    title: '有认领已逾期',
    body: `${alertLabel(w)}由${who}承诺 ${monthDay(w.claim.promisedBy, today.slice(0, 4))}前完成，已逾期，请督促`,
    wishId: w._id,
  };
}

/** A notification as the `notifications` operation answers it: what is current when it is opened (issue 22). */
export interface NoticeView extends Omit<Notification, 'to'> {
  /** The action it asks for is no longer needed (taken by someone else, or the wish ended): shown without it. */
  done?: true;
  /** Why it is done, short Chinese (e.g. 居民已反馈). */
  doneReason?: string;
  /** Unread notices of the same kind about the same wish, folded into this (the newest): how many, and their ids. */
  count?: number;
  ids?: string[];
}

const ENDED: Partial<Record<Wish['status'], string>> = {
  withdrawn: '心愿已撤回',
  rejected: '心愿未受理',
  deferred: '心愿已暂缓办理',
  closed: '心愿已销号',
};

/**
 * Whether the action a notice asks for is already done, judged from the wish as it is now: the reason, or null when
 * it is still to do (or the notice asks for nothing). Pure; the `notifications` operation calls it at read time.
 */
export function noticeDone(kind: NoticeKind, w: Wish | null): string | null {
  if (!w) return null;
  const ended = ENDED[w.status] ?? null;
  switch (kind) {
    case 'newWish':
    case 'wishHeld':
      // 请及时登记 / 请到内容审核处理: done once the wish left the queue (registered, withdrawn, rejected…).
      if (w.status === 'collected') return kind === 'wishHeld' && w.moderation?.state !== 'review' ? '已审核' : null;
      return ended ?? '已登记';
    case 'fulfilled':
    case 'feedbackNeeded':
      // 请电话回访 / 请评价: done once there is feedback (by the resident, her card's PIN or a call-back).
      if (w.status === 'fulfilled') return null;
      if (w.feedback) return w.status === 'closed' ? '已反馈，心愿已销号' : w.feedback.callback ? '已回访' : '居民已反馈';
      return ended ?? (w.status === 'claimed' ? '已退回重新办理' : '已处理');
    case 'extensionAsked':
      if (w.status === 'claimed' && w.claim?.extension?.state === 'pending') return null;
      return ended ?? '延期申请已处理';
    case 'deadlineNear':
    case 'chased':
    case 'claimOverdue':
    case 'reworkNeeded':
    case 'unsatisfied':
      // 请抓紧办理 / 请督促 / 请重新办理: done once the claim is fulfilled, taken back or the wish ended.
      if (w.status === 'claimed') return null;
      if (w.status === 'fulfilled' || w.status === 'reviewed') return '已落实';
      return ended ?? '认领已收回';
    default:
      return null;
  }
}

/**
 * Folds unread notices of the same kind about the same wish into the newest one (items come newest first), with a
 * count and all their ids (to mark them read together). Read ones and notices not about a wish stay as they are.
 */
export function foldNotices(items: NoticeView[]): NoticeView[] {
  const out: NoticeView[] = [];
  const byKey = new Map<string, NoticeView>();
  for (const n of items) {
    const key = !n.read && n.wishId ? `${n.kind}|${n.wishId}` : null;
    const first = key ? byKey.get(key) : undefined;
    if (first) {
      first.count = (first.count ?? 1) + 1;
      first.ids = [...(first.ids ?? [first._id]), n._id];
      continue;
    }
    const copy = { ...n };
    if (key) byKey.set(key, copy);
    out.push(copy);
  }
  return out;
}

/**
 * What to tell whom after a transition: the notification port's input, decided here (pure) so the
 * text is the same on WeChat and in the local outbox. The server resolves the recipients
 * ('organisers' = every organiser of the wish's organisation) and sends after the wish is stored.
 */
import { clause, monthDay, chinaDate } from './dates';
import { claimerLabel, type TimelineEntry, type Wish } from './wish';

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
      if (next.residentId !== null && entry.actorId === next.residentId) say(claimer(next), 'message', '居民给您留言', `${t}：${entry.note.replace(/^留言[:：]/, '')}`);
      else say(resident ?? 'organisers', 'message', '认领党员给您留言', `${t}：${entry.note.replace(/^留言[:：]/, '')}`);
      break;
    case 'fulfil':
      say('organisers', 'fulfilled', '心愿已落实', `${t}已落实，${resident ? '等待居民反馈' : '请电话回访并记录反馈'}`);
      if (resident) say(resident, 'feedbackNeeded', '请评价心愿办理情况', `${t}已落实：${clause(short(next.fulfilment?.note ?? ''))}。请告诉我们您是否满意`);
      else say('organisers', 'feedbackNeeded', '需要回访', `${t}的居民没有使用小程序，请电话回访`);
      break;
    case 'extend':
      say('organisers', 'extensionAsked', '有延期申请待审批', `${t}申请延期至 ${monthDay(next.claim!.extension!.until, year)}：${short(next.claim!.extension!.reason)}`);
      break;
    case 'answerExtension': {
      const approved = next.claim?.extension?.state === 'approved';
      say(claimer(next), 'extensionAnswered', approved ? '延期申请已同意' : '延期申请未同意', entry.note.replace(/^社区/, `${t}：社区`));
      // The resident waits for that date: tell her the new one (a refusal keeps the date she knows).
      if (approved && next.claim) {
        say(resident, 'promiseMoved', '完成日期有变化', `${t}的完成日期改到了 ${monthDay(next.claim.promisedBy, year)}，帮您办事的党员会在这之前办好`);
      }
      break;
    }
    case 'reject':
      say(resident, 'rejected', '心愿未受理', `${t}未受理：${next.reason ?? ''}`);
      break;
    case 'feedback':
      if (next.status === 'claimed') say(claimer(next), 'reworkNeeded', '居民不满意，请重新办理', `${t}：${entry.note}`);
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
  return { to, kind: 'deadlineNear', title: '承诺日期快到了', body: `“${short(w.title)}”承诺 ${when}前完成，请抓紧办理或申请延期`, wishId: w._id };
}

/**
 * Trust rules that are pure decisions over data the server passes in: the privacy notice and consent,
 * the organisation tree (five-level grid plus party organisations), retention, and which actions are
 * privileged (audited). No storage here; server/ loads the data and writes the results.
 */
import { fail, type Failure } from './errors';
import type { Actor, TimelineEntry, Wish } from './wish';

// ---------------------------------------------------------------------------
// The privacy notice (PIPL art. 14, 17, 29). One text for H5 and weapp; a new version asks again.
// ---------------------------------------------------------------------------
// 2026-12-01 (issue 22): 谁能看到 now says that others read the public title and summary the community confirmed,
// never the resident's own title or words.
export const NOTICE_VERSION = '2026-12-01';

// The notice's text (title, paragraphs) is in ./noticeText.ts, kept off the core's index so that only the
// consent screen (its own subpackage) carries it.

export interface ConsentRecord {
  notice: string | null; // the notice version accepted
  noticeAt: string | null;
  sensitive: string | null; // the notice version under which sensitive details were separately accepted
  sensitiveAt: string | null;
}

export interface ConsentState {
  current: string; // the current notice version
  accepted: boolean; // the caller accepted the current notice
  sensitive: boolean; // … and separately the sensitive-details notice
  acceptedVersion: string | null;
}

export function consentState(record: Partial<ConsentRecord> | null | undefined): ConsentState {
  const accepted = record?.notice === NOTICE_VERSION;
  return {
    current: NOTICE_VERSION,
    accepted,
    sensitive: accepted && record?.sensitive === NOTICE_VERSION,
    acceptedVersion: record?.notice ?? null,
  };
}

/** Posting needs the current notice; sensitive details need the separate consent too. */
export function consentFailure(record: Partial<ConsentRecord> | null | undefined, hasSensitive: boolean): Failure | null {
  const state = consentState(record);
  if (!state.accepted) return fail('CONSENT.REQUIRED');
  if (hasSensitive && !state.sensitive) return fail('CONSENT.SENSITIVE_REQUIRED');
  return null;
}

/** 同意: the consent record after accepting `notice` in `version` at `now`, or why not — only the current version
 * (the app shows the new text and asks again), and the sensitive-details notice only after the main one. */
export function acceptConsent(
  record: Partial<ConsentRecord> | null | undefined,
  notice: 'main' | 'sensitive',
  version: string,
  now: Date,
): { ok: true; consent: ConsentRecord } | Failure {
  if (version !== NOTICE_VERSION) return fail('INPUT.INVALID', `告知书已更新（当前版本 ${NOTICE_VERSION}），请阅读新版本后再同意`);
  if (notice === 'sensitive' && record?.notice !== NOTICE_VERSION) return fail('CONSENT.REQUIRED');
  const at = now.toISOString();
  const fields = notice === 'main' ? { notice: NOTICE_VERSION, noticeAt: at } : { sensitive: NOTICE_VERSION, sensitiveAt: at };
  return { ok: true, consent: { notice: null, noticeAt: null, sensitive: null, sensitiveAt: null, ...record, ...fields } };
}

// ---------------------------------------------------------------------------
// The organisation tree: city → district → street/township → community/village → grid/building,
// with party organisations (党委 → 党总支 → 党支部 → 党小组) placed on it. Each org carries its
// ancestors (root first), so a subtree is one indexed query: { ancestors: id }.
// ---------------------------------------------------------------------------
export const GRID_LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
export const PARTY_LEVELS = ['committee', 'general-branch', 'branch', 'group'] as const;
export type OrgLevel = (typeof GRID_LEVELS)[number] | (typeof PARTY_LEVELS)[number];
export const LEVEL_LABEL: Record<OrgLevel, string> = {
  city: '市',
  district: '区县',
  street: '街道/乡镇',
  community: '社区/村',
  grid: '网格/楼栋',
  committee: '党委',
  'general-branch': '党总支',
  branch: '党支部',
  group: '党小组',
};

export interface OrgNode {
  _id: string;
  parentId: string | null;
  ancestors?: string[];
  boardIncludesParent?: boolean;
}

/** Whether `org` lies strictly below `ancestorId`. */
export function isBelow(org: OrgNode, ancestorId: string): boolean {
  return org._id !== ancestorId && (org.ancestors ?? []).includes(ancestorId);
}

/** The organisations an actor may act on, from the orgs the server loaded:
 * organisers — their organisation's subtree; members — their board(s): own org, plus the parent where configured. */
export function scopeOf(role: Actor['role'], own: OrgNode | null, subtree: readonly OrgNode[]): string[] {
  if (!own) return [];
  if (role === 'organiser') return [own._id, ...subtree.filter((o) => isBelow(o, own._id)).map((o) => o._id)];
  if (role === 'member') return own.boardIncludesParent && own.parentId ? [own._id, own.parentId] : [own._id];
  return [];
}

/** An organiser may appoint organisers only for organisations strictly below their own. */
export function mayAppoint(actor: Actor, target: OrgNode): Failure | null {
  if (actor.role !== 'organiser' || !actor.orgId) return fail('AUTH.FORBIDDEN', '只有上级组织的工作人员可以任命');
  if (!isBelow(target, actor.orgId)) return fail('AUTH.OUT_OF_SCOPE', '只能任命下级组织的工作人员');
  return null;
}

// ---------------------------------------------------------------------------
// Retention (PIPL art. 19, 47): personal fields of wishes closed longer than the period are erased.
// ---------------------------------------------------------------------------
export const DEFAULT_RETENTION_DAYS = 365;
/** Final statuses whose personal data the purge erases once old enough. */
export const ENDED_STATUSES = ['closed', 'rejected', 'withdrawn'] as const;

/** When the wish ended (closed, rejected or withdrawn), or null if it has not. */
export function endedAt(wish: Pick<Wish, 'status' | 'closedAt' | 'updatedAt'>): string | null {
  if (!(ENDED_STATUSES as readonly string[]).includes(wish.status)) return null;
  return wish.closedAt ?? wish.updatedAt;
}

/** The cutoff: wishes that ended before this instant are purged. */
export function retentionCutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

/** The fields the purge (and a resident's own deletion) overwrites. Status, category, track, channel,
 * organisation, dates, satisfaction and the timeline's statuses and dates stay for statistics. */
export function erasedFields(wish: Wish, at: string): Partial<Wish> {
  return {
    title: '（已删除）',
    content: '',
    summary: '（已删除）',
    // The public title is an organiser's words about the resident: erased with the summary (the neutral title stays).
    ...(wish.publicTitle !== undefined ? { publicTitle: '' } : {}),
    contact: { name: '', phone: '', address: '' },
    sensitive: null,
    fulfilment: wish.fulfilment ? { note: '', photos: [], at: wish.fulfilment.at } : null,
    feedback: wish.feedback ? { ...wish.feedback, comment: '' } : null,
    reason: null,
    // Photos are personal data too: the references go here, the files through the function (deleteFile).
    ...(wish.photos ? { photos: [] } : {}),
    timeline: wish.timeline.map((e) => ({ ...e, note: '', ...(e.photos ? { photos: [] } : {}) })),
    purgedAt: at,
  };
}

/** Wishes a resident may erase themselves now: not while someone is working on them. */
export const IN_PROGRESS_STATUSES = ['claimed', 'fulfilled'] as const;

/** What a resident's own deletion (deleteMyData) does to one of their wishes: while someone is working on it
 * (claimed, fulfilled, reviewed) it keeps its contact until it ends (`eraseOnEnd`, then the purge); not yet
 * claimed it is withdrawn and erased; ended it is erased; already erased, nothing is left to do. */
export function ownDeletionOf(wish: Pick<Wish, 'status' | 'purgedAt'>): 'keepUntilEnd' | 'withdrawAndErase' | 'erase' | 'erased' {
  if ((IN_PROGRESS_STATUSES as readonly string[]).includes(wish.status) || wish.status === 'reviewed') return 'keepUntilEnd';
  if (wish.purgedAt) return 'erased';
  return (ENDED_STATUSES as readonly string[]).includes(wish.status) ? 'erase' : 'withdrawAndErase';
}

// ---------------------------------------------------------------------------
// Photos: WeChat's asynchronous media check (security.mediaCheckAsync) answers minutes later, by a message
// push. A photo judged `risky` — or `review`, which nobody here can look at yet, so it is treated the same —
// is taken off the wish; the timeline says so without naming the photo.
// ---------------------------------------------------------------------------
export type MediaVerdict = 'pass' | 'review' | 'risky';
/** Where a photo sat on the wish: the resident's own photos, the fulfilment evidence, or timeline entries. */
export type PhotoPlace = 'wish' | 'fulfilment' | 'timeline';

export interface PhotoRemoved {
  wish: Wish;
  entry: TimelineEntry;
  places: PhotoPlace[];
}

/** The wish without `fileId` (in every place it appears), one version on, with a system timeline entry;
 * null when the wish does not carry the photo (already removed, erased, or never stored): nothing to do. */
export function removePhoto(wish: Wish, fileId: string, verdict: Exclude<MediaVerdict, 'pass'>, now: Date): PhotoRemoved | null {
  const places: PhotoPlace[] = [];
  const without = (list: string[]) => list.filter((f) => f !== fileId);
  if (wish.photos?.includes(fileId)) places.push('wish');
  if (wish.fulfilment?.photos.includes(fileId)) places.push('fulfilment');
  if (wish.timeline.some((e) => e.photos?.includes(fileId))) places.push('timeline');
  if (!places.length) return null;
  const at = now.toISOString();
  const entry: TimelineEntry = {
    status: wish.status,
    action: 'photoRemoved',
    at,
    actorRole: 'system',
    actorId: 'system',
    note: verdict === 'risky' ? '一张照片未通过内容安全检查，已被移除' : '一张照片需要人工审核，已先行移除',
  };
  const timeline = wish.timeline.map((e) => (e.photos?.includes(fileId) ? { ...e, photos: without(e.photos) } : e));
  const next: Wish = {
    ...wish,
    ...(wish.photos ? { photos: without(wish.photos) } : {}),
    fulfilment: wish.fulfilment ? { ...wish.fulfilment, photos: without(wish.fulfilment.photos) } : null,
    version: wish.version + 1,
    updatedAt: at,
    timeline: [...timeline, entry],
  };
  return { wish: next, entry, places };
}

/**
 * Wishes. A wish changes only through `replaceIfVersion`: one conditional update on {_id, version},
 * so of two concurrent transitions from the same version exactly one is stored.
 */
import { randomBytes, createHash } from 'node:crypto';
import type { Duplicate, DuplicateReason, Effect, StockList, StoredWish, Wish } from '../../src/core';
import { FILES, WISHES } from './collections';
import { anyOf, db } from './db';
import { uploadRecordOf } from './files';
import { fieldsByIds, insertNew, pageAll } from './docs';
import { listDocs, type Page, type SortKey } from './paging';

/** A wish as stored, with the effects of its last transition if they are not yet delivered (`pending`). */
export async function getWish(id: string): Promise<StoredWish | null> {
  const r = await db().collection(WISHES).doc(id).get();
  return (r.data[0] as StoredWish | undefined) ?? null;
}

/** Several wishes in one request (a batch), by id. */
export async function getWishes(ids: readonly string[]): Promise<Map<string, StoredWish>> {
  if (!ids.length) return new Map();
  const r = await db()
    .collection(WISHES)
    .where({ _id: anyOf(ids) })
    .limit(1000)
    .get();
  return new Map((r.data as StoredWish[]).map((w) => [w._id, w]));
}

/** Inserts a new wish; false when a wish with this _id already exists (a retried create). */
export const insertWish = (wish: Wish) => insertNew(WISHES, wish);

/** Stores `next` if the stored wish is still at `prev.version`. Returns whether it was stored.
 * The timeline is appended to (only the new entries are sent). */
export async function replaceIfVersion(prev: StoredWish, next: StoredWish): Promise<boolean> {
  const patch = changedFields(prev, next, 'timeline');
  patch.timeline = db().command.push(next.timeline.slice(prev.timeline.length));
  return updateIfVersion(prev, patch);
}

/** The top-level fields of `next` that differ from `prev` (except `_id` and `skip`), as an update patch.
 * Objects are replaced whole: a plain object would be merged field by field (dotted $set). */
function changedFields(prev: StoredWish, next: StoredWish, skip?: keyof StoredWish): Record<string, unknown> {
  const _ = db().command;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(next) as Array<keyof StoredWish>) {
    if (key === '_id' || key === skip) continue;
    const value = next[key];
    if (JSON.stringify(value) === JSON.stringify(prev[key])) continue;
    patch[key] = value !== null && typeof value === 'object' ? _.set(value) : value;
  }
  return patch;
}

/** One conditional update on {_id, version}: of two concurrent writers from the same version exactly one wins. */
async function updateIfVersion(prev: Wish, patch: Record<string, unknown>): Promise<boolean> {
  const r = await db().collection(WISHES).where({ _id: prev._id, version: prev.version }).update(patch);
  return r.updated === 1;
}

/** A new wish id: deterministic for a (caller, requestId) pair so a retried create finds its first answer. */
export function newWishId(actorId: string, requestId?: string): string {
  if (!requestId) return randomBytes(16).toString('hex');
  return createHash('sha256').update(`${actorId}\n${requestId}`).digest('hex').slice(0, 32);
}

/** Stores `next` whole (timeline included, e.g. erased notes) if the stored wish is still at `prev.version`.
 * Used by the retention purge and a resident's own deletion. */
export async function rewriteIfVersion(prev: StoredWish, next: StoredWish): Promise<boolean> {
  const patch = changedFields(prev, next);
  return Object.keys(patch).length ? updateIfVersion(prev, patch) : true;
}

export function listWishes(
  filter: Record<string, unknown>,
  opts: { sortBy: SortKey; order?: 'asc' | 'desc'; cursor?: string; limit?: number; fields?: readonly string[] },
): Promise<Page<Wish> | 'bad-cursor'> {
  return listDocs<Wish>(WISHES, filter, opts);
}

// ---------------------------------------------------------------------------
// Claim limit, duplicates, evidence files.
// ---------------------------------------------------------------------------

export const DUPLICATE_WINDOW_DAYS = 180;
const DUPLICATE_SCAN = 200; // recent wishes compared by text
const MAX_DUPLICATES = 20;
/** Character-bigram Dice similarity at or above this counts as similar text. */
export const SIMILAR_TEXT = 0.5;

function bigrams(s: string): Set<string> {
  const t = s.replace(/[\s\p{P}]/gu, '');
  const out = new Set<string>();
  for (let i = 0; i < t.length - 1; i++) out.add(t.slice(i, i + 2));
  return out;
}

/** Dice coefficient of the two texts' character bigrams (0..1); works for Chinese without a tokenizer. */
export function textSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (!x.size || !y.size) return 0;
  let both = 0;
  for (const g of x) if (y.has(g)) both++;
  return (2 * both) / (x.size + y.size);
}

/**
 * Wishes of the same organisation from the last 180 days that may be the same need as `wish`:
 * same phone, same address, same resident (exact, by query), or similar title + content
 * (bigram similarity over the 200 most recent). At most 20, most reasons first, then newest.
 */
export async function findDuplicates(wish: Wish, now: Date): Promise<Duplicate[]> {
  const _ = db().command;
  const since = new Date(now.getTime() - DUPLICATE_WINDOW_DAYS * 24 * 3600 * 1000).toISOString();
  const base = { orgId: wish.orgId, _id: _.neq(wish._id), createdAt: _.gte(since) };
  const fields = { _id: true, title: true, content: true, status: true, createdAt: true, contact: true, residentId: true };
  const exactOr: Array<Record<string, string>> = [{ 'contact.phone': wish.contact.phone }, { 'contact.address': wish.contact.address }];
  if (wish.residentId) exactOr.push({ residentId: wish.residentId });
  const [exact, recent] = await Promise.all([
    db()
      .collection(WISHES)
      .where(_.and([base, _.or(exactOr)]))
      .orderBy('createdAt', 'desc')
      .limit(MAX_DUPLICATES)
      .field(fields)
      .get(),
    db().collection(WISHES).where(base).orderBy('createdAt', 'desc').limit(DUPLICATE_SCAN).field(fields).get(),
  ]);
  const text = `${wish.title} ${wish.content}`;
  const found = new Map<string, Duplicate>();
  for (const w of [...(exact.data as Wish[]), ...(recent.data as Wish[])]) {
    if (found.has(w._id)) continue;
    const reasons: DuplicateReason[] = [];
    if (w.residentId && w.residentId === wish.residentId) reasons.push('same-resident');
    if (w.contact?.phone === wish.contact.phone) reasons.push('same-phone');
    if (w.contact?.address === wish.contact.address) reasons.push('same-address');
    if (textSimilarity(text, `${w.title} ${w.content}`) >= SIMILAR_TEXT) reasons.push('similar-text');
    if (reasons.length) found.set(w._id, { _id: w._id, title: w.title, status: w.status, createdAt: w.createdAt, reasons });
  }
  return [...found.values()]
    .sort((a, b) => b.reasons.length - a.reasons.length || b.createdAt.localeCompare(a.createdAt))
    .slice(0, MAX_DUPLICATES);
}

/**
 * The wishes (at most 20) these files were attached to: each photo's upload record (`files`, server/photos.ts) names
 * the wish attachPhotos attached it to, so the wishes are read by `_id`. The caller still decides from the wish's own
 * photo fields (a file no longer on its wish, e.g. erased, is on none). Reading through the records keeps three
 * multikey indexes (photos, fulfilment.photos, timeline.photos) off `wishes`, which CloudBase allows 20 indexes
 * (docs/localcloud.md, Quotas), and off every wish write.
 */
export async function wishesWithFiles(fileIds: readonly string[]): Promise<Wish[]> {
  const keys = [...new Set(fileIds.map(uploadRecordOf).filter((k): k is string => Boolean(k)))];
  if (!keys.length) return [];
  const _ = db().command;
  const records = await db()
    .collection(FILES)
    .where({ _id: _.in(keys) })
    .field({ wishId: true })
    .limit(100)
    .get();
  const wishIds = [
    ...new Set((records.data as Array<{ wishId?: string | null }>).map((f) => f.wishId).filter((w): w is string => Boolean(w))),
  ];
  if (!wishIds.length) return [];
  const r = await db()
    .collection(WISHES)
    .where({ _id: _.in(wishIds) })
    .limit(20)
    .get();
  return r.data as Wish[];
}

/** Every file id a wish carries. */
export function filesOf(w: Wish): string[] {
  return [...(w.photos ?? []), ...(w.fulfilment?.photos ?? []), ...w.timeline.flatMap((e) => e.photos ?? [])];
}

/** Every wish a resident posted (at most 1000, unordered): their own deletion. */
export async function postedWishes(residentId: string): Promise<StoredWish[]> {
  return (await db().collection(WISHES).where({ residentId }).limit(1000).get()).data as StoredWish[];
}

/** A person's own wishes, posted (`residentId`) or claimed (`claim.memberId`), newest first (at most 1000): their data export. */
export async function ownWishes(filter: { residentId: string } | { 'claim.memberId': string }): Promise<Wish[]> {
  return (await db().collection(WISHES).where(filter).orderBy('createdAt', 'desc').limit(1000).get()).data as Wish[];
}

/** A member's 50 most recently changed claims, with the fields 我的一年 (myYear) reads. */
export async function memberClaimsForYear(memberId: string): Promise<Wish[]> {
  const r = await db()
    .collection(WISHES)
    .where({ 'claim.memberId': memberId })
    .orderBy('updatedAt', 'desc')
    .limit(50)
    .field({
      _id: true,
      title: true,
      publicTitle: true,
      category: true,
      residentId: true,
      status: true,
      claim: true,
      timeline: true,
      closedAt: true,
      updatedAt: true,
      orgId: true,
    })
    .get();
  return r.data as Wish[];
}

/** Sets these plain fields if the stored wish is still at `w.version` (one conditional update); whether it did. */
export async function setIfVersion(w: Pick<Wish, '_id' | 'version'>, fields: Record<string, unknown>): Promise<boolean> {
  const r = await db().collection(WISHES).where({ _id: w._id, version: w.version }).update(fields);
  return r.updated === 1;
}

/** How many claims each of these members holds open (one aggregate; none for no ids). */
export async function openClaimCounts(memberIds: readonly string[]): Promise<Map<string, number>> {
  if (!memberIds.length) return new Map();
  const $ = db().command.aggregate;
  const r = (await db()
    .collection(WISHES)
    .aggregate()
    .match({ 'claim.memberId': db().command.in([...memberIds]), status: 'claimed' })
    .group({ _id: '$claim.memberId', n: $.sum(1) })
    .end()) as { data: Array<{ _id: string; n: number }> };
  return new Map(r.data.map((g) => [g._id, g.n]));
}

/** The ids of a member's open claims as a member (at most 100): removeMember, and the claim limit's list when it is
 * first filled (server/claimSlots.ts). */
export async function openMemberClaimIds(memberId: string): Promise<string[]> {
  const r = await db()
    .collection(WISHES)
    .where({ 'claim.memberId': memberId, 'claim.kind': 'member', status: 'claimed' })
    .field({ _id: true })
    .limit(100)
    .get();
  return (r.data as Array<{ _id: string }>).map((w) => w._id);
}

/** Approves a held wish's content: the new moderation and pending effects, if the wish is still at its version and
 * still held (one conditional update; version and timeline unchanged). Whether it did. */
export async function approveHeldIfVersion(
  w: Pick<Wish, '_id' | 'version'>,
  moderation: unknown,
  pending: readonly Effect[],
): Promise<boolean> {
  const r = await db()
    .collection(WISHES)
    .where({ _id: w._id, version: w.version, 'moderation.state': 'review' })
    .update({ moderation: db().command.set(moderation), pending: db().command.set(pending) });
  return r.updated === 1;
}

/** The filter of claimed wishes promised for a day from `from` up to `end` (ISO days, China time). */
export function claimedPromised(from: string, end: { lt: string } | { lte: string }): Record<string, unknown> {
  const _ = db().command;
  return { status: 'claimed', 'claim.promisedBy': _.and(_.gte(from), 'lt' in end ? _.lt(end.lt) : _.lte(end.lte)) };
}

/** Ended wishes due for erasure (past the cutoff, or erased at their end), not yet purged (at most `limit`). */
export async function purgeDue(endedStatuses: readonly string[], cutoff: string, limit: number): Promise<StoredWish[]> {
  const _ = db().command;
  const r = await db()
    .collection(WISHES)
    .where(
      _.and([
        { status: _.in([...endedStatuses]) },
        _.or([{ updatedAt: _.lt(cutoff) }, { eraseOnEnd: true }]),
        { purgedAt: _.exists(false) },
      ]),
    )
    .limit(limit)
    .get();
  return r.data as StoredWish[];
}

/** Wishes holding effects not yet delivered (at most `limit`): every effect id is a non-empty string, so
 * `pending.id > ''` finds exactly those, through the declared (multikey) index on pending.id. */
export async function wishesWithPending(limit: number): Promise<StoredWish[]> {
  return (
    await db()
      .collection(WISHES)
      .where({ 'pending.id': db().command.gt('') })
      .limit(limit)
      .get()
  ).data as StoredWish[];
}

/** The filter of a stock view's list (the wishes of `orgId`, a value or `$in`). */
function stockFilter(list: StockList, orgId: unknown): Record<string, unknown> {
  const _ = db().command;
  const r = list.range ?? {};
  const bounds = [
    r.lt !== undefined ? _.lt(r.lt) : null,
    r.lte !== undefined ? _.lte(r.lte) : null,
    r.gt !== undefined ? _.gt(r.gt) : null,
    r.gte !== undefined ? _.gte(r.gte) : null,
  ].filter((b) => b !== null);
  return {
    orgId,
    status: list.statuses.length === 1 ? list.statuses[0] : _.in([...list.statuses]),
    ...list.equals,
    // Two bounds as one range on the field (`gte(a).and(lte(b))`: {$gte, $lte}, which the index serves).
    ...(bounds.length ? { [list.sortBy]: bounds.reduce((a, b) => a.and(b) as unknown as typeof a) } : {}),
  };
}

/** Which of an organisation's lists (orgWishes): the wishes that took a step in a period, a stock view, or a status. */
export type OrgWishList =
  | { kind: 'period'; field: string; status?: string; from: string; to: string }
  | { kind: 'stock'; list: StockList }
  | { kind: 'status'; status?: string };

/** One page of the wishes of `orgId` (a value or `anyOf`) in this list. */
export function orgWishPage(
  orgId: unknown,
  list: OrgWishList,
  opts: { cursor?: string; limit?: number },
): Promise<Page<Wish> | 'bad-cursor'> {
  const _ = db().command;
  if (list.kind === 'period')
    return listWishes(
      { orgId, ...(list.status ? { status: list.status } : {}), [list.field]: _.gte(list.from).and(_.lt(list.to)) },
      { ...opts, sortBy: list.field as 'createdAt' },
    );
  if (list.kind === 'stock')
    return listWishes(stockFilter(list.list, orgId), { ...opts, sortBy: list.list.sortBy, order: list.list.order });
  if (list.status === 'deferred') return listWishes({ orgId, status: 'deferred' }, { ...opts, sortBy: 'reviewOn', order: 'asc' });
  return listWishes({ orgId, ...(list.status ? { status: list.status } : {}) }, { ...opts, sortBy: 'createdAt' });
}

/** How many wishes of `orgId` are in each status (one aggregate) and in each of these stock lists (a count each). */
export async function countByStatusAndLists(
  orgId: unknown,
  lists: readonly StockList[],
): Promise<{ byStatus: Array<{ _id?: string; n: number }>; lists: number[] }> {
  const wishes = () => db().collection(WISHES);
  const [groups, ...views] = await Promise.all([
    wishes()
      .aggregate()
      .match({ orgId })
      .group({ _id: '$status', n: db().command.aggregate.sum(1) })
      .end() as Promise<{ data: Array<{ _id?: string; n: number }> }>,
    ...lists.map((list) => wishes().where(stockFilter(list, orgId)).count()),
  ]);
  return { byStatus: groups.data, lists: views.map((v) => v.total ?? 0) };
}

/** One page of a person's own wishes: those they posted, or those they claimed (only these statuses, if given). */
export function ownWishPage(
  actorId: string,
  claimed: boolean,
  statuses: readonly string[] | null,
  opts: { cursor?: string; limit?: number },
): Promise<Page<Wish> | 'bad-cursor'> {
  const filter = claimed
    ? { 'claim.memberId': actorId, ...(statuses ? { status: db().command.in([...statuses]) } : {}) }
    : { residentId: actorId };
  return listWishes(filter, { sortBy: claimed ? 'updatedAt' : 'createdAt', ...opts });
}

const RECENT = 10;
const WIDE = 200;

/** The most recently closed wishes of these organisations, only these fields (the public results). A large set
 * (a city, a district) takes them from the newest closures of all (one read of at most WIDE documents on the
 * status/closedAt index); a small one, or a large one with too few among those, asks for its own organisations (the
 * orgId/status/closedAt index). */
export async function recentlyClosed<T extends { orgId: string }>(ids: readonly string[], fieldNames: readonly string[]): Promise<T[]> {
  const fields = Object.fromEntries(fieldNames.map((f) => [f, true]));
  const wishes = () => db().collection(WISHES);
  if (ids.length > 50) {
    const mine = new Set(ids);
    const wide = await wishes().where({ status: 'closed' }).orderBy('closedAt', 'desc').field(fields).limit(WIDE).get();
    const found = (wide.data as T[]).filter((w) => mine.has(w.orgId)).slice(0, RECENT);
    if (found.length === RECENT || wide.data.length < WIDE) return found;
  }
  const r = await wishes()
    .where({ orgId: anyOf(ids), status: 'closed' })
    .orderBy('closedAt', 'desc')
    .field(fields)
    .limit(RECENT)
    .get();
  return r.data as T[];
}

/** Every wish of these organisations created in [start, end), oldest first, page by page (`pageSize` a query, the
 * cursor on (createdAt, _id): the wishes [orgId, createdAt] index) with these fields: the ledgers (server/ledger.ts). */
export async function* wishesCreatedIn(
  orgIds: readonly string[],
  start: string,
  end: string,
  fields: readonly string[],
  pageSize: number,
): AsyncGenerator<Wish> {
  const _ = db().command;
  const filter = { orgId: anyOf(orgIds), createdAt: _.gte(start).and(_.lt(end)) };
  let cursor: string | undefined;
  for (;;) {
    const page = await listDocs<Wish>(WISHES, filter, { sortBy: 'createdAt', order: 'asc', cursor, limit: pageSize, fields });
    if (page === 'bad-cursor') throw new Error('ledger cursor refused');
    for (const w of page.items) yield w;
    if (!page.cursor) return;
    cursor = page.cursor;
  }
}

/** Up to 200 wishes of these organisations in these statuses entered from a paper card (channel 心愿卡), newest first,
 * with the fields the card link form's pick list needs (the `orgId, status, createdAt` index). */
export async function cardChannelWishes(
  orgIds: readonly string[],
  statuses: readonly string[],
): Promise<Array<Pick<StoredWish, '_id' | 'wishNo' | 'title' | 'createdAt' | 'cardNo'> & { contact?: { name?: string } }>> {
  const _ = db().command;
  const r = await db()
    .collection(WISHES)
    .where({ orgId: _.in([...orgIds]), status: _.in([...statuses]), channel: 'card' })
    .orderBy('createdAt', 'desc')
    .limit(200)
    .field({ _id: true, wishNo: true, title: true, 'contact.name': true, createdAt: true, cardNo: true })
    .get();
  return r.data as Array<Pick<StoredWish, '_id' | 'wishNo' | 'title' | 'createdAt' | 'cardNo'> & { contact?: { name?: string } }>;
}

/** These wishes' pending effects, card number and version, if stored (one request, at most `limit`): an import's
 * rows entered before. */
export async function wishStubsByIds(
  ids: readonly string[],
  limit: number,
): Promise<Array<{ _id: string; pending?: Effect[]; cardNo?: string | null; version: number }>> {
  const r = await db()
    .collection(WISHES)
    .where({ _id: db().command.in([...ids]) })
    .field({ _id: true, pending: true, cardNo: true, version: true })
    .limit(limit)
    .get();
  return r.data as Array<{ _id: string; pending?: Effect[]; cardNo?: string | null; version: number }>;
}

/** Every wish (these fields), a page of 1000 at a time by _id (reconcile). */
export const allWishes = (fields: string[]) => pageAll<Wish>(WISHES, {}, fields);

/** These wishes, only these fields, by id (one request; none for no ids). */
export const wishFieldsByIds = <T extends { _id: string }>(ids: string[], fields: Record<string, true>) =>
  fieldsByIds<T>(WISHES, ids, fields);

/**
 * Persistence of wishes, users and organisations through the CloudBase SDK.
 * A wish changes only through `replaceIfVersion`: one conditional update on {_id, version},
 * so of two concurrent transitions from the same version exactly one is stored.
 */
import { randomBytes, createHash } from 'node:crypto';
import {
  DEFAULT_CATEGORIES,
  DEFAULT_MAX_OPEN_CLAIMS,
  scopeOf,
  type Actor,
  type ConsentRecord,
  type Duplicate,
  type Effect,
  type DuplicateReason,
  type Role,
  type StoredWish,
  type Wish,
} from '../src/core';
import { db } from './cloud';
import { FILES, uploadRecordOf } from './photos';

export const WISHES = 'wishes';
export const USERS = 'users';
export const ORGS = 'orgs';
export const OUTBOX = 'outbox'; // notifications, one document per recipient (local adapter and in-app list)
export const REMINDERS = 'reminders'; // one document per (wish, promised date) whose deadline reminder was sent

export interface UserDoc {
  _id: string; // openid
  role: Role;
  orgId: string | null;
  name: string;
  consent?: Partial<ConsentRecord>;
  /** A party member who joined with an invitation code, waiting for the inviting organiser to confirm. */
  pending?: { orgId: string; name: string; code: string; invitedBy: string; at: string } | null;
  appointedBy?: string;
  confirmedBy?: string;
  /** Effects of an action on this person stored with its conditional update, until delivered (server/effects.ts). */
  pendingEffects?: Effect[];
}
export interface OrgDoc {
  _id: string;
  name: string;
  parentId: string | null;
  level: string;
  categories?: string[];
  /** Root first; a subtree is one query on this field. */
  ancestors?: string[];
  /** Members of this organisation also see its parent's claim board. */
  boardIncludesParent?: boolean;
  maxOpenClaims?: number; // open claims a member may hold at once (default DEFAULT_MAX_OPEN_CLAIMS)
  /** Yearly quotas (src/core/quotas.ts): wishes a member closes (default 1), practical things (default 3). */
  quotas?: { member?: number; org?: number };
  /** The bulletin names a child unit whose on-time rate this year is below this (default 0.8; src/core/rhythm.ts). */
  onTimeThreshold?: number;
  /** The day of the month its monthly report is made (default 25). */
  reportDay?: number;
  /** Where a filled-in paper wish card is handed in, printed on the card as 填好后请交回：… (default: its name). */
  cardReturnTo?: string;
}

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
export async function insertWish(wish: Wish): Promise<boolean> {
  try {
    await db().collection(WISHES).add(wish);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'DATABASE_DUPLICATE_WRITE') return false;
    throw e;
  }
}

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

/** The caller as the lifecycle sees them. Someone we have never seen is a resident without an organisation.
 * The user (role, organisation) is read on every call; the organisation and an organiser's subtree come from
 * this instance's short cache (ORG_TTL_MS). */
export async function loadActor(openid: string): Promise<{ actor: Actor; user: UserDoc | null; org: OrgDoc | null }> {
  const users = await db().collection(USERS).doc(openid).get();
  const user = (users.data[0] as UserDoc | undefined) ?? null;
  const actor: Actor = { id: openid, role: user?.role ?? 'resident', orgId: user?.orgId ?? null };
  const [org, subtree] = actor.orgId
    ? await Promise.all([getOrg(actor.orgId), actor.role === 'organiser' ? cachedSubtree(actor.orgId) : Promise.resolve([])])
    : [null, []];
  if (actor.role !== 'resident' && !org) actor.orgId = null; // an organisation that does not exist gives no scope
  // What a claim records of who holds it (issue 7: the resident and organisers see name and branch).
  if (user?.name) actor.name = user.name;
  if (org?.name) actor.orgName = org.name;
  actor.scope = scopeOf(actor.role, org, actor.role === 'organiser' && org ? subtree : []);
  return { actor, user, org };
}

/** How long an instance trusts what it read of an organisation (its document, subtree, organisers). Roles are
 * never cached: the caller's user document is read on every call. */
export const ORG_TTL_MS = 30_000;
/** ORG_CACHE_MS in the environment overrides it (0: no cache, e.g. tests that edit organisations directly). */
const orgTtl = () =>
  process.env.ORG_CACHE_MS !== undefined && process.env.ORG_CACHE_MS !== '' ? Number(process.env.ORG_CACHE_MS) : ORG_TTL_MS;
const orgCache = new Map<string, { at: number; value: Promise<unknown> }>();

/** `load()` once per key and ORG_TTL_MS in this instance; a failed load is not kept. */
function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = orgCache.get(key);
  if (hit && Date.now() - hit.at < orgTtl()) return hit.value as Promise<T>;
  const value = load();
  orgCache.set(key, { at: Date.now(), value });
  value.catch(() => orgCache.delete(key));
  if (orgCache.size > 5000) orgCache.delete(orgCache.keys().next().value!);
  return value;
}

export function getOrg(id: string): Promise<OrgDoc | null> {
  return cached(`org:${id}`, async () => {
    const r = await db().collection(ORGS).doc(id).get();
    return (r.data[0] as OrgDoc | undefined) ?? null;
  });
}

const cachedSubtree = (id: string) => cached(`subtree:${id}`, () => subtreeOf(id));
/** An organisation's subtree (every organisation below it), from this instance's cache (ORG_TTL_MS). */
export const subtreeDocs = cachedSubtree;

/** Every organisation below `id` (one query on the materialised `ancestors` path). */
export async function subtreeOf(id: string): Promise<OrgDoc[]> {
  const r = await db().collection(ORGS).where({ ancestors: id }).limit(1000).get();
  return r.data as OrgDoc[];
}

/** The names of these organisations (one query), for lists that show which community a row belongs to. */
export async function orgNames(ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].sort();
  if (!unique.length) return new Map();
  return cached(`names:${unique.join(',')}`, () => readOrgNames(unique));
}

async function readOrgNames(unique: string[]): Promise<Map<string, string>> {
  const r = await db()
    .collection(ORGS)
    .where({ _id: db().command.in(unique) })
    .field({ name: true })
    .limit(1000)
    .get();
  return new Map((r.data as Array<{ _id: string; name: string }>).map((o) => [o._id, o.name]));
}

/** A query value matching any of these ids (a plain value for one, so the index on the field is used simply). */
export function anyOf(ids: readonly string[]): unknown {
  return ids.length === 1 ? ids[0] : db().command.in([...ids]);
}

export function categoriesOf(org: OrgDoc | null): readonly string[] {
  return org?.categories?.length ? org.categories : DEFAULT_CATEGORIES;
}

// ---------------------------------------------------------------------------
// Lists: cursor pagination on (field desc, _id desc), never a deep skip.
// ---------------------------------------------------------------------------
export interface Page<T> {
  items: T[];
  cursor: string | null;
}

interface Cursor {
  v: string;
  id: string;
}

function decodeCursor(s: string | undefined): Cursor | null | 'bad' {
  if (!s) return null;
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    return typeof c.v === 'string' && typeof c.id === 'string' && c.v.length < 64 && /^[A-Za-z0-9_-]{1,64}$/.test(c.id) ? c : 'bad';
  } catch {
    return 'bad';
  }
}

type SortKey =
  | 'createdAt'
  | 'publishedAt'
  | 'updatedAt'
  | 'boardRank'
  | 'claim.promisedBy'
  | 'reviewOn'
  | 'at'
  | 'pending.at'
  | 'name'
  // orgWishes with a period (src/core/periodLists.ts)
  | 'registeredAt'
  | 'claim.at'
  | 'fulfilment.at'
  | 'closedAt'
  // orgWishes stale queues (src/core/stockLists.ts)
  | 'statusAt';

/** The value at a dotted path ("claim.promisedBy"). */
function valueAt(doc: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), doc);
}

/** One page of `collection`, ordered by (sortBy, _id) in `order` (default desc); the cursor is the last row's key. */
export async function listDocs<T extends { _id: string }>(
  collection: string,
  filter: Record<string, unknown>,
  opts: { sortBy: SortKey; order?: 'asc' | 'desc'; cursor?: string; limit?: number; fields?: readonly string[] },
): Promise<Page<T> | 'bad-cursor'> {
  const _ = db().command;
  const limit = opts.limit ?? 20;
  const order = opts.order ?? 'desc';
  const cursor = decodeCursor(opts.cursor);
  if (cursor === 'bad') return 'bad-cursor';
  const past = order === 'desc' ? _.lt : _.gt;
  const where = cursor
    ? _.and([filter, _.or([{ [opts.sortBy]: past(cursor.v) }, { [opts.sortBy]: cursor.v, _id: past(cursor.id) }])])
    : filter;
  let q = db()
    .collection(collection)
    .where(where)
    .orderBy(opts.sortBy, order)
    .orderBy('_id', order)
    .limit(limit + 1);
  // The sort key is always fetched: the cursor is made of it.
  if (opts.fields) q = q.field(Object.fromEntries([...opts.fields, opts.sortBy].map((f) => [f, true])));
  const r = await q.get();
  const docs = r.data as T[];
  const items = docs.slice(0, limit);
  const last = items[items.length - 1];
  const more = docs.length > limit && last;
  return {
    items,
    cursor: more ? Buffer.from(JSON.stringify({ v: String(valueAt(last, opts.sortBy)), id: last._id })).toString('base64url') : null,
  };
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

/** How many open (claimed) wishes this member holds now. */
export async function openClaimsOf(memberId: string): Promise<number> {
  const r = await db().collection(WISHES).where({ 'claim.memberId': memberId, status: 'claimed' }).count();
  return r.total ?? 0;
}

export function maxOpenClaimsOf(org: OrgDoc | null): number {
  const n = org?.maxOpenClaims;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : DEFAULT_MAX_OPEN_CLAIMS;
}

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

/** openids of the organisers of an organisation (notification recipients; cached like the organisation). */
export function organisersOf(orgId: string): Promise<string[]> {
  return cached(`organisers:${orgId}`, async () => {
    const r = await db().collection(USERS).where({ role: 'organiser', orgId }).limit(50).field({ _id: true }).get();
    return (r.data as UserDoc[]).map((u) => u._id);
  });
}

/**
 * openids of the organisers nearest to an organisation: its own, or, where it has none (a grid, a building, a party
 * group), those of the closest organisation above it that has any. The recipients of 'organisers' notices and of
 * the organiser alerts (all of them may see the wish: organisers of its organisation or above). One query on the
 * (orgId, role) index for the whole path; cached like the organisation.
 */
export function nearestOrganisersOf(orgId: string): Promise<string[]> {
  return cached(`nearest-organisers:${orgId}`, async () => {
    const org = await getOrg(orgId);
    const path = [...(org?.ancestors ?? []), orgId];
    const r = await db()
      .collection(USERS)
      .where({ orgId: path.length === 1 ? orgId : db().command.in(path), role: 'organiser' })
      .limit(200)
      .field({ _id: true, orgId: true })
      .get();
    const users = r.data as UserDoc[];
    for (const id of [...path].reverse()) {
      const here = users.filter((u) => u.orgId === id).map((u) => u._id);
      if (here.length) return here;
    }
    return [];
  });
}

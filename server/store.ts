/**
 * Persistence of wishes, users and organisations through the CloudBase SDK.
 * A wish changes only through `replaceIfVersion`: one conditional update on {_id, version},
 * so of two concurrent transitions from the same version exactly one is stored.
 */
import { randomBytes, createHash } from 'node:crypto';
import { DEFAULT_CATEGORIES, scopeOf, type Actor, type ConsentRecord, type Role, type Wish } from '../src/core';
import { db } from './cloud';

export const WISHES = 'wishes';
export const USERS = 'users';
export const ORGS = 'orgs';

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
}

export async function getWish(id: string): Promise<Wish | null> {
  const r = await db().collection(WISHES).doc(id).get();
  return (r.data[0] as Wish | undefined) ?? null;
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

/** Stores `next` if the stored wish is still at `prev.version`. Returns whether it was stored. */
export async function replaceIfVersion(prev: Wish, next: Wish): Promise<boolean> {
  const _ = db().command;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(next) as Array<keyof Wish>) {
    if (key === '_id' || key === 'timeline') continue;
    const value = next[key];
    if (JSON.stringify(value) === JSON.stringify(prev[key])) continue;
    // Objects are replaced whole: a plain object would be merged field by field (dotted $set).
    patch[key] = value !== null && typeof value === 'object' ? _.set(value) : value;
  }
  patch.timeline = _.push(next.timeline.slice(prev.timeline.length));
  const r = await db().collection(WISHES).where({ _id: prev._id, version: prev.version }).update(patch);
  return r.updated === 1;
}

/** A new wish id: deterministic for a (caller, requestId) pair so a retried create finds its first answer. */
export function newWishId(actorId: string, requestId?: string): string {
  if (!requestId) return randomBytes(16).toString('hex');
  return createHash('sha256').update(`${actorId}\n${requestId}`).digest('hex').slice(0, 32);
}

/** The caller as the lifecycle sees them. Someone we have never seen is a resident without an organisation. */
export async function loadActor(openid: string): Promise<{ actor: Actor; user: UserDoc | null; org: OrgDoc | null }> {
  const users = await db().collection(USERS).doc(openid).get();
  const user = (users.data[0] as UserDoc | undefined) ?? null;
  const actor: Actor = { id: openid, role: user?.role ?? 'resident', orgId: user?.orgId ?? null };
  const org = actor.orgId ? await getOrg(actor.orgId) : null;
  if (actor.role !== 'resident' && !org) actor.orgId = null; // an organisation that does not exist gives no scope
  actor.scope = scopeOf(actor.role, org, actor.role === 'organiser' && org ? await subtreeOf(org._id) : []);
  return { actor, user, org };
}

export async function getOrg(id: string): Promise<OrgDoc | null> {
  const r = await db().collection(ORGS).doc(id).get();
  return (r.data[0] as OrgDoc | undefined) ?? null;
}

/** Every organisation below `id` (one query on the materialised `ancestors` path). */
export async function subtreeOf(id: string): Promise<OrgDoc[]> {
  const r = await db().collection(ORGS).where({ ancestors: id }).limit(1000).get();
  return r.data as OrgDoc[];
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

export async function listWishes(
  filter: Record<string, unknown>,
  opts: { sortBy: 'createdAt' | 'publishedAt' | 'updatedAt'; cursor?: string; limit?: number; fields?: readonly string[] },
): Promise<Page<Wish> | 'bad-cursor'> {
  const _ = db().command;
  const limit = opts.limit ?? 20;
  const cursor = decodeCursor(opts.cursor);
  if (cursor === 'bad') return 'bad-cursor';
  const where = cursor
    ? _.and([filter, _.or([{ [opts.sortBy]: _.lt(cursor.v) }, { [opts.sortBy]: cursor.v, _id: _.lt(cursor.id) }])])
    : filter;
  let q = db().collection(WISHES).where(where).orderBy(opts.sortBy, 'desc').orderBy('_id', 'desc').limit(limit + 1);
  if (opts.fields) q = q.field(Object.fromEntries(opts.fields.map((f) => [f, true])));
  const r = await q.get();
  const docs = r.data as Wish[];
  const items = docs.slice(0, limit);
  const last = items[items.length - 1];
  const more = docs.length > limit && last;
  return {
    items,
    cursor: more ? Buffer.from(JSON.stringify({ v: String(last[opts.sortBy]), id: last._id })).toString('base64url') : null,
  };
}

/** Stores `next` whole (timeline included, e.g. erased notes) if the stored wish is still at `prev.version`.
 * Used by the retention purge and a resident's own deletion. */
export async function rewriteIfVersion(prev: Wish, next: Wish): Promise<boolean> {
  const _ = db().command;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(next) as Array<keyof Wish>) {
    if (key === '_id') continue;
    const value = next[key];
    if (JSON.stringify(value) === JSON.stringify(prev[key])) continue;
    patch[key] = value !== null && typeof value === 'object' ? _.set(value) : value;
  }
  if (!Object.keys(patch).length) return true;
  const r = await db().collection(WISHES).where({ _id: prev._id, version: prev.version }).update(patch);
  return r.updated === 1;
}

/** Organisations: the documents, their subtrees and names, through this instance's short cache. */
import { DEFAULT_CATEGORIES, type RhythmOrg } from '../../src/core';
import { cached } from './cache';
import { ORGS } from './collections';
import { db } from './db';
import { pageAll } from './docs';

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

export function categoriesOf(org: OrgDoc | null): readonly string[] {
  return org?.categories?.length ? org.categories : DEFAULT_CATEGORIES;
}

/** The root of the tree (the organisation without a parent). */
export async function rootOrg(): Promise<OrgDoc | null> {
  const roots = await db().collection(ORGS).where({ parentId: null }).limit(1).get();
  return (roots.data[0] as OrgDoc | undefined) ?? null;
}

/** An organisation as the rhythm's jobs read it (server/rhythm.ts). */
export type TreeOrg = OrgDoc & RhythmOrg;

/** The whole organisation tree, the fields the rhythm's jobs need (a job reads it once). */
export function orgTree(): Promise<TreeOrg[]> {
  return pageAll<TreeOrg>(ORGS, {}, ['name', 'parentId', 'ancestors', 'level', 'quotas', 'onTimeThreshold', 'reportDay']);
}

/** Every organisation (these fields), a page of 1000 at a time by _id (reconcile). */
export const allOrgs = (fields: string[]) => pageAll<OrgDoc>(ORGS, {}, fields);

/** One organisation read now, not from this instance's cache, or undefined. */
export async function freshOrg(id: string): Promise<OrgDoc | undefined> {
  return (await db().collection(ORGS).doc(id).get()).data[0] as OrgDoc | undefined;
}

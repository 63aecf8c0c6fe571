/** Users (one document per openid): the caller as the lifecycle sees them, and who organises what. */
import { scopeOf, type Actor, type ConsentRecord, type Effect, type Role } from '../../src/core';
import { cached } from './cache';
import { USERS } from './collections';
import { db } from './db';
import { fieldsByIds, isDuplicate, pageAll } from './docs';
import { listDocs, type SortKey } from './paging';
import { getOrg, subtreeDocs, type OrgDoc } from './orgs';

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
  /** A member's claim-limit slots: the wishes they hold claimed, and claims in flight (server/store/slots.ts). */
  openClaimIds?: string[];
  /** When each slot was reserved by a claim (by slotAtKey of the wish id). */
  openClaimAt?: Record<string, string>;
  /** The rate limits' counts (server/trust.ts): per function, the windows of its latest calls, in two lists by the
   * window's parity (`a` even, `b` odd; each call empties the other). */
  rate?: Record<string, { a?: number[]; b?: number[] }>;
}

/** A change to the caller's own document sent with the request that loads it (loadCounting), made only where the
 * document also matches `where` (e.g. the claim's slot, server/store/slots.ts claimSlotChange). */
export interface UserChange {
  where: Record<string, unknown>;
  patch: Record<string, unknown>;
}

/** The caller as the lifecycle sees them. Someone we have never seen is a resident without an organisation.
 * The user (role, organisation) is read on every call; the organisation and an organiser's subtree come from
 * this instance's short cache (ORG_TTL_MS). */
export async function loadActor(openid: string): Promise<{ actor: Actor; user: UserDoc | null; org: OrgDoc | null }> {
  return actorFrom(openid, await userById(openid));
}

/** The list of `rate.<fn>` that a window's calls go to, and the other one (by the window's parity). */
export const rateLists = (window: number): ['a', 'b'] | ['b', 'a'] => (window % 2 === 0 ? ['a', 'b'] : ['b', 'a']);

/** How many calls of `fn` a user document has counted in `window`. */
export const callsIn = (user: UserDoc, fn: string, window: number) =>
  (user.rate?.[fn]?.[rateLists(window)[0]] ?? []).filter((w) => w === window).length;

/**
 * Loads the caller's document and counts one call of `fn` in the rate limit's `window` in the same request (one
 * `updateAndReturn`, issue 24): `$push` of the window onto `rate.<fn>.<a|b>` (by the window's parity), kept to its
 * last `cap` entries (`$slice`), and the other parity's list removed. Each update applies to the document alone, so
 * of concurrent calls each gets back the list with its own entry: `count` is how many of its entries are this
 * window (capped at `cap`, which is over every limit of `fn`). `change` is made in the same update where the document
 * also matches its `where` (`changed`); where it does not, the call is counted and loaded by a second request
 * without it. Null when the caller has no document (nothing written): someone we have never seen.
 */
export async function loadCounting(
  openid: string,
  fn: string,
  window: number,
  cap: number,
  change?: UserChange,
): Promise<{ user: UserDoc; count: number; changed: boolean } | null> {
  const _ = db().command;
  const [mine, other] = rateLists(window);
  const count = { [`rate.${fn}.${mine}`]: _.push({ each: [window], slice: -cap }), [`rate.${fn}.${other}`]: _.remove() };
  const once = async (c?: UserChange) => {
    const r = await db()
      .collection(USERS)
      .where({ ...c?.where, _id: openid })
      .updateAndReturn({ ...count, ...c?.patch });
    return Number(r.updated ?? 0) === 1 ? ((r.doc as UserDoc | null | undefined) ?? null) : null;
  };
  const withChange = change ? await once(change) : null;
  const user = withChange ?? (await once());
  if (!user) return null;
  return { user, count: callsIn(user, fn, window), changed: withChange !== null };
}

/** The caller as the lifecycle sees them, from their document as read (null: someone we have never seen). */
export async function actorFrom(openid: string, user: UserDoc | null): Promise<{ actor: Actor; user: UserDoc | null; org: OrgDoc | null }> {
  const actor: Actor = { id: openid, role: user?.role ?? 'resident', orgId: user?.orgId ?? null };
  const [org, subtree] = actor.orgId
    ? await Promise.all([getOrg(actor.orgId), actor.role === 'organiser' ? subtreeDocs(actor.orgId) : Promise.resolve([])])
    : [null, []];
  if (actor.role !== 'resident' && !org) actor.orgId = null; // an organisation that does not exist gives no scope
  // What a claim records of who holds it (issue 7: the resident and organisers see name and branch).
  if (user?.name) actor.name = user.name;
  if (org?.name) actor.orgName = org.name;
  actor.scope = scopeOf(actor.role, org, actor.role === 'organiser' && org ? subtree : []);
  return { actor, user, org };
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

/** One user's document, or null. */
export async function userById(openid: string): Promise<UserDoc | null> {
  return ((await db().collection(USERS).doc(openid).get()).data[0] as UserDoc | undefined) ?? null;
}

/**
 * Sets these fields on the caller's own document (`known`: it exists), or creates it: someone we have never seen is a
 * resident without an organisation (roles are never taken from the client). Plain values; objects are replaced whole
 * on update (a plain object would be merged field by field).
 */
export async function upsertOwnFields(
  openid: string,
  known: boolean,
  fields: Record<string, unknown>,
  /** Set only when the document is created here (e.g. the hour's rate counts it starts with: server/trust.ts rateSeed). */
  onCreate: Record<string, unknown> = {},
): Promise<void> {
  const users = db().collection(USERS);
  const _ = db().command;
  const patch = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v !== null && typeof v === 'object' ? _.set(v) : v]));
  if (known) {
    await users.doc(openid).update(patch);
    return;
  }
  try {
    await users.add({ _id: openid, role: 'resident', orgId: null, name: '', ...onCreate, ...fields });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
    await users.doc(openid).update(patch);
  }
}

/** Removes a user's document (a resident's own deletion). */
export async function removeUser(openid: string): Promise<void> {
  await db().collection(USERS).doc(openid).remove();
}

/** Removes a user's consent record (a member's or organiser's own deletion keeps the role). */
export async function dropConsent(openid: string): Promise<void> {
  await db().collection(USERS).doc(openid).update({ consent: db().command.remove() });
}

/** Makes someone an organiser, with the audit entry in their pendingEffects (`existed`: their document exists). */
export async function appointOrganiser(openid: string, existed: boolean, fields: Record<string, unknown>, audit: Effect): Promise<void> {
  const users = db().collection(USERS);
  if (existed) await users.doc(openid).update({ ...fields, pendingEffects: db().command.push([audit]) });
  else await users.add({ _id: openid, ...fields, pendingEffects: [audit] });
}

/** Sets these fields, with the audit entry in pendingEffects, only if the document still matches `where`
 * (one conditional update); whether it did. */
export async function updateUserIf(where: Record<string, unknown>, fields: Record<string, unknown>, audit: Effect): Promise<boolean> {
  const r = await db()
    .collection(USERS)
    .where(where)
    .update({ ...fields, pendingEffects: db().command.push([audit]) });
  return r.updated === 1;
}

/** Users whose pendingEffects hold something not yet delivered (at most `limit`). */
export async function usersWithPending(limit: number): Promise<UserDoc[]> {
  return (
    await db()
      .collection(USERS)
      .where({ 'pendingEffects.id': db().command.gt('') })
      .limit(limit)
      .get()
  ).data as UserDoc[];
}

/** The organisers of every organisation: orgId → openids (a job's read of every organiser, paged by _id). */
export async function organisersByOrg(): Promise<Map<string, string[]>> {
  const users = await pageAll<{ _id: string; orgId: string | null }>(USERS, { role: 'organiser' }, ['orgId']);
  const out = new Map<string, string[]>();
  for (const u of users) if (u.orgId) out.set(u.orgId, [...(out.get(u.orgId) ?? []), u._id]);
  return out;
}

/** The name, role and organisation of these users (one request, at most 500 ids). */
export async function userNamesByIds(
  ids: readonly string[],
): Promise<Array<{ _id: string; name: string; role: string; orgId: string | null }>> {
  const r = await db()
    .collection(USERS)
    .where({ _id: db().command.in([...ids]) })
    .field({ name: true, role: true, orgId: true })
    .limit(1000)
    .get();
  return r.data as Array<{ _id: string; name: string; role: string; orgId: string | null }>;
}

/** These users, only these fields, by id (one request; none for no ids). */
export const userFieldsByIds = <T extends { _id: string }>(ids: string[], fields: Record<string, true>) =>
  fieldsByIds<T>(USERS, ids, fields);

/** One page of the users matching `filter`, ordered by (sortBy, _id) (paging.ts listDocs). */
export const userPage = (
  filter: Record<string, unknown>,
  opts: { sortBy: SortKey; order?: 'asc' | 'desc'; cursor?: string; limit?: number; fields?: readonly string[] },
) => listDocs<UserDoc>(USERS, filter, opts);

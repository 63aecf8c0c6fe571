/** Users (one document per openid): the caller as the lifecycle sees them, and who organises what. */
import { scopeOf, type Actor, type ConsentRecord, type Effect, type Role } from '../../src/core';
import { cached } from './cache';
import { USERS } from './collections';
import { db } from './db';
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
}

/** The caller as the lifecycle sees them. Someone we have never seen is a resident without an organisation.
 * The user (role, organisation) is read on every call; the organisation and an organiser's subtree come from
 * this instance's short cache (ORG_TTL_MS). */
export async function loadActor(openid: string): Promise<{ actor: Actor; user: UserDoc | null; org: OrgDoc | null }> {
  const users = await db().collection(USERS).doc(openid).get();
  const user = (users.data[0] as UserDoc | undefined) ?? null;
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

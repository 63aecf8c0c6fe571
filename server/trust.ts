/**
 * Server-side trust machinery shared by the functions: the append-only audit log (privileged actions
 * and every reveal of a resident's personal fields), per-user rate limits, and organisation paths.
 * Only functions write here; the database security rules (database.rules.json) deny all client access.
 */
import { canSeeContact, fail, type Actor, type Failure, type Wish } from '../src/core';
import { db } from './cloud';

export const AUDIT = 'audit';
export const RATE = 'ratelimits';
export const INVITES = 'invites';

export interface AuditEntry {
  at: string; // UTC ISO
  actorId: string;
  actorRole: string;
  actorOrgId: string | null;
  action: string; // a lifecycle action, 'reveal', 'appoint', 'invite', 'confirmMember', 'moderate', 'purge', …
  target: { kind: 'wish' | 'user' | 'org' | 'invite' | 'system'; id: string };
  /** The organisation path of what was acted on (root first, ending with the org itself): organisers read
   * the entries whose path contains their organisation. */
  orgPath: string[];
  before: unknown;
  after: unknown;
}

const orgPaths = new Map<string, { path: string[]; at: number }>();

/** The organisation's path, root first, ending with the organisation itself (cached for a minute). */
export async function orgPathOf(orgId: string): Promise<string[]> {
  const hit = orgPaths.get(orgId);
  if (hit && Date.now() - hit.at < 60_000) return hit.path;
  const r = await db().collection('orgs').doc(orgId).get();
  const org = r.data[0] as { ancestors?: string[] } | undefined;
  const path = [...(org?.ancestors ?? []), orgId];
  orgPaths.set(orgId, { path, at: Date.now() });
  return path;
}

/** Appends entries to the audit log. No function updates or deletes them. */
export async function audit(...entries: AuditEntry[]): Promise<void> {
  await Promise.all(entries.map((e) => db().collection(AUDIT).add(e)));
}

/** What an action writes to the audit log besides who did it and the organisation path. */
export interface AuditFacts {
  at: string;
  action: string;
  target: AuditEntry['target'];
  /** The organisation of what was acted on; its path files the entry (none: an empty path). */
  orgId: string | null;
  before: unknown;
  after: unknown;
}

/** The audit entry for an action by `actor` (null: the system, e.g. the purge or a media verdict). */
export async function auditEntry(actor: Actor | null, { orgId, ...facts }: AuditFacts): Promise<AuditEntry> {
  return {
    ...facts,
    actorId: actor?.id ?? 'system',
    actorRole: actor?.role ?? 'system',
    actorOrgId: actor?.orgId ?? null,
    orgPath: orgId ? await orgPathOf(orgId) : [],
  };
}

/** Appends one entry for an action by `actor` (null: the system). */
export async function auditAction(actor: Actor | null, facts: AuditFacts): Promise<void> {
  await audit(await auditEntry(actor, facts));
}

/** What a wish looked like for the audit log: status, version, and the fields an action changes. */
export function auditState(w: Wish): Record<string, unknown> {
  return { status: w.status, version: w.version, category: w.category, track: w.track, claim: w.claim, moderation: w.moderation ?? null };
}

/** Logs each wish whose personal fields this viewer is about to receive, unless the viewer is its resident. */
export async function logReveals(wishes: Wish[], actor: Actor, via: string, now: Date): Promise<void> {
  const revealed = wishes.filter((w) => canSeeContact(w, actor) && w.residentId !== actor.id && !w.purgedAt);
  if (!revealed.length) return;
  const after = { via, fields: ['contact.name', 'contact.phone', 'contact.address', 'content'] };
  const at = now.toISOString();
  await audit(
    ...(await Promise.all(
      revealed.map((w) =>
        auditEntry(actor, { at, action: 'reveal', target: { kind: 'wish', id: w._id }, orgId: w.orgId, before: null, after }),
      ),
    )),
  );
}

// ---------------------------------------------------------------------------
// Rate limits: one fixed-window counter document per user, action and window. The increment is a
// conditional update (count < max), so concurrent calls can never pass more than `max`.
// ---------------------------------------------------------------------------
export interface Limit {
  max: number;
  windowSeconds: number;
}

/** Per-hour write limits. Posting and claiming are tight for residents and members; organisers enter
 * wishes for residents (hotline, visits) and so post more. Every other write shares a looser bucket. */
export function limitFor(fn: string, actor: Actor): Limit {
  const hour = 3600;
  if (fn === 'collect') return { max: actor.role === 'organiser' ? 200 : 10, windowSeconds: hour };
  if (fn === 'claim') return { max: 20, windowSeconds: hour };
  return { max: actor.role === 'organiser' ? 600 : 60, windowSeconds: hour };
}

/** Counts one write; a Failure (RATE.LIMITED) when the caller is over the limit for this window. */
export async function rateLimit(fn: string, actor: Actor, now: Date): Promise<Failure | null> {
  const { max, windowSeconds } = limitFor(fn, actor);
  const window = Math.floor(now.getTime() / 1000 / windowSeconds);
  const id = `${fn}:${actor.id}:${window}`;
  const col = db().collection(RATE);
  const _ = db().command;
  try {
    await col.add({ _id: id, fn, userId: actor.id, count: 1, windowStart: new Date(window * windowSeconds * 1000).toISOString() });
    return null;
  } catch (e) {
    if ((e as { code?: string }).code !== 'DATABASE_DUPLICATE_WRITE') throw e;
  }
  const r = await col.where({ _id: id, count: _.lt(max) }).update({ count: _.inc(1) });
  return r.updated === 1 ? null : fail('RATE.LIMITED', `操作太频繁了，每小时最多 ${max} 次，请稍后再试`);
}

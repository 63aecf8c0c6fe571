/**
 * Server-side trust machinery shared by the functions: the append-only audit log (privileged actions
 * and every reveal of a resident's personal fields), per-user rate limits, and organisation paths.
 * Only functions write here; the database security rules (database.rules.json) deny all client access.
 */
import { ROLES, auditRecord, fail, revealRecord, type Actor, type AuditRecord, type Failure, type Wish } from '../src/core';
import {
  actorFrom,
  appendAudit,
  bumpCounter,
  callsIn,
  countersOf,
  getOrg,
  loadCounting,
  rateLists,
  setCounter,
  type UserChange,
  type UserDoc,
} from './store';

export { auditState } from '../src/core';

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

/** The organisation's path, root first, ending with the organisation itself (the instance's organisation cache). */
export async function orgPathOf(orgId: string): Promise<string[]> {
  const org = await getOrg(orgId);
  return [...(org?.ancestors ?? []), orgId];
}

/** Appends entries to the audit log (one request). No function updates or deletes them. */
export async function audit(...entries: AuditEntry[]): Promise<void> {
  await appendAudit(entries);
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
export async function auditEntry(actor: Actor | null, facts: AuditFacts): Promise<AuditEntry> {
  return filed(auditRecord(actor, facts));
}

/** An audit record filed under its organisation's path. */
export async function filed({ orgId, ...rest }: AuditRecord): Promise<AuditEntry> {
  return { ...rest, orgPath: orgId ? await orgPathOf(orgId) : [] };
}

/** Appends one entry for an action by `actor` (null: the system). */
export async function auditAction(actor: Actor | null, facts: AuditFacts): Promise<void> {
  await audit(await auditEntry(actor, facts));
}

/** Appends one entry for an action by an organiser on their organisation as a whole (an export, an import, a
 * sheet of wish cards): what it did goes in `after`. */
export async function auditOrgAction(actor: Actor, orgId: string, action: string, after: unknown, now: Date): Promise<void> {
  await auditAction(actor, { at: now.toISOString(), action, target: { kind: 'org', id: orgId }, orgId, before: null, after });
}

/** Logs that this viewer is about to receive the personal fields of these wishes (those that are not their
 * own): one entry for the whole list (a ledger page is one entry, naming its wishes), one request. */
export async function logReveals(wishes: Wish[], actor: Actor, via: string, now: Date): Promise<void> {
  const record = revealRecord(wishes, actor, via, now.toISOString());
  if (record) await audit(await filed(record));
}

// ---------------------------------------------------------------------------
// Rate limits: fixed windows of an hour per user and action. A caller with a user document is counted on it, in the
// request that loads it (store/users.ts loadCounting: the windows of their latest calls, one `updateAndReturn`);
// someone without one (a resident we have never seen, an anonymous web login) in a counter document per user,
// action and window (`ratelimits`, store/ratelimits.ts bumpCounter: one request, two for a window's first call).
// Either way each call gets its own count from the update that counted it and passes while that count is within
// `max`, so concurrent calls can never pass more than `max`.
// ---------------------------------------------------------------------------
export interface Limit {
  max: number;
  windowSeconds: number;
}

/** Per-hour write limits. Posting and claiming are tight for residents and members; organisers enter
 * wishes for residents (hotline, visits) and so post more. Every other write shares a looser bucket. */
export function limitFor(fn: string, actor: Actor): Limit {
  const hour = RATE_WINDOW_SECONDS;
  if (fn === 'collect') return { max: actor.role === 'organiser' ? 200 : 10, windowSeconds: hour };
  if (fn === 'claim') return { max: 20, windowSeconds: hour };
  return { max: actor.role === 'organiser' ? 600 : 60, windowSeconds: hour };
}

/** The window every limit uses (an hour); a counter document's id names the function, the user and the window. */
export const RATE_WINDOW_SECONDS = 3600;

/** The window `now` falls in (hours since the epoch). */
const windowOf = (now: Date) => Math.floor(now.getTime() / 1000 / RATE_WINDOW_SECONDS);

/** How many windows of `fn` a user document keeps: one more than any role's limit (a count over every limit is
 * over the caller's). By function name, worked out once. */
const kept = new Map<string, number>();
const keptCalls = (fn: string) => {
  if (!kept.has(fn)) kept.set(fn, Math.max(...ROLES.map((role) => limitFor(fn, { id: '', role, orgId: null }).max)) + 1);
  return kept.get(fn)!;
};

/**
 * The caller, loaded together with counting this write of `fn` (`count`: this call's place in the window; the
 * runner decides with `overLimit` once the role is known), and `change` made to their document where it applies
 * (`changed`). One request for someone with a user document; someone without is counted in `ratelimits`.
 */
export async function loadWriter(
  fn: string,
  openid: string,
  now: Date,
  change?: UserChange,
): Promise<Awaited<ReturnType<typeof actorFrom>> & { count: number; changed: boolean }> {
  const counted = await loadCounting(openid, fn, windowOf(now), keptCalls(fn), change);
  if (counted) return { ...(await actorFrom(openid, counted.user)), count: counted.count, changed: counted.changed };
  const [loaded, count] = await Promise.all([actorFrom(openid, null), countWrite(fn, openid, now)]);
  return { ...loaded, count, changed: false };
}

const windowStart = (window: number) => new Date(window * RATE_WINDOW_SECONDS * 1000).toISOString();
const counterOf = (fn: string, openid: string, window: number) =>
  [`${fn}:${openid}:${window}`, { fn, userId: openid, windowStart: windowStart(window) }] as const;

/** Counts one write of `fn` by `openid` (someone without a user document) in its counter document and returns the
 * count in this window. Needs no role: `overLimit` decides with it. */
export async function countWrite(fn: string, openid: string, now: Date): Promise<number> {
  return bumpCounter(...counterOf(fn, openid, windowOf(now)));
}

/**
 * The hour's counts stay with the person, not with their user document: a resident who deletes their data loses the
 * document (deleteMyData), and with it the counts on it, so before it goes they are written to the counter documents
 * where someone without a document is counted (`keepRateCounts`); a user document created later in the hour (consent,
 * join) starts with the counts found there (`rateSeed`). Without both, deleting one's data and agreeing to the notice
 * again would open a fresh hour: another ten wishes, another sixty deletions. The document's count replaces the
 * counter's (not added to it): it started from the counters and nothing is counted there while it exists.
 */
export async function keepRateCounts(openid: string, user: UserDoc, now: Date): Promise<void> {
  const window = windowOf(now);
  await Promise.all(
    Object.keys(user.rate ?? {}).map((fn) => {
      const n = callsIn(user, fn, window);
      return n ? setCounter(...counterOf(fn, openid, window), n) : undefined;
    }),
  );
}

/** The fields a user document of `openid` made now starts with (none when `user`, their document, exists): this
 * window's counts from their counter documents (one request), each within the list's cap. */
export async function rateSeed(openid: string, user: UserDoc | null, now: Date): Promise<{ rate?: UserDoc['rate'] }> {
  if (user) return {};
  const window = windowOf(now);
  const counts = await countersOf(openid, windowStart(window));
  if (!counts.size) return {};
  const [mine] = rateLists(window);
  const rate = Object.fromEntries([...counts].map(([fn, n]) => [fn, { [mine]: Array<number>(Math.min(n, keptCalls(fn))).fill(window) }]));
  return { rate };
}

/** RATE.LIMITED when the `count`-th write of `fn` in this window is over the actor's limit. */
export function overLimit(fn: string, actor: Actor, count: number): Failure | null {
  const { max } = limitFor(fn, actor);
  return count <= max ? null : fail('RATE.LIMITED', `操作太频繁了，每小时最多 ${max} 次，请稍后再试`);
}

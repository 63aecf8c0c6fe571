/**
 * A transition's outcome: the next wish and the effects it implies — audit entries, notices and counter
 * deltas for the supervision figures — decided here, purely. The server stores the effects inside the wish
 * with the same conditional update (`pending`, a transactional outbox in the document), then delivers them
 * idempotently under their deterministic ids and clears them (server/effects.ts). A crash in between loses
 * nothing: a retry of the same request, or the wish's next transition, finishes what is pending.
 */
import type { Failure } from './errors';
import { countersOf, type CounterDelta } from './figures';
import { collectAlert, noticesFor, type Notice } from './notices';
import { memberCountersOf } from './quotas';
import { canSeeContact } from './privacy';
import { nextState, type Actor, type Command, type NextState, type Wish } from './wish';

/** What the audit log records of an action, before the server files it under the organisation's path. */
export interface AuditRecord {
  at: string; // UTC ISO
  actorId: string;
  actorRole: string;
  actorOrgId: string | null;
  action: string; // a lifecycle action, 'reveal', 'moderate.approve', 'purge', …
  target: { kind: 'wish' | 'user' | 'org' | 'invite' | 'system'; id: string };
  /** The organisation of what was acted on; the server turns it into `orgPath` (none: an empty path). */
  orgId: string | null;
  before: unknown;
  after: unknown;
}

/** An effect waiting in a wish's `pending` list. `id` is deterministic (`<wishId>-<version>-<n>`): delivering it
 * twice stores it once. */
export type { CounterDelta };

export type Effect =
  | { id: string; kind: 'audit'; audit: AuditRecord }
  | { id: string; kind: 'notice'; notice: Notice; at: string; orgId: string; actorId: string | null }
  | { id: string; kind: 'counter'; counter: CounterDelta }
  /** A member's open-claims list (`users.openClaimIds`, the claim limit's reserved slots) gains or loses this wish:
   * delivered as `$addToSet` / `$pull`, idempotent (server/effects.ts). */
  | { id: string; kind: 'claimSlot'; memberId: string; wishId: string; op: 'add' | 'remove' };

/** A wish as stored: the wish and the effects of its last transitions not yet delivered. */
export type StoredWish = Wish & { pending?: Effect[] };

export interface Transitioned extends NextState {
  effects: Effect[];
}

/** The one transition: the next wish (nextState, wish.ts) and the effects it implies (`via`: the function, for
 * the reveal log). Pure. */
export function transition(
  wish: Wish,
  command: Command,
  actor: Actor,
  now: Date,
  requestId?: string,
  via: string = command.type,
): Transitioned | Failure {
  const r = nextState(wish, command, actor, now, requestId);
  if (!r.ok) return r;
  return { ...r, effects: effectsOf(wish, r.wish, actor, via) };
}

/** What the audit log shows of a wish: status, version, and the fields an action changes. */
export function auditState(w: Wish): Record<string, unknown> {
  return { status: w.status, version: w.version, category: w.category, track: w.track, claim: w.claim, moderation: w.moderation ?? null };
}

/** An audit record of an action by `actor` (null: the system, e.g. the purge or a media verdict). */
export function auditRecord(actor: Actor | null, facts: Omit<AuditRecord, 'actorId' | 'actorRole' | 'actorOrgId'>): AuditRecord {
  return { ...facts, actorId: actor?.id ?? 'system', actorRole: actor?.role ?? 'system', actorOrgId: actor?.orgId ?? null };
}

/** The personal fields a reveal entry names. */
export const REVEALED_FIELDS = ['contact.name', 'contact.phone', 'contact.address', 'content'] as const;

/** Whether showing `w` to `viewer` reveals a resident's personal fields to someone else (audited). */
export function revealsTo(w: Wish, viewer: Actor): boolean {
  return canSeeContact(w, viewer) && w.residentId !== viewer.id && !w.purgedAt;
}

/** The reveal record for showing these wishes' personal fields to `viewer` (one entry, however many wishes). */
export function revealRecord(wishes: readonly Wish[], viewer: Actor, via: string, at: string): AuditRecord | null {
  const shown = wishes.filter((w) => revealsTo(w, viewer));
  if (!shown.length) return null;
  const orgs = [...new Set(shown.map((w) => w.orgId))];
  return auditRecord(viewer, {
    at,
    action: 'reveal',
    target: shown.length === 1 ? { kind: 'wish', id: shown[0]!._id } : { kind: 'wish', id: shown.map((w) => w._id).join(',') },
    orgId: orgs.length === 1 ? orgs[0]! : (viewer.orgId ?? orgs[0]!),
    before: null,
    after: { via, fields: [...REVEALED_FIELDS], ...(shown.length > 1 ? { wishes: shown.map((w) => w._id) } : {}) },
  });
}

/** The effects of a stored step `prev` → `next` taken by `actor`: the organiser's action in the audit log, the
 * reveal of personal fields to a claimer or organiser, the notices, and the figures that move. */
export function effectsOf(prev: Wish, next: Wish, actor: Actor, via: string): Effect[] {
  const entry = next.timeline[next.timeline.length - 1]!;
  const out: Effect[] = [];
  const id = () => `${next._id}-${next.version}-${out.length}`;
  if (actor.role === 'organiser') {
    out.push({
      id: id(),
      kind: 'audit',
      audit: auditRecord(actor, {
        at: entry.at,
        action: entry.action,
        target: { kind: 'wish', id: next._id },
        orgId: next.orgId,
        before: auditState(prev),
        after: { ...auditState(next), note: entry.note },
      }),
    });
  }
  const reveal = revealRecord([next], actor, via, entry.at);
  if (reveal) out.push({ id: id(), kind: 'audit', audit: reveal });
  for (const notice of noticesFor(prev, next, entry))
    out.push({ id: id(), kind: 'notice', notice, at: entry.at, orgId: next.orgId, actorId: actor.id });
  for (const counter of [...countersOf(prev, next), ...memberCountersOf(prev, next)]) out.push({ id: id(), kind: 'counter', counter });
  for (const slot of claimSlotChanges(prev, next)) out.push({ id: id(), kind: 'claimSlot', ...slot });
  return out;
}

/** The member whose open-claims list holds `w`: the claiming member of a wish in status `claimed` (a member's claim),
 * else nobody (an assigned wish, or any other status). What the claim limit counts. */
export function slotHolder(w: Wish | null): string | null {
  return w && w.status === 'claimed' && w.claim?.kind === 'member' && w.claim.memberId ? w.claim.memberId : null;
}

/** How a stored step `prev` → `next` changes the members' open-claims lists: derived from the two wishes only, so
 * every step (claim, release, fulfil, rework after 不满意, reassign, close-out, withdraw …) keeps them true alike. */
export function claimSlotChanges(prev: Wish | null, next: Wish): Array<{ memberId: string; wishId: string; op: 'add' | 'remove' }> {
  const before = slotHolder(prev);
  const after = slotHolder(next);
  if (before === after) return [];
  return [
    ...(before ? [{ memberId: before, wishId: next._id, op: 'remove' as const }] : []),
    ...(after ? [{ memberId: after, wishId: next._id, op: 'add' as const }] : []),
  ];
}

/** The counter deltas of a stored change prev → next as effects, the n-th with id `idOf(n)`: a collect, or a change
 * that is not a lifecycle step (a moderation approval) but still moves a stock figure. */
export function counterEffects(prev: Wish | null, next: Wish, idOf: (n: number) => string): Effect[] {
  return countersOf(prev, next).map((counter, n) => ({ id: idOf(n), kind: 'counter' as const, counter }));
}

/** The effects of a wish just collected (stored with it in `pending`): its counter deltas. */
export function collectEffects(wish: Wish): Effect[] {
  return counterEffects(null, wish, (n) => `${wish._id}-${wish.version}-${n}`);
}

/** The organiser alert of a wish just collected (a new wish in the queue, or one held for moderation), stored with it
 * in `pending` beside its counter deltas. Never to whoever entered it. Imports (importBatch) do not send it: a
 * spreadsheet of 2,000 rows is one organiser's own act, reported to them row by row. */
export function collectAlertEffects(wish: Wish): Effect[] {
  return [
    {
      id: `${wish._id}-${wish.version}-a0`,
      kind: 'notice',
      notice: collectAlert(wish),
      at: wish.createdAt,
      orgId: wish.orgId,
      actorId: wish.enteredBy.id,
    },
  ];
}

/** An audit entry as an effect (id deterministic, so a repeated delivery stores it once): it is stored in the same
 * write as the change it records (a wish's `pending`, a user's `pendingEffects`) and delivered with the others, so a
 * crash after that write cannot lose it (issue 21). */
export function auditEffect(id: string, actor: Actor | null, facts: Omit<AuditRecord, 'actorId' | 'actorRole' | 'actorOrgId'>): Effect {
  return { id, kind: 'audit', audit: auditRecord(actor, facts) };
}

/** The audit entry of a wish an organiser entered for a resident (代录): a resident's or member's own post is not audited. */
export function collectAuditEffects(wish: Wish, actor: Actor): Effect[] {
  if (actor.role !== 'organiser') return [];
  return [
    auditEffect(`${wish._id}-${wish.version}-audit`, actor, {
      at: wish.createdAt,
      action: 'collect',
      target: { kind: 'wish', id: wish._id },
      orgId: wish.orgId,
      before: null,
      after: auditState(wish),
    }),
  ];
}

/** Effects still waiting plus new ones, each once (a later step carries what an interrupted one left). */
export function carry(pending: readonly Effect[] | undefined, effects: readonly Effect[]): Effect[] {
  const seen = new Set<string>();
  return [...(pending ?? []), ...effects].filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
}

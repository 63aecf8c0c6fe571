/**
 * The dispatcher: delivers the effects a transition stored in its wish (`pending`, src/core/effects.ts) and
 * clears them. Every delivery is an insert under a deterministic id, so delivering twice (a retry after a crash,
 * or the next transition carrying what an interrupted one left) stores each effect once:
 *   audit   → `audit`, _id = effect id, filed under the organisation's path
 *   notice  → `outbox`, one document per recipient, _id = hash(effect id, recipient); on CloudBase also a
 *             WeChat subscribe message, sent only when that outbox document was new
 *   counter → `counters`, _id = effect id (the log of deltas, with the time of the attempt that stored it), and the
 *             increments in `figures`: one document per (organisation, period), rolled up to every ancestor and
 *             to day, month and year (src/core/figures.ts counterUpdates), one request per set of documents
 *             that receive the same increments (applyFigures). Each increment carries, in the same update, the mark
 *             of the transition it comes from, and is conditional on its absence: a rerun after a kill at any point
 *             adds each delta exactly once (see MARK_WINDOW_MS for the bound), without waiting for `reconcile`.
 *   claimSlot → the member's open-claims list (`users.openClaimIds`, the claim limit's slots): `$addToSet` or
 *             `$pull` of the wish id, idempotent (server/store/slots.ts); of several for one (member, wish) the
 *             last one stored counts.
 * The three collections (and the slots) are written in parallel (one request each), with the figures' increments when the
 * effects are the caller's own just stored and this instance knows their figures documents (else a read of which exist,
 * and the increments after the inserts), then one update pulls the delivered effects out of the wish: only once all
 * of them are delivered. A failure is logged and leaves the effects pending: the transition is stored.
 */
import { createHash } from 'node:crypto';
import { counterUpdates, type CounterDelta, type CounterUpdate, type Effect, type Notification } from '../src/core';
import { wechatNotifier } from './notify';
import {
  AUDIT,
  COUNTERS,
  OUTBOX,
  USERS,
  WISHES,
  addClaimSlots,
  counterTimes,
  existingFigureIds,
  figureMarks,
  incFiguresUnmarked,
  insertFigures,
  insertOnce,
  nearestOrganisersOf,
  pullDelivered,
  releaseClaimSlots,
} from './store';
import { orgPathOf, type AuditEntry } from './trust';

/** The organisation paths (root first, the organisation last) of the deltas' organisations, from the cache. */
export async function pathsOf(deltas: readonly CounterDelta[]): Promise<Map<string, string[]>> {
  const ids = [...new Set(deltas.map((d) => d.orgId))];
  return new Map(await Promise.all(ids.map(async (id) => [id, await orgPathOf(id)] as const)));
}

/** Figures documents this instance has seen exist. A document is removed only by `reconcile` (or by hand); one
 * that went missing shows up as a short count of the grouped update, which then finds and creates it. Bounded. */
const knownFigures = new Set<string>();
const KNOWN_MAX = 50_000;
const remember = (ids: Iterable<string>) => {
  if (knownFigures.size > KNOWN_MAX) knownFigures.clear();
  for (const id of ids) knownFigures.add(id);
};

/** The figures documents `deltas` would touch that this instance has not seen yet (every delta, before the delivery
 * knows which of them it stored: a superset is fine). */
export function unknownFigures(deltas: readonly CounterDelta[], paths: Map<string, string[]>): string[] {
  if (!deltas.length) return [];
  return counterUpdates(deltas, (id) => paths.get(id) ?? [id])
    .map((u) => u._id)
    .filter((id) => !knownFigures.has(id));
}

/** Which of `ids` exist (one request; none when `ids` is empty). Sent in parallel with the delivery's inserts. */
export async function existingFigures(ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const found = await existingFigureIds(ids);
  remember(found);
  return found;
}

/**
 * Which deliveries a figures document has received: `e.h<hour>.<source>: true`, under the UTC hour (since the epoch)
 * of the delivery that added them, where `source` is the transition that made the deltas (the effect id without its
 * `-<n>` suffix: one transition's effects always travel and are delivered together). Every increment is conditional
 * on the document not holding its source's mark in this hour or the previous one, and sets the mark in the same
 * update: the increment and the record that it happened are one write, so a rerun after a kill at any point adds
 * each delta exactly once. Bounded: each update also removes the marks of hours H−2 … H−7, and the nightly
 * `reconcile` removes any older than the previous hour, so a document holds the marks of the deliveries it received
 * in the last two hours (plus those of hours followed by a quiet gap, until the night). A rerun is checked against
 * the marks only if its counter-log entry (`at`) is less than an hour old — its first attempt's marks are then still
 * there; an older one (a wish's pending effects carried by a transition hours later) is added only if its log entry
 * is new, as before, and `reconcile` repairs the rest.
 */
export const MARK_WINDOW_MS = 3_600_000;
const hourOf = (now: Date) => Math.floor(now.getTime() / MARK_WINDOW_MS);
export const sourceOf = (effectId: string) => effectId.replace(/-\d+$/, '').replace(/[.$]/g, '_');

export interface SourcedDelta extends CounterDelta {
  source: string;
}

interface DocPlan {
  u: CounterUpdate;
  /** Each source's increments into this document. */
  bySource: Map<string, Record<string, number>>;
}

function plan(deltas: readonly SourcedDelta[], paths: Map<string, string[]>): Map<string, DocPlan> {
  const docs = new Map<string, DocPlan>();
  const bySource = new Map<string, SourcedDelta[]>();
  for (const d of deltas) bySource.set(d.source, [...(bySource.get(d.source) ?? []), d]);
  for (const [source, ds] of bySource)
    for (const u of counterUpdates(ds, (id) => paths.get(id) ?? [id])) {
      const p = docs.get(u._id) ?? {
        u: { _id: u._id, orgId: u.orgId, period: u.period, inc: {} as Record<string, number> },
        bySource: new Map(),
      };
      for (const [k, n] of Object.entries(u.inc)) p.u.inc[k] = (p.u.inc[k] ?? 0) + n;
      p.bySource.set(source, u.inc);
      docs.set(u._id, p);
    }
  return docs;
}

const sumOf = (incs: Iterable<Record<string, number>>) => {
  const out: Record<string, number> = {};
  for (const inc of incs) for (const [k, n] of Object.entries(inc)) out[k] = (out[k] ?? 0) + n;
  return out;
};

/**
 * Adds `deltas` into the figures documents in as few requests as possible: the documents that receive the same
 * increments from the same sources (a transition's flows: the organisation and every ancestor × day, month, year;
 * its stock: every level × 'now') are updated by one `where({_id: in(ids), <not marked>}).update({f.x: inc(n),
 * <mark>})` each, so a transition costs about two requests whatever the depth of the tree. Documents known to be
 * missing (`existing`, read in parallel with the delivery's inserts, says which) are created with their increments
 * and marks. A grouped update that matched fewer documents than it named (one already holding the marks: a rerun;
 * or one removed since this instance saw it) reads those documents' marks and adds what each lacks.
 */
export async function applyFigures(
  deltas: readonly SourcedDelta[],
  paths: Map<string, string[]>,
  existing: ReadonlySet<string> = new Set(),
  now: Date = new Date(),
): Promise<void> {
  if (!deltas.length) return;
  const hour = hourOf(now);
  const docs = [...plan(deltas, paths).values()];
  const there = (id: string) => knownFigures.has(id) || existing.has(id);
  const groups = new Map<string, DocPlan[]>();
  for (const p of docs.filter((p) => there(p.u._id))) {
    const key = JSON.stringify([Object.entries(p.u.inc).sort(([a], [b]) => (a < b ? -1 : 1)), [...p.bySource.keys()].sort()]);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  await Promise.all([
    ...[...groups.values()].map((g) => incGroup(g, hour)),
    ...docs.filter((p) => !there(p.u._id)).map((p) => createFigures(p, hour)),
  ]);
}

/** One request for documents with the same increments from the same sources; on a short count, each document
 * that did not match gets what it lacks (created if missing). */
async function incGroup(group: DocPlan[], hour: number): Promise<void> {
  const ids = group.map((p) => p.u._id);
  const updated = await incFiguresUnmarked(ids, [...group[0]!.bySource.keys()], group[0]!.u.inc, hour);
  if (updated === ids.length) return remember(ids);
  for (const id of ids) knownFigures.delete(id);
  const found = await figureMarks(ids);
  remember(found.keys());
  await Promise.all(
    group.map(async (p) => {
      const doc = found.get(p.u._id);
      if (!doc) return createFigures(p, hour);
      const has = (s: string) => Boolean(doc.e?.[`h${hour}`]?.[s] || doc.e?.[`h${hour - 1}`]?.[s]);
      return addMissing(
        p,
        [...p.bySource.keys()].filter((s) => !has(s)),
        hour,
      );
    }),
  );
}

/** Adds to one existing document the increments of `sources` it has not received (conditional on their marks). */
async function addMissing(p: DocPlan, sources: string[], hour: number): Promise<void> {
  if (!sources.length) return;
  const updated = await incFiguresUnmarked([p.u._id], sources, sumOf(sources.map((s) => p.bySource.get(s)!)), hour);
  // Not matched: another delivery of the same sources marked it in between (it added them).
  if (updated !== 1) console.warn(`[effects] figures ${p.u._id}: already counted by a concurrent delivery`);
}

/** Creates a figures document holding its increments and marks; if another delivery created it first, adds to it
 * what it lacks. */
async function createFigures(p: DocPlan, hour: number): Promise<void> {
  const sources = [...p.bySource.keys()];
  const created = await insertFigures({
    _id: p.u._id,
    orgId: p.u.orgId,
    period: p.u.period,
    f: p.u.inc,
    e: { [`h${hour}`]: Object.fromEntries(sources.map((s) => [s, true])) },
  });
  remember([p.u._id]);
  if (created) return;
  await addMissing(p, sources, hour);
}

/** The audit document of an audit effect. */
export async function auditDoc(e: Extract<Effect, { kind: 'audit' }>): Promise<AuditEntry & { _id: string }> {
  const { orgId, ...rest } = e.audit;
  return { _id: e.id, ...rest, orgPath: orgId ? await orgPathOf(orgId) : [] };
}

/** The outbox documents of a notice effect: one per recipient ('organisers': the nearest organisers of the wish's
 * organisation, store.ts nearestOrganisersOf), never the actor. */
export async function noticeDocs(e: Extract<Effect, { kind: 'notice' }>): Promise<Notification[]> {
  const { notice: n } = e;
  const to = n.to === 'organisers' ? await nearestOrganisersOf(e.orgId) : [n.to.openid];
  return [...new Set(to)]
    .filter((id) => id !== e.actorId)
    .map((id) => ({
      _id: createHash('sha256').update(`${e.id}\n${id}`).digest('hex').slice(0, 32),
      to: id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      wishId: n.wishId,
      at: e.at,
      read: false,
    }));
}

/** Where effects wait: a wish's `pending` list; a user's `pendingEffects` (an action on a person, e.g. removeMember:
 * `pending` there is a join request). */
export interface Holder {
  collection: string;
  field: string;
}
export const IN_WISH: Holder = { collection: WISHES, field: 'pending' };
export const IN_USER: Holder = { collection: USERS, field: 'pendingEffects' };

/** Whether the effects a step stores on a wish are `fresh` (dispatch): the wish as read (`before`) carried nothing
 * undelivered from an earlier step or attempt. */
export const freshAfter = (before: { pending?: readonly Effect[] }) => !before.pending?.length;

/** Delivers the effects `pending` that a step stored on the wish read as `before`: fresh when it carried nothing. */
export const deliverStep = (before: { _id: string; pending?: readonly Effect[] }, pending: readonly Effect[]) =>
  dispatch(before._id, pending, IN_WISH, { fresh: freshAfter(before) });

/** Delivers `effects` (stored in the pending lists of the documents `wishIds`: one, or a batch; wishes unless
 * `holder` says) and pulls them out of those documents once every one of them is delivered (the pull is the record
 * that they were: sent beside the figures' increments, a crash after the pull and before an increment lost that
 * increment for good). Never throws: what fails stays pending for the next attempt. Returns whether all were
 * delivered.
 *
 * `fresh`: the effects were stored by the caller's own write just now (none carried from an earlier step or attempt),
 * so no earlier delivery can have counted them: with every figures document they touch known to exist, their
 * increments (each conditional on its delivery mark, which a concurrent retry of the same request also respects) go
 * with the inserts, and the pull follows — two rounds. Otherwise the counter log's inserts decide first which deltas
 * this delivery adds (countable), then the increments, then the pull. */
export async function dispatch(
  wishIds: string | readonly string[],
  all: readonly Effect[],
  holder: Holder = IN_WISH,
  opts: { fresh?: boolean } = {},
): Promise<boolean> {
  const ids = typeof wishIds === 'string' ? [wishIds] : [...new Set(wishIds)];
  const seen = new Set<string>();
  const effects = all.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
  if (!effects.length) return true;
  try {
    const now = new Date();
    const counters = effects.flatMap((e) => (e.kind === 'counter' ? [{ _id: e.id, ...e.counter, at: now.toISOString() }] : []));
    const [audits, notices, paths] = await Promise.all([
      Promise.all(effects.filter((e) => e.kind === 'audit').map(auditDoc)),
      Promise.all(effects.filter((e) => e.kind === 'notice').map(noticeDocs)).then((n) => n.flat()),
      pathsOf(counters),
    ]);
    const deltas = (cs: typeof counters) => cs.map(({ _id, at: _at, ...delta }) => ({ ...delta, source: sourceOf(_id) }));
    const unknown = unknownFigures(counters, paths);
    const early = opts.fresh === true && unknown.length === 0;
    // With the inserts: the increments of fresh effects, or which figures documents this instance has not seen exist
    // (none to read once warm).
    const [, sent, counted, existing] = await Promise.all([
      insertOnce(AUDIT, audits),
      insertOnce(OUTBOX, notices),
      insertOnce(COUNTERS, counters),
      existingFigures(unknown),
      applySlots(effects, now),
      early ? applyFigures(deltas(counters), paths, new Set(), now) : undefined,
    ]);
    // WeChat's subscribe message only for outbox documents this delivery stored (at most once per recipient).
    if (!process.env.TCB_SERVICE_URL && sent.length) await sendWechat(notices.filter((n) => sent.includes(n._id)));
    if (!early) {
      const due = await countable(counters, counted, now);
      await applyFigures(deltas(counters.filter((c) => due.has(c._id))), paths, existing, now);
    }
    await pullDelivered(
      holder.collection,
      holder.field,
      ids,
      effects.map((e) => e.id),
    );
    return true;
  } catch (e) {
    console.error(`[effects] delivery for ${ids.join(',')} failed, left pending:`, e);
    return false;
  }
}

/** Applies the claimSlot effects: for each (member, wish) the last one in order (a step's effects follow the earlier
 * steps' they carry), then one `$addToSet` and one `$pull` per member at most. */
export async function applySlots(effects: readonly Effect[], now: Date): Promise<void> {
  const last = new Map<string, Extract<Effect, { kind: 'claimSlot' }>>();
  for (const e of effects) if (e.kind === 'claimSlot') last.set(`${e.memberId}\n${e.wishId}`, e);
  const by = new Map<string, { add: string[]; remove: string[] }>();
  for (const e of last.values()) {
    const m = by.get(e.memberId) ?? { add: [], remove: [] };
    m[e.op].push(e.wishId);
    by.set(e.memberId, m);
  }
  await Promise.all([...by].flatMap(([member, m]) => [addClaimSlots(member, m.add, now), releaseClaimSlots(member, m.remove)]));
}

/** The counter effects whose deltas this delivery adds (each conditional on its source's mark, applyFigures): those
 * whose log entry it stored, and those logged by an attempt less than an hour ago (a rerun after a kill: its marks
 * tell what that attempt added). One logged earlier was added by that attempt or is left to `reconcile`. */
async function countable(counters: ReadonlyArray<{ _id: string }>, stored: readonly string[], now: Date): Promise<Set<string>> {
  const due = new Set(stored);
  const logged = counters.map((c) => c._id).filter((id) => !due.has(id));
  for (const [id, at] of await counterTimes(logged)) if (at && now.getTime() - Date.parse(at) < MARK_WINDOW_MS) due.add(id);
  return due;
}

export async function sendWechat(notices: Notification[]): Promise<void> {
  await Promise.all(
    notices.map((n) =>
      wechatNotifier
        .send(n.to, n.kind, { title: n.title, body: n.body, wishId: n.wishId, at: n.at })
        .catch((e) => console.error(`[notify] ${n.kind} to ${n.to} for wish ${n.wishId} failed:`, e)),
    ),
  );
}

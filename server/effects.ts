/**
 * The dispatcher: delivers the effects a transition stored in its wish (`pending`, src/core/effects.ts) and
 * clears them. Every delivery is an insert under a deterministic id, so delivering twice (a retry after a crash,
 * or the next transition carrying what an interrupted one left) stores each effect once:
 *   audit   → `audit`, _id = effect id, filed under the organisation's path
 *   notice  → `outbox`, one document per recipient, _id = hash(effect id, recipient); on CloudBase also a
 *             WeChat subscribe message, sent only when that outbox document was new
 *   counter → `counters`, _id = effect id (the log of deltas), and for each delta this delivery stored, its
 *             increments in `figures`: one document per (organisation, period), rolled up to every ancestor and
 *             to day, month and year (src/core/figures.ts counterUpdates), one request per set of documents
 *             that receive the same increments (applyFigures). A delta is added to the figures at most once
 *             (only by the delivery whose insert stored it); one lost between the two writes is repaired by
 *             `reconcile`, which recounts from the wishes.
 * The three collections are written in parallel (one request each, with a read of which figures documents exist
 * when this instance has not seen them yet), then one update pulls the delivered effects out of the wish while
 * the figures are incremented. A failure is logged and leaves the effects pending: the transition is stored.
 */
import { createHash } from 'node:crypto';
import { counterUpdates, type CounterDelta, type CounterUpdate, type Effect, type Notification } from '../src/core';
import { db } from './cloud';
import { wechatNotifier } from './notify';
import { OUTBOX, USERS, WISHES, nearestOrganisersOf } from './store';
import { AUDIT, orgPathOf, type AuditEntry } from './trust';

export const COUNTERS = 'counters';
export const FIGURES = 'figures';

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
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const r = await db()
      .collection(FIGURES)
      .where({ _id: db().command.in(ids.slice(i, i + 1000)) })
      .field({ _id: true })
      .limit(1000)
      .get();
    for (const d of r.data as Array<{ _id: string }>) found.add(d._id);
  }
  remember(found);
  return found;
}

/**
 * Adds `deltas` into the figures documents in as few requests as possible: the documents that receive the same
 * increments (a transition's flows: the organisation and every ancestor × day, month, year; its stock: every level ×
 * 'now') are updated by one `where({_id: in(ids)}).update({f.x: inc(n)})` each, so a transition costs about two
 * requests whatever the depth of the tree. Documents known to be missing (`existing`, read in parallel with the
 * delivery's inserts, says which) are created with their increments, one insert each; one created meanwhile by
 * another delivery is incremented instead. A grouped update that matched fewer documents than it named (a
 * document removed since this instance saw it) finds which exist and creates the others with their increments.
 */
export async function applyFigures(
  deltas: readonly CounterDelta[],
  paths: Map<string, string[]>,
  existing: ReadonlySet<string> = new Set(),
): Promise<void> {
  if (!deltas.length) return;
  const updates = counterUpdates(deltas, (id) => paths.get(id) ?? [id]);
  const there = (id: string) => knownFigures.has(id) || existing.has(id);
  const groups = new Map<string, CounterUpdate[]>();
  for (const u of updates.filter((u) => there(u._id))) {
    const key = JSON.stringify(Object.entries(u.inc).sort(([a], [b]) => (a < b ? -1 : 1)));
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  await Promise.all([...[...groups.values()].map(incGroup), ...updates.filter((u) => !there(u._id)).map(createFigures)]);
}

const incPatch = (inc: Record<string, number>) => {
  const _ = db().command;
  return Object.fromEntries(Object.entries(inc).map(([k, n]) => [`f.${k}`, _.inc(n)]));
};

/** One request for documents with the same increments; on a short count, the missing ones are created. */
async function incGroup(group: CounterUpdate[]): Promise<void> {
  const ids = group.map((u) => u._id);
  const col = db().collection(FIGURES);
  const r = await col.where({ _id: ids.length === 1 ? ids[0] : db().command.in(ids) }).update(incPatch(group[0]!.inc));
  const updated = Number(r.updated ?? 0);
  if (updated === ids.length) return remember(ids);
  // Some were removed since this instance saw them. Those that exist now were incremented — unless another
  // delivery created one in between, which the counts tell apart; then the difference is left to `reconcile`.
  for (const id of ids) knownFigures.delete(id);
  const now = await existingFigures(ids);
  if (now.size !== updated) {
    console.error(`[effects] figures ${ids.join(',')}: ${updated} of ${ids.length} updated, ${now.size} exist; reconcile repairs`);
    return;
  }
  await Promise.all(group.filter((u) => !now.has(u._id)).map(createFigures));
}

/** Creates a figures document holding its increments; if another delivery created it first, adds to it. */
async function createFigures(u: CounterUpdate): Promise<void> {
  const col = db().collection(FIGURES);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await col.add({ _id: u._id, orgId: u.orgId, period: u.period, f: u.inc });
      return remember([u._id]);
    } catch (e) {
      if (!isDuplicate(e)) throw e;
    }
    const r = await col.where({ _id: u._id }).update(incPatch(u.inc));
    if (Number(r.updated ?? 0) === 1) return remember([u._id]);
  }
  throw new Error(`figures ${u._id}: no document after three attempts`);
}

/** Inserts `docs` (each with its own _id) in one request; where some exist already (a repeated delivery), one by
 * one, skipping those. Returns the ids this call stored. */
export async function insertOnce<T extends { _id: string }>(collection: string, docs: readonly T[]): Promise<string[]> {
  if (!docs.length) return [];
  const col = db().collection(collection);
  try {
    await col.add([...docs]);
    return docs.map((d) => d._id);
  } catch (e) {
    if (!isDuplicate(e)) throw e;
  }
  const stored = await Promise.all(
    docs.map(async (d) => {
      try {
        await col.add(d);
        return d._id;
      } catch (e) {
        if (isDuplicate(e)) return null;
        throw e;
      }
    }),
  );
  return stored.filter((id): id is string => id !== null);
}

const isDuplicate = (e: unknown) => (e as { code?: string }).code === 'DATABASE_DUPLICATE_WRITE';

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

/** Delivers `effects` (stored in the pending lists of the documents `wishIds`: one, or a batch; wishes unless
 * `holder` says) and pulls them out of those documents. Never throws: what fails stays pending for the next
 * attempt. Returns whether all were delivered. */
export async function dispatch(wishIds: string | readonly string[], all: readonly Effect[], holder: Holder = IN_WISH): Promise<boolean> {
  const ids = typeof wishIds === 'string' ? [wishIds] : [...new Set(wishIds)];
  const seen = new Set<string>();
  const effects = all.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
  if (!effects.length) return true;
  try {
    const counters = effects.flatMap((e) => (e.kind === 'counter' ? [{ _id: e.id, ...e.counter }] : []));
    const [audits, notices, paths] = await Promise.all([
      Promise.all(effects.filter((e) => e.kind === 'audit').map(auditDoc)),
      Promise.all(effects.filter((e) => e.kind === 'notice').map(noticeDocs)).then((n) => n.flat()),
      pathsOf(counters),
    ]);
    // With the inserts: which figures documents this instance has not seen exist (none to read once warm).
    const [, sent, counted, existing] = await Promise.all([
      insertOnce(AUDIT, audits),
      insertOnce(OUTBOX, notices),
      insertOnce(COUNTERS, counters),
      existingFigures(unknownFigures(counters, paths)),
    ]);
    // WeChat's subscribe message only for outbox documents this delivery stored (at most once per recipient).
    if (!process.env.TCB_SERVICE_URL && sent.length) await sendWechat(notices.filter((n) => sent.includes(n._id)));
    const _ = db().command;
    const stored = new Set(counted);
    await Promise.all([
      db()
        .collection(holder.collection)
        .where({ _id: ids.length === 1 ? ids[0] : _.in(ids) })
        .update({ [holder.field]: _.pull({ id: _.in(effects.map((e) => e.id)) }) }),
      applyFigures(
        counters.filter((c) => stored.has(c._id)),
        paths,
        existing,
      ),
    ]);
    return true;
  } catch (e) {
    console.error(`[effects] delivery for ${ids.join(',')} failed, left pending:`, e);
    return false;
  }
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

// 统计对账 reconcile: run by the timer trigger in config.json (daily 03:30, after the purge). Recounts every
// supervision figure from the wishes themselves (src/core/figures.ts recountAll: only the statistics fields are
// read) and repairs the `figures` documents that differ: a delta lost between its log insert and its increment
// (server/effects.ts adds each at most once), or wishes written without a transition. Documents that should not
// exist are removed. Pages through wishes and figures by _id (the primary key), 1000 at a time. A transition
// delivered while the job runs may be overwritten by the snapshot; the next run repairs that too.
// It also keeps each wish's `statusAt` (when it entered its current status: the stale-queue lists walk it) equal to
// what its timeline says (statusSince): wishes stored before the field existed, or written without a transition, get
// it here — each by one update conditional on the version it read, so a wish that moved meanwhile is left to the
// transition, which stamps it itself.
// And it recomputes the members' claim-limit lists (users.openClaimIds, server/store/slots.ts) from the same wishes:
// a wish a member holds that is missing from their list is added; an id listed that they did not hold is removed if it
// was stamped before this run began less RESERVE_GRACE_MS (a claim in flight, or a step after the snapshot, is left
// alone: the next run, or the claim limit's own check, settles it).
// Callers with an identity are refused: a timer carries none, and functions.rules.json denies client invocation.
import { nonZero, recountAll, slotHolder, statusSince, type Wish } from '../../src/core';
import { RESERVE_GRACE_MS } from '../../server/claimSlots';
import { MARK_WINDOW_MS } from '../../server/effects';
import { defineScheduled } from '../../server/runner';
import {
  addClaimSlots,
  allFigures,
  allOrgs,
  allWishes,
  claimSlotPage,
  dropMarks,
  releaseClaimSlots,
  removeFigures,
  setFigures,
  setIfVersion,
  slotAtKey,
} from '../../server/store';

const STAT_FIELDS = [
  'orgId',
  'status',
  'channel',
  'category',
  'track',
  'claim',
  'feedback',
  'moderation',
  'timeline',
  'statusAt',
  'version',
];

const same = (a: Record<string, number>, b: Record<string, number>) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

export const main = defineScheduled('reconcile', async (now) => {
  const [orgs, wishes, stored] = await Promise.all([allOrgs(['parentId', 'ancestors']), allWishes(STAT_FIELDS), allFigures()]);
  const paths = new Map(orgs.map((o) => [o._id, [...(o.ancestors ?? []), o._id]]));
  const expected = recountAll(wishes, (id) => paths.get(id) ?? [id]);
  const have = new Map(stored.map((d) => [d._id, nonZero(d.f)]));
  const repair = [...expected].filter(([id, d]) => !same(have.get(id) ?? {}, d.f));
  // A stock document keeps its zeros out; flows with nothing left are removed.
  const stale = stored.filter((d) => !expected.has(d._id) && Object.keys(nonZero(d.f)).length).map((d) => d._id);
  // Delivery marks (server/effects.ts applyFigures): those of this hour and the previous one are kept (a rerun checks
  // them), older ones removed — on a rewritten document, and on any other that still holds some.
  const hour = Math.floor(Date.now() / MARK_WINDOW_MS);
  const fresh = (e: Record<string, unknown> = {}) => Object.fromEntries(Object.entries(e).filter(([k]) => Number(k.slice(1)) >= hour - 1));
  const marks = new Map(stored.map((d) => [d._id, d.e ?? {}]));
  const repaired = new Set(repair.map(([id]) => id));
  for (let i = 0; i < repair.length; i += 20)
    await Promise.all(
      repair.slice(i, i + 20).map(([id, d]) => setFigures(id, { orgId: d.orgId, period: d.period, f: d.f, e: fresh(marks.get(id)) })),
    );
  const old = stored.filter((d) => !repaired.has(d._id) && Object.keys(d.e ?? {}).length > Object.keys(fresh(d.e)).length);
  for (let i = 0; i < old.length; i += 20)
    await Promise.all(
      old.slice(i, i + 20).map((d) =>
        dropMarks(
          d._id,
          Object.keys(d.e!).filter((k) => !(k in fresh(d.e))),
        ),
      ),
    );
  for (let i = 0; i < stale.length; i += 100) await removeFigures(stale.slice(i, i + 100));
  const unstamped = wishes.filter((w) => w.timeline?.length && w.statusAt !== statusSince(w));
  let stamped = 0;
  for (let i = 0; i < unstamped.length; i += 20) {
    const done = await Promise.all(unstamped.slice(i, i + 20).map((w) => setIfVersion(w, { statusAt: statusSince(w) })));
    stamped += done.filter(Boolean).length;
  }
  const slots = await reconcileSlots(wishes, now);
  return { wishes: wishes.length, documents: expected.size, repaired: repair.length, removed: stale.length, stamped, slots };
});

/** Makes each member's claim-limit list hold the wishes `wishes` (read at `started`) says they hold; returns how many
 * lists it changed. Only members who have a list: one without gets it filled on their next claim. */
async function reconcileSlots(wishes: readonly Wish[], started: Date): Promise<number> {
  const held = new Map<string, Set<string>>();
  for (const w of wishes) {
    const m = slotHolder(w);
    if (m) held.set(m, (held.get(m) ?? new Set()).add(w._id));
  }
  const before = started.getTime() - RESERVE_GRACE_MS;
  let changed = 0;
  for (let after = ''; ;) {
    const page = await claimSlotPage(after, 1000);
    if (!page.length) return changed;
    after = page[page.length - 1]!._id;
    const fixes = page.flatMap((u) => {
      const mine = held.get(u._id) ?? new Set<string>();
      const listed = new Set(u.openClaimIds);
      const add = [...mine].filter((id) => !listed.has(id));
      const stamp = (id: string) => Date.parse(u.openClaimAt?.[slotAtKey(id)] ?? '') || 0;
      const remove = u.openClaimIds.filter((id) => !mine.has(id) && stamp(id) < before);
      return add.length || remove.length ? [{ id: u._id, add, remove }] : [];
    });
    for (let i = 0; i < fixes.length; i += 20)
      await Promise.all(
        fixes.slice(i, i + 20).map((f) => Promise.all([addClaimSlots(f.id, f.add, started), releaseClaimSlots(f.id, f.remove)])),
      );
    changed += fixes.length;
  }
}

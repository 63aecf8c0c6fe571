/**
 * The claim limit as a reserved counter (the bar: a counter that guards something is reserved with a conditional
 * update before the guarded step). A member's user document lists the wishes they hold in status `claimed`
 * (`openClaimIds`, server/store/slots.ts) and the claims in flight. A claim adds its wish there in the first round of
 * the call — in the `updateAndReturn` that loads the caller and counts the call (server/trust.ts loadWriter),
 * alongside reading the wish — and, once the core allows the step and
 * before the wish's conditional write, passes only if its id sits among the first `limit` of the list that update
 * returned. Each update applies to the document alone, ids are appended and only ever removed, so an id's position
 * only moves forward: of N claims sent at once by one member, exactly `limit − held` pass. The claim's write then needs
 * no `claimSlot` effect of its own (the slot is there); every other step that moves a wish off or onto a member
 * delivers one (server/effects.ts).
 *
 * Refused after adding (the role, the wish's state, a lost race, the limit, the rate limit), the claim takes its id out
 * again, unless the wish as read is the member's (a repeated claim of a wish they hold). Never drifting: a member
 * without a list gets it filled from their claimed wishes before their first claim; a claim beyond the limit has the
 * listed wishes read (one request) and the ids of those that are not the member's — a claim that crashed between its
 * reservation and its write, more than RESERVE_GRACE_MS ago — pulled, and looks again.
 */
import { claimLimitReached, slotHolder, withinClaimLimit, type Effect, type Failure, type StoredWish } from '../src/core';
import {
  addClaimSlotAndReturn,
  claimSlotsOf,
  fillClaimSlots,
  getWishes,
  openMemberClaimIds,
  releaseClaimSlots,
  reserveClaimSlot,
  slotAtKey,
  slotsOf,
  type Slots,
  type UserDoc,
} from './store';

/** A slot reserved this long ago whose wish is not the member's is a leftover: longer than a claim can run (its
 * function times out after 10 s, cloudfunctions/claim/config.json) with its retries. */
export const RESERVE_GRACE_MS = 60_000;

/** Something a refused call gives back: `wish` as last read (null: not found). */
export interface Undoable {
  undo(wish: StoredWish | null): Promise<void>;
}

/** What a stage reserves before its conditional write (runner.ts runStage). */
export interface Reservation extends Undoable {
  /** Decide, once the step is allowed and before it is written: a refusal, or null (the slot is held). */
  take(): Promise<Failure | null>;
  /** Effects of the step the reservation has already applied (not stored with the wish). */
  covers(e: Effect): boolean;
}

/** The first round of a claim: the member's list with `wishId` added (null: no list yet, nothing added). */
export class EarlySlot implements Undoable {
  added: boolean;
  constructor(
    readonly memberId: string,
    readonly wishId: string,
    public slots: Slots | null,
  ) {
    this.added = slots !== null;
  }

  /** The slot as the claim's first request left it (its change: store/slots.ts claimSlotChange): the member's
   * document as that request returned it, `changed` if it added the id (the member has a list). */
  static of(memberId: string, wishId: string, user: UserDoc | null, changed: boolean): EarlySlot {
    return new EarlySlot(memberId, wishId, changed ? slotsOf(user) : null);
  }

  async undo(wish: StoredWish | null): Promise<void> {
    if (this.added && slotHolder(wish) !== this.memberId) await releaseClaimSlots(this.memberId, [this.wishId]);
  }
}

/** The claim limit on a claim whose first round added `early`: at most `limit` slots. */
export function claimReservation(early: EarlySlot, limit: number, now: Date): Reservation {
  const { memberId, wishId } = early;
  const within = (s: Slots | null) => s !== null && withinClaimLimit(s.ids, wishId, limit);
  return {
    async take() {
      if (!early.slots) {
        // A member from before the lists: filled from their claimed wishes (only if still missing), then added.
        await fillClaimSlots(memberId, await openMemberClaimIds(memberId), now);
        early.slots = await addClaimSlotAndReturn(memberId, wishId, now);
        early.added = early.slots !== null;
      }
      if (within(early.slots)) return null;
      const ids = early.slots?.ids ?? [];
      // Taken out meanwhile (a concurrent refusal of the same wish): one conditional add.
      if (early.slots && !ids.includes(wishId))
        return (await reserveClaimSlot(memberId, wishId, limit, now)) ? null : claimLimitReached(limit, limit);
      // Beyond the limit: release the slots a crash left, and look again.
      const stale = await leftovers(memberId, ids.slice(0, ids.indexOf(wishId)), early.slots?.at ?? {}, now);
      if (stale.length) {
        await releaseClaimSlots(memberId, stale);
        if (within(await claimSlotsOf(memberId))) return null;
      }
      return claimLimitReached(limit, limit);
    },
    covers: (e) => e.kind === 'claimSlot' && e.op === 'add' && e.memberId === memberId && e.wishId === wishId,
    undo: (wish) => early.undo(wish),
  };
}

/** The listed wishes that are not the member's (missing, or not held by them), except those reserved less than
 * RESERVE_GRACE_MS ago (a claim still in flight). */
async function leftovers(memberId: string, ids: readonly string[], at: Record<string, string>, now: Date): Promise<string[]> {
  if (!ids.length) return [];
  const wishes = await getWishes(ids);
  return ids.filter((id) => {
    if (slotHolder(wishes.get(id) ?? null) === memberId) return false;
    const reserved = at[slotAtKey(id)];
    return !reserved || now.getTime() - Date.parse(reserved) >= RESERVE_GRACE_MS;
  });
}

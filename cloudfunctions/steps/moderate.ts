// 内容审核 moderate: an organiser of the wish's organisation (subtree) releases a held wish into the normal
// flow (`approve: true`; it then waits for registration) or rejects it (`approve: false`, `reason` the resident reads).
// Either way it leaves the `held` figure (待内容审核): an approval is not a lifecycle step, but its counter delta is
// stored and delivered with it like a transition's.
// Like every stage, the decision and its effects (the audit entry; on rejection the resident's notice) are stored
// with one conditional update and then delivered (server/effects.ts).
import {
  ModerateEvent,
  auditRecord,
  auditState,
  approveModeration,
  carry,
  counterEffects,
  fail,
  moderationProblem,
  transition,
  viewWish,
  type Effect,
  type Wish,
} from '../../src/core';
import { deliverStep } from '../../server/effects';
import { defineOrganiserFunction } from '../../server/runner';
import { approveHeldIfVersion, getWish, replaceIfVersion } from '../../server/store';

export const main = defineOrganiserFunction(
  'moderate',
  ModerateEvent,
  '只有社区工作人员可以审核内容',
  async (event, { actor, now }) => {
    const wish = await getWish(event.wishId);
    if (!wish) return fail('WISH.NOT_FOUND');
    const problem = moderationProblem(wish, actor); // the core's rule (wish.ts), for approval and refusal alike
    if (problem) return problem;
    const audit = (next: Wish, n: number): Effect => ({
      id: `${wish._id}-${next.version}-m${n}`,
      kind: 'audit',
      audit: auditRecord(actor, {
        at: now.toISOString(),
        action: event.approve ? 'moderate.approve' : 'moderate.reject',
        target: { kind: 'wish', id: wish._id },
        orgId: wish.orgId,
        before: auditState(wish),
        after: auditState(next),
      }),
    });
    let next: Wish;
    let pending: Effect[];
    if (event.approve) {
      // Version and timeline unchanged: moderation is not a lifecycle step; the condition makes it happen once.
      const approved = approveModeration(wish, actor, now, event.reason ?? '');
      if (!approved.ok) return approved;
      next = approved.wish;
      const moderation = next.moderation;
      // No longer held: the stock figure `held` (待内容审核) moves like any transition's (src/core/figures.ts).
      pending = carry(wish.pending, [audit(next, 0), ...counterEffects(wish, next, (n) => `${wish._id}-${next.version}-m${n + 1}`)]);
      if (!(await approveHeldIfVersion(wish, moderation, pending))) return fail('WISH.CONFLICT');
    } else {
      const result = transition(
        wish,
        { type: 'reject', reason: event.reason || '内容不符合发布要求' },
        actor,
        now,
        event.requestId,
        'moderate',
      );
      if (!result.ok) return result;
      next = result.wish;
      // The moderation decision is the audited action (the lifecycle's own `reject` entry would say the same twice).
      pending = carry(wish.pending, [
        audit(next, 0),
        ...result.effects.filter((e) => !(e.kind === 'audit' && e.audit.action === 'reject')),
      ]);
      if (!(await replaceIfVersion(wish, { ...next, pending }))) return fail('WISH.CONFLICT');
    }
    await deliverStep(wish, pending);
    return viewWish(next, actor, now);
  },
  { write: true },
);

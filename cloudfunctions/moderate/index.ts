// 内容审核 moderate: an organiser of the wish's organisation (subtree) releases a held wish into the normal
// flow (`approve: true`; it then waits for registration) or rejects it (`approve: false`, `reason` the resident reads).
import { ModerateEvent, awaitsModeration, fail, inScope, transition, viewWish, type Wish } from '../../src/core';
import { db } from '../../server/cloud';
import { defineFunction } from '../../server/runner';
import { getWish, replaceIfVersion, WISHES } from '../../server/store';
import { auditAction, auditState } from '../../server/trust';

export const main = defineFunction(
  'moderate',
  ModerateEvent,
  async (event, { actor, now }) => {
    if (actor.role !== 'organiser' || !actor.orgId) return fail('AUTH.FORBIDDEN', '只有社区工作人员可以审核内容');
    const wish = await getWish(event.wishId);
    if (!wish) return fail('WISH.NOT_FOUND');
    if (!inScope(actor, wish.orgId)) return fail('AUTH.OUT_OF_SCOPE');
    if (!awaitsModeration(wish)) return fail('WISH.WRONG_STATE', '这个心愿不在审核队列中');
    let next: Wish;
    if (event.approve) {
      // Version and timeline unchanged: moderation is not a lifecycle step; the condition makes it happen once.
      const moderation = { state: 'approved' as const, reason: event.reason ?? '', at: now.toISOString(), by: actor.id };
      const r = await db()
        .collection(WISHES)
        .where({ _id: wish._id, version: wish.version, 'moderation.state': 'review' })
        .update({ moderation: db().command.set(moderation) });
      if (r.updated !== 1) return fail('WISH.CONFLICT');
      next = { ...wish, moderation };
    } else {
      const result = transition(wish, { type: 'reject', reason: event.reason || '内容不符合发布要求' }, actor, now, event.requestId);
      if (!result.ok) return result;
      if (!(await replaceIfVersion(wish, result.wish))) return fail('WISH.CONFLICT');
      next = result.wish;
    }
    await auditAction(actor, {
      at: now.toISOString(),
      action: event.approve ? 'moderate.approve' : 'moderate.reject',
      target: { kind: 'wish', id: wish._id },
      orgId: wish.orgId,
      before: auditState(wish),
      after: auditState(next),
    });
    return viewWish(next, actor);
  },
  { write: true },
);

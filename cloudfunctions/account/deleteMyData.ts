// 删除我的数据 deleteMyData: erases the caller's personal data (PIPL art. 47).
// - Wishes not yet claimed (collected, registered, published, deferred) are withdrawn and erased now.
// - Ended wishes (closed, rejected, withdrawn) are erased now.
// - Erasing a wish erases its photos: the references (wish, fulfilment, timeline) and the files (deleteFile).
// - Wishes in progress (claimed, fulfilled, reviewed) keep their contact so the member can finish; they are
//   marked `eraseOnEnd` and the purge erases them as soon as they end. The answer lists them.
// - A resident's user record (consent, organisation) is deleted; a member's or organiser's keeps only
//   what their role needs and loses its consent record. The hour's rate-limit counts on it are kept as counter
//   documents (where someone without a record is counted): they count for that hour only and are purged with the rest.
// A withdrawal goes through the same path as every stage: the wish, its erasure and the withdrawal's effects in
// one conditional update, then delivered (server/effects.ts).
import { DeleteMyDataEvent, carry, erasedFields, ownDeletionOf, transition, type StoredWish } from '../../src/core';
import { deliverStep } from '../../server/effects';
import { defineFunction } from '../../server/runner';
import { deleteFiles } from '../../server/photos';
import { keepRateCounts } from '../../server/trust';
import { dropConsent, setIfVersion, filesOf, getWish, postedWishes, removeUser, rewriteIfVersion } from '../../server/store';

export const main = defineFunction(
  'deleteMyData',
  DeleteMyDataEvent,
  async (_event, { actor, user, now }) => {
    const at = now.toISOString();
    const mine = await postedWishes(actor.id);
    const erased: string[] = [];
    const kept: string[] = [];
    let filesDeleted = 0;
    for (const first of mine) {
      for (let attempt = 0, w: StoredWish | null = first; attempt < 3 && w; attempt++, w = await getWish(first._id)) {
        const plan = ownDeletionOf(w);
        if (plan === 'keepUntilEnd') {
          if (await setIfVersion(w, { eraseOnEnd: true })) {
            kept.push(w._id);
            break;
          }
          continue;
        }
        if (plan === 'erased') {
          erased.push(w._id);
          break;
        }
        let next: StoredWish = w;
        if (plan === 'withdrawAndErase') {
          const t = transition(w, { type: 'withdraw', reason: '居民删除了自己的信息' }, actor, now, undefined, 'deleteMyData');
          if (!t.ok) break;
          next = { ...t.wish, pending: carry(w.pending, t.effects) };
        }
        if (await rewriteIfVersion(w, { ...next, ...erasedFields(next, at) } as StoredWish)) {
          if (next.pending?.length) await deliverStep(w, next.pending);
          erased.push(w._id);
          // The photos' references are erased with the wish; the files go too.
          filesDeleted += await deleteFiles(filesOf(w), now);
          break;
        }
      }
    }
    if (user && user.role === 'resident') {
      await keepRateCounts(actor.id, user, now); // the hour's limits outlive the document (server/trust.ts)
      await removeUser(actor.id);
    } else if (user) await dropConsent(actor.id);
    return {
      erased,
      kept,
      filesDeleted,
      message: kept.length
        ? `已删除 ${erased.length} 个心愿中的个人信息；${kept.length} 个心愿正在办理，办结后会自动删除`
        : `已删除 ${erased.length} 个心愿中的个人信息`,
    };
  },
  { write: true },
);

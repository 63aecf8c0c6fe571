// 收集 collect: a resident posts a wish, or an organiser enters one for a resident (with its channel).
// Needs the caller's consent to the current privacy notice (and separate consent for sensitive details);
// every text passes the content check: risky is refused, review (or a failed check) holds the wish for
// an organiser's moderation queue. Photos go to WeChat's asynchronous media check; each check is recorded
// against this wish once it is stored, and mediaCheckResult applies the verdict when WeChat pushes it.
import {
  CollectEvent,
  collect,
  collectAlertEffects,
  collectAuditEffects,
  collectEffects,
  consentFailure,
  fail,
  inScope,
  viewWish,
} from '../../src/core';
import { contentCheck, textsOf } from '../../server/contentCheck';
import { IN_WISH, dispatch } from '../../server/effects';
import { recordMediaChecks } from '../../server/mediaChecks';
import { attachPhotos } from '../../server/photos';
import { defineFunction } from '../../server/runner';
import { cardById, getOrg, getWish, insertWish, linkCard, newWishId } from '../../server/store';
import { reserveWishNo } from '../../server/wishNo';

export const main = defineFunction(
  'collect',
  CollectEvent,
  async (event, { actor, user, org: own, now }) => {
    const sensitive = event.sensitive && Object.values(event.sensitive).some((x) => x) ? event.sensitive : null;
    const noConsent = consentFailure(user?.consent, sensitive !== null);
    if (noConsent) return noConsent;
    const id = newWishId(actor.id, event.requestId);
    const created = collect(id, event, actor, now, event.requestId);
    if (!created.ok) return created;
    // The caller's own organisation is already loaded (loadActor); a resident may post to another community.
    const org = own?._id === created.wish.orgId ? own : await getOrg(created.wish.orgId);
    if (!org) return fail('ORG.NOT_FOUND', '没有找到这个社区，请重新选择');
    const first = await getWish(id);
    if (first) {
      // A retry with the same requestId: the first answer, and what the first attempt left undelivered.
      if (first.pending?.length) await dispatch(id, first.pending);
      return viewWish(first, actor, now);
    }
    const check = await contentCheck.text(textsOf(event as Record<string, unknown>), actor.id, 1);
    if (check.verdict === 'risky') return fail('CONTENT.RISKY');
    // 代录 from a returned card: the card must be the organiser's (subtree's) and free, or already this wish's (a retry).
    const cardNo = event.cardNo && actor.role === 'organiser' ? event.cardNo : null;
    if (event.cardNo && actor.role !== 'organiser') return fail('AUTH.FORBIDDEN', '只有社区工作人员可以登记心愿卡');
    if (cardNo) {
      if (created.wish.channel !== 'card') return fail('INPUT.INVALID', '心愿卡号：只有收集渠道是“心愿卡”时才填写');
      const card = await cardById(cardNo);
      if (!card || !inScope(actor, card.orgId)) return fail('CARD.NOT_FOUND');
      if (card.wishId !== null && card.wishId !== id) return fail('CARD.IN_USE');
    }
    // Only photos the caller uploaded for a new wish (photoUpload, purpose collect); they are recorded as this wish's.
    const notOwned = await attachPhotos(event.photos ?? [], actor.id, 'collect', id, now);
    if (notOwned) return notOwned;
    // Submitted before the store, recorded after it: the id is already known (newWishId), and a wish that is
    // never stored leaves no check pointing at it.
    const media = await contentCheck.media(event.photos ?? [], actor.id, 1);
    const held =
      check.verdict === 'review'
        ? check.failed
          ? '内容检查暂时失败，等待人工审核'
          : '内容需要人工审核'
        : media.failed
          ? '照片检查暂时失败，等待人工审核'
          : null;
    // The card first (conditional: still free, or already this wish's from a cut-off attempt), then the wish with its
    // number, as the import does: a crash between leaves the card pointing at the id the retry inserts.
    if (cardNo) {
      const mine = (await linkCard(cardNo, id)) || (await cardById(cardNo))?.wishId === id;
      if (!mine) return fail('CARD.IN_USE');
    }
    const wishNo = await reserveWishNo(id, created.wish.orgId, now);
    const made = {
      ...created.wish,
      wishNo,
      ...(cardNo ? { cardNo } : {}),
      ...(sensitive ? { sensitive } : {}),
      ...(held ? { moderation: { state: 'review' as const, reason: held, at: now.toISOString() } } : {}),
    };
    // The supervision figures it moves, the organisers' alert and (entered by an organiser) its audit entry travel
    // with it (`pending`), delivered once it is stored: a crash after the insert loses none of them.
    const pending = [...collectEffects(made), ...collectAlertEffects(made), ...collectAuditEffects(made, actor)];
    const wish = { ...made, pending };
    if (!(await insertWish(wish))) {
      const again = await getWish(id);
      if (!again) throw new Error(`wish ${id} reported as duplicate but not found`);
      if (again.pending?.length) await dispatch(id, again.pending);
      return viewWish(again, actor, now);
    }
    await Promise.all([recordMediaChecks(media.traces, id, actor.id, now), dispatch(id, pending, IN_WISH, { fresh: true })]);
    return viewWish(wish, actor, now);
  },
  { write: true },
);

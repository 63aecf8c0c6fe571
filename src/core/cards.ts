/**
 * Paper wish cards (心愿卡, issue 11): card numbers, PINs and the `wishCards` event, pure.
 * A card number is 12 characters of Crockford's base32 (60 random bits, shown XXXX-XXXX-XXXX): not guessable, and
 * easy to read aloud and type (no I, L, O, U; a typed O is read as 0, I and L as 1).
 * Not exported from the core's index: only the server and the card pages need it.
 */
import * as v from 'valibot';
import { CARD_ALPHABET, cardNoFrom, formatCardNo, normaliseCardNo, normaliseWishNo, wishNoFrom } from './numbers';
import { CardNo, Id, WishNo, optionalText } from './validation';
import { fail, type Failure } from './errors';
import { SATISFACTIONS, type Wish } from './wish';

export { CARD_ALPHABET, CardNo, cardNoFrom, formatCardNo, normaliseCardNo, normaliseWishNo, wishNoFrom };

export const MAX_CARDS_PER_SHEET = 40;
/** Wrong PINs before a card's feedback is locked, and for how long. */
export const MAX_PIN_FAILURES = 5;
export const PIN_LOCK_MINUTES = 60;

const Pin = v.pipe(v.string('请填写查询码'), v.regex(/^\d{6}$/, '查询码是 6 位数字'));

/** The printed code: `qr` a standard QR code of the H5 page (the default; H5), `wxacode` a mini-program code
 * (wxacode.getUnlimited, scene = the card number; the mini-program asks for it). */
export const CODE_KINDS = ['qr', 'wxacode'] as const;
const CodeKind = v.picklist(CODE_KINDS, '二维码类型不对');
/** The mini-program page a card's code opens (with scene = the card number). */
export const CARD_PAGE = 'card/index';

export const WishCardsEvent = v.variant(
  'mode',
  [
    v.object({
      mode: v.literal('issue'),
      code: v.optional(CodeKind),
      count: v.pipe(
        v.number('请填写张数'),
        v.integer('请填写整数'),
        v.minValue(1, '至少 1 张'),
        v.maxValue(MAX_CARDS_PER_SHEET, `一次最多 ${MAX_CARDS_PER_SHEET} 张`),
      ),
    }),
    // The wish by its id (a pick from the list of wishes without a card) or by its number (心愿编号, read off a screen).
    v.pipe(
      v.object({ mode: v.literal('link'), cardNo: CardNo, wishId: v.optional(Id), wishNo: v.optional(WishNo) }),
      v.check((e) => Boolean(e.wishId || e.wishNo), '请填写心愿编号，或从列表中选择心愿'),
    ),
    // The organiser's wishes that could take a returned card: entered from a card (channel 心愿卡), no card linked yet.
    v.object({ mode: v.literal('unlinked') }),
    // A receipt (回执) for a wish entered without a card (hotline, visit …): a new card number and PIN for it.
    v.object({ mode: v.literal('receipt'), wishId: Id, requestId: v.optional(Id), code: v.optional(CodeKind) }),
    // A new PIN for the wish's card (a lock by someone else's wrong guesses cleared): shown once, like printing.
    v.object({ mode: v.literal('reissue'), wishId: Id, code: v.optional(CodeKind) }),
    v.object({ mode: v.literal('progress'), cardNo: CardNo }),
    v.object({
      mode: v.literal('feedback'),
      cardNo: CardNo,
      pin: Pin,
      satisfaction: v.picklist(SATISFACTIONS, '请选择满意程度'),
      comment: optionalText(200), // the same text rule as every other field (validation.ts cleanText)
    }),
  ],
  '请选择要做的事',
);
/** Channels whose wishes may get a receipt: those entered by an organiser without a paper card (a card-channel wish
 * is linked to its own card; a resident who posted in the app follows it there). */
export const RECEIPT_CHANNELS = ['box', 'hotline', 'visit', 'survey', 'forum'] as const;
/** Why this wish may not get a receipt (回执): only a wish an organiser entered without a paper card (RECEIPT_CHANNELS)
 * and still open to follow — not one withdrawn or rejected. The `receipt` operation (server/cards.ts) refuses with
 * it, and the organiser's panel offers 打印回执 only when it is null. A wish that already has a card is another case
 * (CARD.IN_USE, or 重新生成查询码). */
export function receiptProblem(wish: Pick<Wish, 'channel' | 'status'>): Failure | null {
  if (!(RECEIPT_CHANNELS as readonly string[]).includes(wish.channel))
    return fail(
      'WISH.WRONG_STATE',
      wish.channel === 'card' ? '心愿卡收来的心愿，请登记它自己的心愿卡' : '居民在小程序里提交的心愿，可以在小程序里查看进度',
    );
  if (wish.status === 'withdrawn' || wish.status === 'rejected') return fail('WISH.WRONG_STATE', '这个心愿已经撤回或未受理，不能再开回执');
  return null;
}
export type WishCardsInput = v.InferOutput<typeof WishCardsEvent>;

/**
 * Paper wish cards (心愿卡, issue 11). An organiser prints numbered cards; each has a QR code that opens the wish's
 * public progress (the H5 page `card/index?no=…`) and a PIN on its stub that the resident keeps.
 *
 *   issue    → `count` new cards of the organiser's organisation: random numbers (60 bits), a 6-digit PIN each (only
 *              its salted hash is stored; the PIN is answered once, for printing), a QR code (PNG data URL)
 *   receipt  → a wish entered without a card (hotline, visit …) gets a new card number and PIN: a printed receipt (回执)
 *   link     → the card and a wish of the organiser's subtree are linked (a returned card entered as a wish, or a
 *              receipt (回执) handed to a hotline or visit resident)
 *   progress → the wish as the card shows it (privacy.ts cardProgress: no personal data)
 *   feedback → with the right PIN, the feedback transition as the card's holder; a try is reserved before the PIN is
 *              compared, so at most 5 PINs are compared before the card locks an hour
 *   reissue  → the organiser gives a wish's card a new PIN (shown once) and clears its lock
 *
 * The code printed is a standard QR code of the H5 page, or in the mini-program (`code: 'wxacode'`) a mini-program
 * code from `wxacode.getUnlimited` (scene = the card number); where WeChat gives none, the QR code of the web page
 * instead (`codeKind` says which, and the printed card says so); see cardCode.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import {
  CHANNEL_LABEL,
  auditEffect,
  carry,
  cardHolderId,
  cardProgress,
  chinaDate,
  fail,
  inScope,
  scopeIds,
  type Actor,
  type CardProgress,
  type Failure,
} from '../src/core';
import {
  CARD_PAGE,
  MAX_PIN_FAILURES,
  PIN_LOCK_MINUTES,
  receiptProblem,
  cardNoFrom,
  type CODE_KINDS,
  type WishCardsInput,
} from '../src/core/cards';
import { cloud } from './cloud';
import { dispatch, type Holder } from './effects';
import { wx, wxError } from './wx';
import type { Caller } from './runner';
import { runStage } from './runner';
import {
  CARDS,
  addCard,
  addFile,
  cardById,
  cardChannelWishes,
  freshOrg,
  getWish,
  linkCard,
  lockCard,
  removeCard,
  repinCard,
  resetCardLock,
  rewriteIfVersion,
  takePinTry,
  unlinkCard,
  type CardDoc,
  type OrgDoc,
} from './store';
import { wishByNo } from './wishNo';
import { auditOrgAction } from './trust';

export type { CardDoc };
/** Where a card's own audit entries wait until delivered (server/effects.ts dispatch). */
const IN_CARD: Holder = { collection: CARDS, field: 'pendingEffects' };
type CodeKind = (typeof CODE_KINDS)[number];

const hashPin = (salt: string, pin: string) => createHash('sha256').update(`wish-card\n${salt}\n${pin}`).digest('hex');

/** Where a card's QR code leads: the H5 progress page. CARD_BASE_URL on CloudBase (the H5 site); locally the local
 * cloud's own origin, which serves the H5 app. */
export function cardUrl(cardNo: string): string {
  const base = process.env.CARD_BASE_URL || (process.env.TCB_SERVICE_URL ? new URL(process.env.TCB_SERVICE_URL).origin : '');
  return `${base.replace(/\/$/, '')}/#/card/index?no=${encodeURIComponent(cardNo)}`;
}

export interface IssuedCard {
  cardNo: string;
  pin: string;
  url: string;
  qr: string; // data:image/png;base64,… (a QR code of `url`), or a temporary URL of the mini-program code
  /** Which code `qr` is: `wxacode` opens the mini-program's card page in WeChat, `qr` the web page in any browser. */
  codeKind: CodeKind;
}

/** A new card of `orgId` with its PIN (stored only as a salted hash). */
function newCard(orgId: string, actor: Actor, now: Date, wishId: string | null = null): { doc: CardDoc; pin: string } {
  const cardNo = cardNoFrom(randomBytes(8));
  const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16).toString('hex');
  const doc: CardDoc = {
    _id: cardNo,
    orgId,
    salt,
    pinHash: hashPin(salt, pin),
    issuedBy: actor.id,
    issuedAt: now.toISOString(),
    wishId,
    failures: 0,
    lockedUntil: null,
  };
  return { doc, pin };
}

/**
 * The printed code of a card: its URL and the image. `qr` (H5): a standard QR code of the H5 page, as a PNG data URL.
 * `wxacode` (the mini-program): a mini-program code from WeChat's open API `wxacode.getUnlimited` (scene = the card
 * number, page = card/index), a cloud call through wx-server-sdk (`{ contentType, buffer }`, or WeChat's error thrown), stored under cardcodes/<day>/ (a `files` record: the daily purge deletes it after a day) and
 * answered as a temporary URL. Locally the local cloud answers a standard QR code of the H5 page with that scene
 * (docs/localcloud.md). Where WeChat gives no code (the environment has no mini-program, the cloud call is not
 * permitted, WeChat refuses), the card carries the web page's QR code instead (issue 23): `codeKind` says which.
 * `null`: neither can be made (no code, and no absolute web URL to put in a QR code: the function answers
 * CARD.CODE_FAILED).
 */
async function cardCode(
  cardNo: string,
  kind: CodeKind,
  actor: Actor,
  now: Date,
): Promise<{ url: string; qr: string; codeKind: CodeKind } | null> {
  const url = cardUrl(cardNo);
  const web = async () => ({
    url,
    qr: await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 1, scale: 4 }),
    codeKind: 'qr' as const,
  });
  if (kind === 'qr') return web();
  const image = await miniProgramCode(cardNo);
  if (!image) return /^https?:\/\//.test(url) ? web() : null;
  const key = randomBytes(16).toString('hex');
  const ext = image.png ? 'png' : 'jpg';
  const cloudPath = `${CODE_DIR}/${chinaDate(now).replace(/-/g, '')}/${key}.${ext}`;
  const up = (await cloud().uploadFile({ cloudPath, fileContent: image.bytes })) as { fileID: string };
  await addFile({
    _id: key,
    path: cloudPath,
    fileId: up.fileID,
    owner: actor.id,
    purpose: 'cardCode',
    wishId: null,
    state: 'issued',
    issuedAt: now.toISOString(),
  });
  const r = await cloud().getTempFileURL({ fileList: [{ fileID: up.fileID, maxAge: CODE_URL_SECONDS }] });
  const file = (r.fileList as Array<{ tempFileURL: string; code: string }>)[0];
  if (!file || file.code !== 'SUCCESS') throw new Error(`card code ${up.fileID} stored but no URL: ${file?.code}`);
  return { url, qr: file.tempFileURL, codeKind: 'wxacode' };
}

/** The mini-program code of a card from wxacode.getUnlimited, or null (logged) when WeChat gives none. */
async function miniProgramCode(cardNo: string): Promise<{ bytes: Buffer; png: boolean } | null> {
  // A cloud call through wx-server-sdk (server/wx.ts): it answers `{ contentType, buffer }` (the image), and throws
  // WeChat's refusal (e.g. 40129 invalid scene) as { errCode, errMsg }.
  let image: Buffer;
  try {
    const r = (await wx().openapi.wxacode.getUnlimited({
      scene: cardNo,
      page: CARD_PAGE,
      checkPath: false,
      envVersion: process.env.WX_ENV_VERSION || 'release',
      width: 280,
    })) as { contentType?: unknown; buffer?: unknown };
    if (!Buffer.isBuffer(r?.buffer)) throw new Error(`no image in the answer (content type ${String(r?.contentType)})`);
    image = r.buffer;
  } catch (e) {
    console.error('[wishCards] wxacode.getUnlimited refused, the card carries the web page:', wxError(e));
    return null;
  }
  const png = image.length > 8 && image.readUInt32BE(0) === 0x89504e47;
  const jpg = image.length > 8 && image.readUInt16BE(0) === 0xffd8;
  if (!png && !jpg) {
    console.error('[wishCards] wxacode.getUnlimited answered no PNG or JPEG:', image.subarray(0, 200).toString('utf8'));
    return null;
  }
  return { bytes: image, png };
}

const CODE_DIR = 'cardcodes';
const CODE_URL_SECONDS = 600;

async function issue(
  count: number,
  kind: CodeKind,
  actor: Actor,
  org: OrgDoc,
  now: Date,
): Promise<{ orgName: string; returnTo: string; cards: IssuedCard[] } | Failure> {
  const cards: IssuedCard[] = [];
  for (let i = 0; i < count; i++) {
    const { doc, pin } = newCard(org._id, actor, now);
    await addCard(doc); // a (60-bit) collision would fail the insert, never reuse a card
    const code = await cardCode(doc._id, kind, actor, now);
    if (!code) return fail('CARD.CODE_FAILED'); // the cards made so far stay unused: nobody saw their PINs
    cards.push({ cardNo: doc._id, pin, ...code });
  }
  await auditOrgAction(actor, org._id, 'issueCards', { count, cards: cards.map((c) => c.cardNo) }, now);
  // Where the filled-in card goes back: the organisation's own words for it, else its name (issue 22).
  return { orgName: org.name, returnTo: org.cardReturnTo?.trim() || org.name, cards };
}

export interface Receipt extends IssuedCard {
  orgName: string;
  wishId: string;
  channel: string;
  receivedOn: string; // the China-time day the wish was collected
}

/**
 * 回执: a wish entered without a card (hotline, visit, box, survey, forum) gets a card number and PIN of the wish's
 * organisation, born linked to it, so the resident can follow it by QR code and give feedback like a card holder.
 * The card is stored first (already pointing at the wish), then the wish takes its number in one conditional update
 * on {_id, version}: two receipts at once give one card, the loser's card is removed. A crash between the two leaves
 * a card nobody knows the PIN of (its answer never went out) and the wish still without one: the retry makes a new one.
 * A retry with the same `requestId` by the same organiser answers the same card number with a new PIN (the answer
 * that carried the first was lost; the old PIN stops working); any other second receipt is `CARD.IN_USE`.
 */
async function receipt(wishId: string, requestId: string | undefined, kind: CodeKind, actor: Actor, now: Date): Promise<Receipt | Failure> {
  const wish = await getWish(wishId);
  if (!wish || !inScope(actor, wish.orgId) || wish.purgedAt) return fail('WISH.NOT_FOUND');
  const org = await freshOrg(wish.orgId);
  const answer = async (cardNo: string, pin: string): Promise<Receipt | Failure> => {
    const code = await cardCode(cardNo, kind, actor, now);
    if (!code) return fail('CARD.CODE_FAILED'); // retry with the same requestId: the same card, a new PIN
    return {
      orgName: org?.name ?? '',
      wishId,
      channel: CHANNEL_LABEL[wish.channel],
      receivedOn: chinaDate(new Date(wish.createdAt)),
      cardNo,
      pin,
      ...code,
    };
  };
  if (wish.cardNo) {
    const card = await getCard(wish.cardNo);
    if (!requestId || !card || card.receiptRequest !== requestId || card.issuedBy !== actor.id) {
      return fail('CARD.IN_USE', '这个心愿已经有心愿卡或回执了');
    }
    // The same request again: the same number, a new PIN (conditional on the hash this retry read).
    const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const salt = randomBytes(16).toString('hex');
    if (!(await repinCard(card._id, card.pinHash, { salt, pinHash: hashPin(salt, pin) }))) return fail('WISH.CONFLICT');
    return answer(card._id, pin);
  }
  const refused = receiptProblem(wish);
  if (refused) return refused;
  const { doc, pin } = newCard(wish.orgId, actor, now, wishId);
  await addCard({ ...doc, receiptRequest: requestId ?? null });
  // The audit entry travels with the wish's update (`pending`) and is delivered after it: a crash in between leaves
  // it pending for the next step or the nightly sweep (timers/purge), never lost.
  const audit = auditEffect(`${wishId}-${wish.version + 1}-receipt`, actor, {
    at: now.toISOString(),
    action: 'issueReceipt',
    target: { kind: 'wish', id: wishId },
    orgId: wish.orgId,
    before: null,
    after: { cardNo: doc._id },
  });
  const pending = carry(wish.pending, [audit]);
  const next = { ...wish, cardNo: doc._id, version: wish.version + 1, updatedAt: now.toISOString(), pending };
  if (!(await rewriteIfVersion(wish, next))) {
    await removeCard(doc._id);
    const fresh = await getWish(wishId);
    return fail(fresh?.cardNo ? 'CARD.IN_USE' : 'WISH.CONFLICT', fresh?.cardNo ? '这个心愿已经有心愿卡或回执了' : undefined);
  }
  await dispatch(wishId, pending);
  return answer(doc._id, pin);
}

async function getCard(cardNo: string): Promise<CardDoc | null> {
  return (await cardById(cardNo)) ?? null;
}

async function link(
  cardNo: string,
  by: { wishId?: string; wishNo?: string },
  actor: Actor,
  now: Date,
): Promise<{ cardNo: string; wishId: string; wishNo?: string } | Failure> {
  const card = await getCard(cardNo);
  if (!card || !inScope(actor, card.orgId)) return fail('CARD.NOT_FOUND');
  const wish = by.wishId ? await getWish(by.wishId) : await wishByNo(by.wishNo ?? '', actor);
  if (!wish || !inScope(actor, wish.orgId)) return fail('WISH.NOT_FOUND', by.wishId ? undefined : '没有找到这个心愿编号，请核对');
  const wishId = wish._id;
  if (card.wishId === wishId && wish.cardNo === cardNo) return { cardNo, wishId }; // a retry
  if (card.wishId !== null) return fail('CARD.IN_USE');
  if (wish.cardNo) return fail('CARD.IN_USE', '这个心愿已经有心愿卡了');
  if (!(await linkCard(cardNo, wishId))) return fail('CARD.IN_USE');
  // The audit entry travels with the wish's update (`pending`) and is delivered after it, like a receipt's.
  const audit = auditEffect(`${wishId}-${wish.version + 1}-linkCard`, actor, {
    at: now.toISOString(),
    action: 'linkCard',
    target: { kind: 'wish', id: wishId },
    orgId: wish.orgId,
    before: null,
    after: { cardNo },
  });
  const pending = carry(wish.pending, [audit]);
  if (!(await rewriteIfVersion(wish, { ...wish, cardNo, version: wish.version + 1, updatedAt: now.toISOString(), pending }))) {
    await unlinkCard(cardNo, wishId);
    return fail('WISH.CONFLICT');
  }
  await dispatch(wishId, pending);
  return { cardNo, wishId, ...(wish.wishNo ? { wishNo: wish.wishNo } : {}) };
}

/** The statuses a returned card can still be linked in (not ended). */
const LINKABLE = ['collected', 'registered', 'published', 'claimed', 'fulfilled', 'reviewed', 'deferred'] as const;
export interface UnlinkedWish {
  wishId: string;
  wishNo: string;
  title: string;
  name: string;
  createdAt: string;
}

/**
 * 待关联心愿卡的心愿: wishes of the organiser's organisation and subtree entered from a paper card (channel 心愿卡) that
 * have no card linked yet, newest first, for the link form's pick list. Walks `orgId, status, createdAt` (the card
 * channel and the missing card are checked on that page), at most 50.
 */
async function unlinked(actor: Actor): Promise<{ items: UnlinkedWish[] }> {
  const items = (await cardChannelWishes(scopeIds(actor), LINKABLE))
    .filter((w) => !w.cardNo)
    .slice(0, 50)
    .map((w) => ({ wishId: w._id, wishNo: w.wishNo ?? '', title: w.title, name: w.contact?.name ?? '', createdAt: w.createdAt }));
  return { items };
}

export type CardAnswer =
  { cardNo: string; orgName: string; linked: false } | ({ cardNo: string; orgName: string; linked: true } & CardProgress);

async function progress(card: CardDoc): Promise<CardAnswer> {
  const org = await freshOrg(card.orgId);
  const orgName = org?.name ?? '';
  const wish = card.wishId ? await getWish(card.wishId) : null;
  if (!wish) return { cardNo: card._id, orgName, linked: false };
  return { cardNo: card._id, orgName, linked: true, ...cardProgress(wish, (iso) => chinaDate(new Date(iso))) };
}

/**
 * Feedback with the PIN. A try is reserved BEFORE the PIN is compared: one conditional increment of the card's
 * `failures` while it is below MAX_PIN_FAILURES and the card is not locked (`updateAndReturn`: the card as this try
 * reserved it, PIN hash included). So N guesses at once use N tries and at most MAX_PIN_FAILURES are ever compared
 * in a lock window; a guess that finds no try left locks the card (conditional on no lock: the first lock stands, it is
 * never extended) and is refused without being compared. The count is not reset when the card locks, nor by the right
 * PIN (that would hand guesses racing it five more tries): only when the lock has run out (one conditional reset on the
 * `lockedUntil` read) or when the PIN is re-issued. A family locked out by someone else need not wait: the organiser
 * re-issues the PIN (`reissue`).
 */
async function feedback(e: Extract<WishCardsInput, { mode: 'feedback' }>, caller: Caller): Promise<CardAnswer | Failure> {
  const { now } = caller;
  const at = now.toISOString();
  const card = await getCard(e.cardNo);
  if (!card) return fail('CARD.NOT_FOUND');
  if (card.lockedUntil && card.lockedUntil > at) return fail('CARD.LOCKED');
  // The lock has run out: a fresh count (of concurrent callers one resets it; the others find it reset).
  if (card.lockedUntil) await resetCardLock(card._id, card.lockedUntil);
  const lock = async () => {
    await lockCard(card._id, new Date(now.getTime() + PIN_LOCK_MINUTES * 60_000).toISOString());
    return fail('CARD.LOCKED');
  };
  const held = await takePinTry(card._id, MAX_PIN_FAILURES);
  if (!held) return lock(); // no try left (or locked meanwhile): nothing compared
  const given = Buffer.from(hashPin(held.salt, e.pin), 'hex');
  if (!timingSafeEqual(given, Buffer.from(held.pinHash, 'hex'))) {
    if (held.failures >= MAX_PIN_FAILURES) return lock();
    const left = MAX_PIN_FAILURES - held.failures;
    return fail('CARD.PIN_WRONG', `查询码不对，请核对心愿卡存根上的查询码（还可以试 ${left} 次）`);
  }
  // The right PIN keeps its try counted: resetting here would hand guesses racing it a fresh five.
  if (!held.wishId) return fail('WISH.WRONG_STATE', '这张心愿卡还没有登记心愿');
  const holder: Actor = { id: cardHolderId(card._id), role: 'resident', orgId: null };
  const s = await runStage(
    'wishCards',
    { comment: e.comment },
    held.wishId,
    { type: 'feedback', satisfaction: e.satisfaction, comment: e.comment },
    { ...caller, actor: holder, user: null, org: null },
  );
  if ('ok' in s && s.ok === false) return s as Failure;
  return progress({ ...held, failures: 0 });
}

/**
 * 重新生成查询码: the organiser of a wish with a card (or receipt) gives it a new PIN, e.g. when someone who saw the
 * card number locked it with wrong guesses, or the stub is lost. The same card number (the printed QR code keeps
 * working), a new PIN shown once (like printing), the wrong-PIN count and any lock cleared; the old PIN stops
 * working. One conditional update on the hash read (of two at once one wins, the other is `WISH.CONFLICT`). Audited
 * (`reissuePin`).
 */
async function reissue(wishId: string, kind: CodeKind, actor: Actor, now: Date): Promise<Receipt | Failure> {
  const wish = await getWish(wishId);
  if (!wish || !inScope(actor, wish.orgId) || wish.purgedAt) return fail('WISH.NOT_FOUND');
  const card = wish.cardNo ? await getCard(wish.cardNo) : null;
  if (!card || card.wishId !== wishId) return fail('CARD.NOT_FOUND', '这个心愿还没有心愿卡或回执');
  const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16).toString('hex');
  // The audit entry is stored with the new PIN (the card's pendingEffects, one conditional update) and delivered after.
  if (card.pendingEffects?.length) await dispatch(card._id, card.pendingEffects, IN_CARD); // left by an interrupted call
  const audit = auditEffect(`${card._id}-reissuePin-${card.pinHash}`, actor, {
    at: now.toISOString(),
    action: 'reissuePin',
    target: { kind: 'wish', id: wishId },
    orgId: wish.orgId,
    before: { locked: Boolean(card.lockedUntil && card.lockedUntil > now.toISOString()), failures: card.failures },
    after: { cardNo: card._id },
  });
  if (!(await repinCard(card._id, card.pinHash, { salt, pinHash: hashPin(salt, pin) }, audit))) return fail('WISH.CONFLICT');
  await dispatch(card._id, [audit], IN_CARD);
  const code = await cardCode(card._id, kind, actor, now);
  if (!code) return fail('CARD.CODE_FAILED');
  const org = await freshOrg(wish.orgId);
  return {
    orgName: org?.name ?? '',
    wishId,
    channel: CHANNEL_LABEL[wish.channel],
    receivedOn: chinaDate(new Date(wish.createdAt)),
    cardNo: card._id,
    pin,
    ...code,
  };
}

export async function wishCards(e: WishCardsInput, caller: Caller): Promise<unknown> {
  const { actor, org, now } = caller;
  const organiser = actor.role === 'organiser' && actor.orgId && org;
  if (e.mode === 'issue')
    return organiser ? issue(e.count, e.code ?? 'qr', actor, org, now) : fail('AUTH.FORBIDDEN', '只有社区工作人员可以印制心愿卡');
  if (e.mode === 'link') return organiser ? link(e.cardNo, e, actor, now) : fail('AUTH.FORBIDDEN', '只有社区工作人员可以登记心愿卡');
  if (e.mode === 'unlinked') return organiser ? unlinked(actor) : fail('AUTH.FORBIDDEN', '只有社区工作人员可以查看');
  if (e.mode === 'receipt')
    return organiser ? receipt(e.wishId, e.requestId, e.code ?? 'qr', actor, now) : fail('AUTH.FORBIDDEN', '只有社区工作人员可以开回执');
  if (e.mode === 'reissue')
    return organiser ? reissue(e.wishId, e.code ?? 'qr', actor, now) : fail('AUTH.FORBIDDEN', '只有社区工作人员可以重新生成查询码');
  if (e.mode === 'progress') {
    const card = await getCard(e.cardNo);
    return card ? progress(card) : fail('CARD.NOT_FOUND');
  }
  return feedback(e, caller);
}

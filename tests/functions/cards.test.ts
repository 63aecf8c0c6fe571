/**
 * Paper wish cards (issue 11): `wishCards` issues numbered cards with a PIN and a QR code (decoded here with jsQR:
 * it leads to the H5 progress page of that card), links a returned card to the wish it became, shows the progress by
 * card with no personal data, and takes feedback with the PIN; wrong PINs are refused and, after five, the card is
 * locked even for the right one.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { CARD_ALPHABET, MAX_PIN_FAILURES, normaliseCardNo } from '../../src/core/cards';
import { acceptNotice, inDays, ok, refused, startCloud, wishInput } from './harness';

process.env.ORG_CACHE_MS = '0'; // the organisation’s cardReturnTo is changed and read back at once

let env: Awaited<ReturnType<typeof startCloud>>;
jest.setTimeout(60_000);
const ORG = 'demo-organiser';

beforeAll(async () => {
  env = await startCloud();
}, 60_000);
beforeEach(() => env.resetRateLimits());
afterAll(() => env.stop());

function decodeQr(dataUrl: string): string | null {
  const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

const issue = async (count: number) => ok(await env.call('wishCards', { mode: 'issue', count }, ORG));

test('issued cards: unguessable numbers, a PIN each (stored only hashed), a readable QR code to the card’s page', async () => {
  const sheet = await issue(6);
  expect(sheet.orgName).toBe('幸福里社区');
  expect(sheet.cards).toHaveLength(6);
  const numbers = sheet.cards.map((c: { cardNo: string }) => c.cardNo);
  expect(new Set(numbers).size).toBe(6);
  const re = new RegExp(`^[${CARD_ALPHABET}]{4}-[${CARD_ALPHABET}]{4}-[${CARD_ALPHABET}]{4}$`);
  for (const c of sheet.cards) {
    expect(c.cardNo).toMatch(re);
    expect(c.pin).toMatch(/^\d{6}$/);
    expect(c.url).toMatch(new RegExp(`/#/card/index\\?no=${c.cardNo}$`));
    expect(decodeQr(c.qr)).toBe(c.url);
    const stored = (await env.db.collection('cards').doc(c.cardNo).get()).data[0];
    expect(stored).toMatchObject({ orgId: 'demo-community', wishId: null });
    expect(JSON.stringify(stored)).not.toContain(c.pin);
  }
  // Typed as people type it: lower case, spaces, O for 0.
  const n = numbers[0] as string;
  expect(normaliseCardNo(` ${n.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o')} `)).toBe(n);
  for (const who of ['demo-member', 'demo-resident'])
    refused(await env.call('wishCards', { mode: 'issue', count: 2 }, who), 403, 'AUTH.FORBIDDEN');
  refused(await env.call('wishCards', { mode: 'issue', count: 41 }, ORG), 400, 'INPUT.INVALID');
});

test('a returned card becomes a wish; its QR page shows stages, who took it on and the promised date — nothing personal', async () => {
  const [card, other] = (await issue(2)).cards as Array<{ cardNo: string; pin: string }>;
  const secret = {
    ...wishInput,
    title: '王秀英想修好家里的灯',
    contactName: '王秀英',
    contactPhone: '13800001111',
    address: '幸福里小区 3 栋 201',
  };
  const wishId = ok(await env.call('collect', { ...secret, channel: 'card' }, ORG))._id as string;
  expect(ok(await env.call('wishCards', { mode: 'progress', cardNo: card!.cardNo }, 'demo-resident'))).toMatchObject({
    linked: false,
    orgName: '幸福里社区',
  });
  ok(await env.call('wishCards', { mode: 'link', cardNo: card!.cardNo, wishId }, ORG));
  // A card links one wish, a wish one card; 刘芳 of 安康社区 cannot link 幸福里's cards.
  refused(await env.call('wishCards', { mode: 'link', cardNo: other!.cardNo, wishId }, ORG), 409, 'CARD.IN_USE');
  refused(await env.call('wishCards', { mode: 'link', cardNo: other!.cardNo, wishId }, 'demo-organiser-2'), 404, 'CARD.NOT_FOUND');
  refused(await env.call('wishCards', { mode: 'link', cardNo: other!.cardNo, wishId }, 'demo-member'), 403, 'AUTH.FORBIDDEN');

  ok(await env.call('register', { wishId, category: '生活帮扶', track: 'individual', summary: '居民家里的灯需要维修' }, ORG));
  ok(await env.call('publish', { wishId }, ORG));
  ok(await env.call('claim', { wishId, promisedBy: inDays(4) }, 'demo-member'));
  // The resident's daughter scans the card (any signed-in user, e.g. a stranger who found it).
  const p = ok(await env.call('wishCards', { mode: 'progress', cardNo: card!.cardNo.toLowerCase() }, 'demo-member-3'));
  expect(p).toMatchObject({
    linked: true,
    status: 'claimed',
    claimedBy: '已被幸福里社区党员认领',
    promisedBy: inDays(4),
    canFeedback: false,
  });
  expect(p.stages.map((s: { stage: string }) => s.stage)).toEqual(['收到心愿', '社区已登记', '已发布，等待党员认领', '党员已认领']);
  for (const s of p.stages) expect(s.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const text = JSON.stringify(p);
  for (const personal of ['王秀英', '13800001111', '幸福里小区 3 栋 201', secret.content, '李明', 'demo-member', 'demo-organiser', wishId])
    expect(text).not.toContain(personal);
  refused(await env.call('wishCards', { mode: 'progress', cardNo: 'ZZZZ-ZZZZ-ZZZZ' }, 'demo-resident'), 404, 'CARD.NOT_FOUND');
  refused(await env.call('wishCards', { mode: 'progress', cardNo: card!.cardNo }), 401, 'AUTH.NO_IDENTITY');
});

test('心愿编号 (issue 22): every wish gets a short number at collect, shown to organisers, found by it, used to link a returned card; 代录 from a card takes the card number', async () => {
  const [card, card2, other] = (await issue(3)).cards as Array<{ cardNo: string }>;
  const a = ok(await env.call('collect', { ...wishInput, title: '甲想修灯', channel: 'card' }, ORG));
  const b = ok(await env.call('collect', { ...wishInput, title: '乙想修灯', channel: 'card' }, ORG));
  const re = new RegExp(`^[${CARD_ALPHABET}]{4}-[${CARD_ALPHABET}]{4}$`);
  expect(a.wishNo).toMatch(re);
  expect(b.wishNo).toMatch(re);
  expect(a.wishNo).not.toBe(b.wishNo);
  // Stored on the wish and reserved by its number (the reservation names the wish).
  expect((await env.db.collection('wishes').doc(a._id).get()).data[0].wishNo).toBe(a.wishNo);
  expect((await env.db.collection('wishnos').doc(a.wishNo).get()).data[0]).toMatchObject({ wishId: a._id, orgId: 'demo-community' });
  // A retried collect (same requestId) keeps its number.
  const once = { ...wishInput, title: '丙想修灯', channel: 'card', requestId: 'wishno-retry-1' };
  const c1 = ok(await env.call('collect', once, ORG));
  expect(ok(await env.call('collect', once, ORG)).wishNo).toBe(c1.wishNo);
  // Not shown to members or residents.
  expect(ok(await env.call('wishDetail', { wishId: a._id }, ORG)).wishNo).toBe(a.wishNo);
  // Found by number as people type it (lower case, no dash, O for 0); not outside the organiser's scope.
  const typed = a.wishNo.toLowerCase().replace('-', ' ').replace(/0/g, 'o');
  const found = ok(await env.call('orgWishes', { wishNo: typed }, ORG));
  expect(found.items.map((w: { _id: string }) => w._id)).toEqual([a._id]);
  expect(ok(await env.call('orgWishes', { wishNo: a.wishNo }, 'demo-organiser-2')).items).toEqual([]);
  refused(await env.call('orgWishes', { wishNo: '标题' }, ORG), 400, 'INPUT.INVALID');
  // The pick list: card-channel wishes without a card.
  const list = ok(await env.call('wishCards', { mode: 'unlinked' }, ORG));
  expect(list.items.map((w: { wishId: string }) => w.wishId)).toEqual(expect.arrayContaining([a._id, b._id]));
  expect(list.items.find((w: { wishId: string }) => w.wishId === a._id)).toMatchObject({ wishNo: a.wishNo, title: '甲想修灯' });
  refused(await env.call('wishCards', { mode: 'unlinked' }, 'demo-member'), 403, 'AUTH.FORBIDDEN');
  // Linking by number; a wrong number is refused and nothing changes.
  refused(await env.call('wishCards', { mode: 'link', cardNo: card!.cardNo, wishNo: 'ZZZZ-ZZZZ' }, ORG), 404, 'WISH.NOT_FOUND');
  refused(await env.call('wishCards', { mode: 'link', cardNo: card!.cardNo }, ORG), 400, 'INPUT.INVALID');
  expect((await env.db.collection('cards').doc(card!.cardNo).get()).data[0].wishId).toBeNull();
  expect(ok(await env.call('wishCards', { mode: 'link', cardNo: card!.cardNo, wishNo: typed }, ORG))).toMatchObject({
    wishId: a._id,
    wishNo: a.wishNo,
  });
  const after = ok(await env.call('wishCards', { mode: 'unlinked' }, ORG));
  expect(after.items.map((w: { wishId: string }) => w.wishId)).not.toContain(a._id);
  // 代录 from a returned card: the card number at collect links it.
  const d = ok(await env.call('collect', { ...wishInput, title: '丁想修灯', channel: 'card', cardNo: card2!.cardNo.toLowerCase() }, ORG));
  expect(d.cardNo).toBe(card2!.cardNo);
  expect((await env.db.collection('cards').doc(card2!.cardNo).get()).data[0].wishId).toBe(d._id);
  refused(await env.call('collect', { ...wishInput, title: '戊', channel: 'card', cardNo: card2!.cardNo }, ORG), 409, 'CARD.IN_USE');
  refused(await env.call('collect', { ...wishInput, title: '戊', channel: 'hotline', cardNo: other!.cardNo }, ORG), 400, 'INPUT.INVALID');
  refused(
    await env.call('collect', { ...wishInput, title: '戊', channel: 'card', cardNo: other!.cardNo }, 'demo-organiser-2'),
    404,
    'CARD.NOT_FOUND',
  );
  expect((await env.db.collection('cards').doc(other!.cardNo).get()).data[0].wishId).toBeNull();
});

test('feedback by PIN: a wrong PIN refused, five lock the card (the right PIN too); the right PIN gives the feedback', async () => {
  const [a, b] = (await issue(2)).cards as Array<{ cardNo: string; pin: string }>;
  async function fulfilledWish(card: { cardNo: string }, title: string) {
    const wishId = ok(await env.call('collect', { ...wishInput, title, channel: 'card' }, ORG))._id as string;
    ok(await env.call('wishCards', { mode: 'link', cardNo: card.cardNo, wishId }, ORG));
    ok(await env.call('register', { wishId, category: '生活帮扶', track: 'individual', summary: '居民需要帮忙' }, ORG));
    ok(await env.call('publish', { wishId }, ORG));
    ok(await env.call('claim', { wishId, promisedBy: inDays(3) }, 'demo-member-2'));
    ok(await env.call('fulfil', { wishId, note: '已经办好了' }, 'demo-member-2'));
    return wishId;
  }
  const wa = await fulfilledWish(a!, '想请人帮忙换个水龙头');
  const wb = await fulfilledWish(b!, '想请人帮忙修门锁');
  const wrong = (pin: string) => (pin === '000000' ? '000001' : '000000');
  const status = async (id: string) => (await env.db.collection('wishes').doc(id).get()).data[0].status;

  for (let i = 1; i < MAX_PIN_FAILURES; i++) {
    const r = await env.call(
      'wishCards',
      { mode: 'feedback', cardNo: a!.cardNo, pin: wrong(a!.pin), satisfaction: 'satisfied' },
      'demo-resident',
    );
    refused(r, 403, 'CARD.PIN_WRONG');
    expect(r.body).toMatchObject({ message: expect.stringContaining(`还可以试 ${MAX_PIN_FAILURES - i} 次`) });
  }
  refused(
    await env.call('wishCards', { mode: 'feedback', cardNo: a!.cardNo, pin: wrong(a!.pin), satisfaction: 'satisfied' }, 'demo-resident'),
    429,
    'CARD.LOCKED',
  );
  refused(
    await env.call('wishCards', { mode: 'feedback', cardNo: a!.cardNo, pin: a!.pin, satisfaction: 'satisfied' }, 'demo-resident'),
    429,
    'CARD.LOCKED',
  );
  expect(await status(wa)).toBe('fulfilled');
  // Another person guessing from another account meets the same lock: it is the card's, not the caller's.
  refused(
    await env.call('wishCards', { mode: 'feedback', cardNo: a!.cardNo, pin: a!.pin, satisfaction: 'satisfied' }, 'demo-member-3'),
    429,
    'CARD.LOCKED',
  );

  // Card b: one wrong, then the right PIN: feedback recorded as the card holder's, the wish reviewed, close-out possible.
  refused(
    await env.call('wishCards', { mode: 'feedback', cardNo: b!.cardNo, pin: wrong(b!.pin), satisfaction: 'satisfied' }, 'demo-resident'),
    403,
    'CARD.PIN_WRONG',
  );
  expect(ok(await env.call('wishCards', { mode: 'progress', cardNo: b!.cardNo }, 'demo-resident')).canFeedback).toBe(true);
  const done = ok(
    await env.call(
      'wishCards',
      { mode: 'feedback', cardNo: b!.cardNo, pin: b!.pin, satisfaction: 'satisfied', comment: '谢谢党员' },
      'demo-resident',
    ),
  );
  expect(done).toMatchObject({ linked: true, status: 'reviewed', canFeedback: false });
  expect(done.stages.map((s: { stage: string }) => s.stage)).toContain('已反馈');
  const stored = (await env.db.collection('wishes').doc(wb).get()).data[0];
  expect(stored.feedback).toMatchObject({ satisfaction: 'satisfied', comment: '谢谢党员', callback: false });
  expect(stored.timeline.at(-1)).toMatchObject({ action: 'feedback', actorRole: 'resident', actorId: `card:${b!.cardNo}` });
  ok(await env.call('closeOut', { wishId: wb }, ORG));
  // Feedback twice is refused by the lifecycle.
  refused(
    await env.call('wishCards', { mode: 'feedback', cardNo: b!.cardNo, pin: b!.pin, satisfaction: 'satisfied' }, 'demo-resident'),
    409,
    'WISH.WRONG_STATE',
  );
});

/** A call as an anonymous CloudBase login (the card page in a phone's browser): a fresh one costs an attacker nothing. */
async function asAnonymous(fn: string, event: object, uuid: string) {
  const res = await fetch(`${env.cloud.url}/api/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tcb-uuid': uuid },
    body: JSON.stringify(event),
  });
  return { status: res.status, body: (await res.json()) as { code: string; message?: string; data?: any } };
}

test('simultaneous guesses: each reserves a try before its PIN is compared, so 50 at once compare at most 5; the lock holds for the right PIN until it ends or the organiser re-issues the PIN', async () => {
  const [card, spare] = (await issue(2)).cards as Array<{ cardNo: string; pin: string }>;
  const fulfilled = async (c: { cardNo: string }, title: string) => {
    const wishId = ok(await env.call('collect', { ...wishInput, title, channel: 'card' }, ORG))._id as string;
    ok(await env.call('wishCards', { mode: 'link', cardNo: c.cardNo, wishId }, ORG));
    ok(await env.call('register', { wishId, category: '生活帮扶', track: 'individual', summary: '居民需要帮忙' }, ORG));
    ok(await env.call('publish', { wishId }, ORG));
    ok(await env.call('claim', { wishId, promisedBy: inDays(3) }, 'demo-member-2'));
    ok(await env.call('fulfil', { wishId, note: '已经办好了' }, 'demo-member-2'));
    return wishId;
  };
  const wishId = await fulfilled(card!, '想请人帮忙修一下窗户');
  const wish = async () => (await env.db.collection('wishes').doc(wishId).get()).data[0];
  const stored = async (no: string) => (await env.db.collection('cards').doc(no).get()).data[0];
  const spareWish = await fulfilled(spare!, '想请人帮忙修一下水管');
  // Every wrong PIN differs from the right one and from each other.
  const wrongs = Array.from({ length: 50 }, (_, i) => String((Number(card!.pin) + 1 + i) % 1_000_000).padStart(6, '0'));
  const guess = (c: { cardNo: string }, pin: string, who: string) =>
    asAnonymous('wishCards', { mode: 'feedback', cardNo: c.cardNo, pin, satisfaction: 'unsatisfied', comment: '攻击者' }, who);
  const codes = (await Promise.all(wrongs.map((pin, i) => guess(card!, pin, `guess-${i}`)))).map((a) => a.body.code);
  // Five tries used, no more: four told "wrong", the fifth wrong one locks, the 45 others refused uncompared.
  expect(codes.filter((c) => c === 'CARD.PIN_WRONG')).toHaveLength(MAX_PIN_FAILURES - 1);
  expect(codes.filter((c) => c === 'CARD.LOCKED')).toHaveLength(50 - (MAX_PIN_FAILURES - 1));
  // The count is not reset when the card locks (that reset gave the next guesses five more tries).
  const locked = await stored(card!.cardNo);
  expect(locked.failures).toBe(MAX_PIN_FAILURES);
  expect(locked.lockedUntil > new Date().toISOString()).toBe(true);
  expect((await guess(card!, card!.pin, 'holder')).body.code).toBe('CARD.LOCKED');

  // A card whose five tries are used but whose lock is not written yet (the moment between the fifth wrong guess and
  // its lock): 30 guesses at once, the right PIN among them, and none is compared.
  await env.db.collection('cards').doc(spare!.cardNo).update({ failures: MAX_PIN_FAILURES, lockedUntil: null });
  const burst = await Promise.all([
    ...wrongs
      .slice(0, 29)
      .map((pin, i) => guess(spare!, pin === spare!.pin ? String((Number(pin) + 100) % 1_000_000).padStart(6, '0') : pin, `burst-${i}`)),
    guess(spare!, spare!.pin, 'burst-right'),
  ]);
  expect(burst.map((a) => a.body.code)).toEqual(Array(30).fill('CARD.LOCKED'));
  expect((await env.db.collection('wishes').doc(spareWish).get()).data[0].status).toBe('fulfilled');
  expect((await stored(spare!.cardNo)).lockedUntil > new Date().toISOString()).toBe(true);

  // The right PIN stays refused, from any identity, and the wish is untouched.
  refused(
    await env.call('wishCards', { mode: 'feedback', cardNo: card!.cardNo, pin: card!.pin, satisfaction: 'satisfied' }, 'demo-resident'),
    429,
    'CARD.LOCKED',
  );
  expect((await wish()).status).toBe('fulfilled');
  expect((await wish()).feedback ?? null).toBeNull();

  // The family need not wait: the organiser re-issues the PIN (only the wish's organisers; audited).
  refused(await env.call('wishCards', { mode: 'reissue', wishId }, 'demo-member'), 403, 'AUTH.FORBIDDEN');
  expect((await asAnonymous('wishCards', { mode: 'reissue', wishId }, 'guess-0')).body.code).toBe('AUTH.NO_IDENTITY');
  refused(await env.call('wishCards', { mode: 'reissue', wishId }, 'demo-organiser-2'), 404, 'WISH.NOT_FOUND');
  const fresh = ok(await env.call('wishCards', { mode: 'reissue', wishId }, ORG));
  expect(fresh).toMatchObject({ cardNo: card!.cardNo, wishId, orgName: '幸福里社区' });
  expect(fresh.pin).toMatch(/^\d{6}$/);
  expect(fresh.url).toMatch(new RegExp(`/#/card/index\\?no=${card!.cardNo}$`));
  expect(decodeQr(fresh.qr)).toBe(fresh.url);
  expect(await stored(card!.cardNo)).toMatchObject({ failures: 0, lockedUntil: null });
  expect(JSON.stringify(await stored(card!.cardNo))).not.toContain(`"${fresh.pin}"`);
  const audit = (await env.db.collection('audit').where({ action: 'reissuePin' }).get()).data;
  expect(audit).toEqual([expect.objectContaining({ actorId: ORG, target: { kind: 'wish', id: wishId } })]);
  if (fresh.pin !== card!.pin)
    refused(
      await env.call('wishCards', { mode: 'feedback', cardNo: card!.cardNo, pin: card!.pin, satisfaction: 'satisfied' }, 'demo-resident'),
      403,
      'CARD.PIN_WRONG',
    );
  const done = ok(
    await env.call('wishCards', { mode: 'feedback', cardNo: card!.cardNo, pin: fresh.pin, satisfaction: 'satisfied' }, 'demo-resident'),
  );
  expect(done).toMatchObject({ status: 'reviewed' });
  expect((await wish()).feedback).toMatchObject({ satisfaction: 'satisfied' });
  expect((await wish()).feedback.comment ?? '').not.toContain('攻击者');

  // A lock that has run out: the count starts again and the right PIN works.
  await env.db
    .collection('cards')
    .doc(spare!.cardNo)
    .update({ lockedUntil: new Date(Date.now() - 1000).toISOString() });
  ok(await env.call('wishCards', { mode: 'feedback', cardNo: spare!.cardNo, pin: spare!.pin, satisfaction: 'satisfied' }, 'demo-resident'));
  expect((await env.db.collection('wishes').doc(spareWish).get()).data[0].status).toBe('reviewed');
  expect(await stored(spare!.cardNo)).toMatchObject({ failures: 1, lockedUntil: null });
});

test('a receipt (回执) for a hotline wish: a card number and PIN linked to it, a readable QR code; role, scope, one card per wish, retries', async () => {
  const cardsOf = async (wishId: string) => (await env.db.collection('cards').where({ wishId }).get()).data;
  const hotline = ok(await env.call('collect', { ...wishInput, title: '电话里说想请人修修门', channel: 'hotline' }, ORG))._id as string;
  // Refused, nothing written: residents and members, an organiser of another community, a card or app wish.
  for (const who of ['demo-member', 'demo-resident'])
    refused(await env.call('wishCards', { mode: 'receipt', wishId: hotline }, who), 403, 'AUTH.FORBIDDEN');
  refused(await env.call('wishCards', { mode: 'receipt', wishId: hotline }, 'demo-organiser-2'), 404, 'WISH.NOT_FOUND');
  refused(await env.call('wishCards', { mode: 'receipt', wishId: 'no-such-wish' }, ORG), 404, 'WISH.NOT_FOUND');
  refused(await env.call('wishCards', { mode: 'receipt', wishId: { $ne: null } }, ORG), 400, 'INPUT.INVALID');
  const onCard = ok(await env.call('collect', { ...wishInput, title: '心愿卡上写的心愿', channel: 'card' }, ORG))._id as string;
  refused(await env.call('wishCards', { mode: 'receipt', wishId: onCard }, ORG), 409, 'WISH.WRONG_STATE');
  await acceptNotice(env, 'demo-resident');
  const inApp = ok(await env.call('collect', { ...wishInput, title: '我在小程序里许的愿' }, 'demo-resident'))._id as string;
  refused(await env.call('wishCards', { mode: 'receipt', wishId: inApp }, ORG), 409, 'WISH.WRONG_STATE');
  expect(await cardsOf(inApp)).toHaveLength(0);
  expect(await cardsOf(hotline)).toHaveLength(0);
  expect((await env.db.collection('wishes').doc(hotline).get()).data[0].cardNo).toBeUndefined();

  const r = ok(await env.call('wishCards', { mode: 'receipt', wishId: hotline, requestId: 'receipt-1' }, ORG));
  expect(r).toMatchObject({ orgName: '幸福里社区', wishId: hotline, channel: '心愿热线' });
  expect(r.receivedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(r.pin).toMatch(/^\d{6}$/);
  expect(r.url).toMatch(new RegExp(`/#/card/index\\?no=${r.cardNo}$`));
  expect(decodeQr(r.qr)).toBe(r.url);
  const stored = (await env.db.collection('wishes').doc(hotline).get()).data[0];
  expect(stored.cardNo).toBe(r.cardNo);
  expect(await cardsOf(hotline)).toEqual([expect.objectContaining({ _id: r.cardNo, orgId: 'demo-community', wishId: hotline })]);
  expect(JSON.stringify(await cardsOf(hotline))).not.toContain(r.pin);
  // The organiser's view of the wish shows its number; the QR page shows the progress.
  expect(ok(await env.call('wishDetail', { wishId: hotline }, ORG)).cardNo).toBe(r.cardNo);
  expect(ok(await env.call('wishCards', { mode: 'progress', cardNo: r.cardNo }, 'demo-member-3'))).toMatchObject({
    linked: true,
    status: 'collected',
  });

  // A second receipt, or a card linked to it: refused. The same request again: the same number with a new PIN.
  refused(await env.call('wishCards', { mode: 'receipt', wishId: hotline }, ORG), 409, 'CARD.IN_USE');
  refused(await env.call('wishCards', { mode: 'receipt', wishId: hotline, requestId: 'receipt-2' }, ORG), 409, 'CARD.IN_USE');
  const [spare] = (await issue(1)).cards as Array<{ cardNo: string }>;
  refused(await env.call('wishCards', { mode: 'link', cardNo: spare!.cardNo, wishId: hotline }, ORG), 409, 'CARD.IN_USE');
  const again = ok(await env.call('wishCards', { mode: 'receipt', wishId: hotline, requestId: 'receipt-1' }, ORG));
  expect(again.cardNo).toBe(r.cardNo);
  expect(await cardsOf(hotline)).toHaveLength(1);
  if (again.pin !== r.pin) {
    // The first answer's PIN no longer works; the new one is accepted (the wish is not done yet: the lifecycle refuses).
    refused(
      await env.call('wishCards', { mode: 'feedback', cardNo: r.cardNo, pin: r.pin, satisfaction: 'satisfied' }, 'demo-resident'),
      403,
      'CARD.PIN_WRONG',
    );
  }
  refused(
    await env.call('wishCards', { mode: 'feedback', cardNo: r.cardNo, pin: again.pin, satisfaction: 'satisfied' }, 'demo-resident'),
    409,
    'WISH.WRONG_STATE',
  );

  // Five receipts for one visit wish at the same instant: one card.
  const visit = ok(await env.call('collect', { ...wishInput, title: '走访时老人说想要个助行器', channel: 'visit' }, ORG))._id as string;
  const all = await Promise.all(
    [1, 2, 3, 4, 5].map((i) => env.call('wishCards', { mode: 'receipt', wishId: visit, requestId: `race-${i}` }, ORG)),
  );
  const won = all.filter((x) => x.status === 200);
  expect(won).toHaveLength(1);
  for (const x of all.filter((y) => y.status !== 200)) expect((x.body as { code: string }).code).toMatch(/^(CARD\.IN_USE|WISH\.CONFLICT)$/);
  expect(await cardsOf(visit)).toEqual([expect.objectContaining({ _id: won[0]!.data.cardNo })]);
  expect((await env.db.collection('wishes').doc(visit).get()).data[0].cardNo).toBe(won[0]!.data.cardNo);
  // The audit names the wish and the card.
  const entries = (await env.db.collection('audit').where({ action: 'issueReceipt' }).get()).data;
  expect(entries.map((e: { target: { id: string } }) => e.target.id).sort()).toEqual([hotline, visit].sort());
});

test('in the mini-program (code: wxacode) a card’s code comes from wxacode.getUnlimited: stored, answered as a temporary URL; locally a QR code of the H5 page with the scene', async () => {
  const sheet = ok(await env.call('wishCards', { mode: 'issue', count: 2, code: 'wxacode' }, ORG));
  for (const c of sheet.cards as Array<{ cardNo: string; qr: string; codeKind: string }>) {
    expect(c.codeKind).toBe('wxacode');
    expect(c.qr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const png = Buffer.from(await (await fetch(c.qr)).arrayBuffer());
    const url = decodeQr(`data:image/png;base64,${png.toString('base64')}`);
    expect(url).toBe(`${env.cloud.url}/#/card/index?scene=${c.cardNo}`);
    // The H5 card page reads the scene as the mini-program does: it is the same card.
    expect(normaliseCardNo(decodeURIComponent(new URL(url!.replace('/#/', '/')).searchParams.get('scene')!))).toBe(c.cardNo);
  }
  // Each stored image is recorded for the purge (deleted after a day, like a ledger file).
  const files = (await env.db.collection('files').where({ purpose: 'cardCode' }).get()).data;
  expect(files).toHaveLength(2);
  for (const f of files)
    expect(f).toMatchObject({ owner: ORG, state: 'issued', path: expect.stringMatching(/^cardcodes\/\d{8}\/[0-9a-f]{32}\.png$/) });
  refused(await env.call('wishCards', { mode: 'issue', count: 1, code: 'svg' }, ORG), 400, 'INPUT.INVALID');
  // A receipt in the mini-program too.
  const wishId = ok(await env.call('collect', { ...wishInput, title: '走访时记下的心愿', channel: 'visit' }, ORG))._id as string;
  const r = ok(await env.call('wishCards', { mode: 'receipt', wishId, code: 'wxacode' }, ORG));
  const png = Buffer.from(await (await fetch(r.qr)).arrayBuffer());
  expect(decodeQr(`data:image/png;base64,${png.toString('base64')}`)).toBe(`${env.cloud.url}/#/card/index?scene=${r.cardNo}`);
  expect(r.codeKind).toBe('wxacode');
});

test('where WeChat gives no mini-program code, the card and the receipt carry the web page’s QR code and say so', async () => {
  // WeChat refuses an env_version other than release, trial or develop (40097 invalid args): a second local cloud
  // whose functions ask for one, as a misconfigured WX_ENV_VERSION would.
  const other = await startCloud({ functionEnv: () => ({ WX_ENV_VERSION: 'beta', CARD_BASE_URL: 'https://wish.example.cn' }) });
  try {
    const sheet = ok(await other.call('wishCards', { mode: 'issue', count: 1, code: 'wxacode' }, ORG));
    const card = (sheet.cards as Array<{ cardNo: string; qr: string; url: string; codeKind: string }>)[0]!;
    expect(card).toMatchObject({ codeKind: 'qr', url: `https://wish.example.cn/#/card/index?no=${card.cardNo}` });
    expect(decodeQr(card.qr)).toBe(card.url);
    // WeChat was asked, and refused: no code was stored.
    expect(other.cloud.wxCalls().some((c) => c.apiName === 'wxacode.getUnlimited')).toBe(true);
    expect((await other.db.collection('files').where({ purpose: 'cardCode' }).get()).data).toEqual([]);
    const wishId = ok(await other.call('collect', { ...wishInput, title: '电话里说的心愿', channel: 'hotline' }, ORG))._id as string;
    const r = ok(await other.call('wishCards', { mode: 'receipt', wishId, code: 'wxacode' }, ORG));
    expect(r).toMatchObject({ codeKind: 'qr', url: `https://wish.example.cn/#/card/index?no=${r.cardNo}` });
    expect(decodeQr(r.qr)).toBe(r.url);
  } finally {
    await other.stop();
  }
}, 120_000);

test('the sheet says where a filled-in card goes back: the organisation’s cardReturnTo, else its name', async () => {
  expect((await issue(1)).returnTo).toBe('幸福里社区');
  await env.db.collection('orgs').doc('demo-community').update({ cardReturnTo: '幸福里社区居委会（3 号楼 1 层）' });
  try {
    expect((await issue(1)).returnTo).toBe('幸福里社区居委会（3 号楼 1 层）');
  } finally {
    await env.db.collection('orgs').doc('demo-community').update({ cardReturnTo: '' });
  }
});

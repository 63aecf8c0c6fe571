import {
  BOARD_FIELDS,
  HOUSE_NUMBER_MASK,
  MASKED_ADDRESS,
  boardItem,
  canSeeClaimer,
  canView,
  maskPersonal,
  neutralTitle,
  publicResult,
  suggestPublicTitle,
  suggestSummary,
  transition,
  viewWish,
  type Actor,
} from '../../src/core';
import { needsRow, projectRow } from '../../src/core/ledger';
import { NOW, member, member2, organiser, outsiderOrganiser, resident, wishIn } from './fixtures';

const PRIVATE = ['contact', 'content', 'residentId', 'enteredBy'];

describe('public words (issue 22): the resident’s title and content only to those who see the contact', () => {
  const words = { title: '王秀英想请人陪聊天', content: '老伴走了，我有糖尿病' };
  test('the board item’s title is the confirmed public title, else a neutral one from the category', () => {
    const confirmed = boardItem({ ...wishIn('published'), ...words, publicTitle: '独居老人希望有人陪聊' });
    expect(confirmed.title).toBe('独居老人希望有人陪聊');
    const old = boardItem({ ...wishIn('published'), ...words, publicTitle: undefined, category: '精神慰藉' });
    expect(old.title).toBe('【精神慰藉】一位居民需要帮助');
    for (const item of [confirmed, old]) for (const t of Object.values(words)) expect(JSON.stringify(item)).not.toContain(t);
  });

  test.each([
    ['the resident who posted it', resident, true],
    ['an organiser of its organisation', organiser, true],
    ['the active claimer', member, true],
    ['another member', member2, false],
  ])('%s on a claimed wish reads the resident’s title: %s', (_who, viewer, own) => {
    const view = viewWish({ ...wishIn('claimed'), ...words, publicTitle: '独居老人希望有人陪聊' }, viewer as Actor, NOW);
    expect(view.title).toBe(own ? words.title : '独居老人希望有人陪聊');
    expect(view.publicTitle).toBe('独居老人希望有人陪聊');
    if (!own) expect(JSON.stringify(view)).not.toMatch(/王秀英|糖尿病|陪聊天/);
  });

  test('a member before claiming reads no resident words on a wish stored without a public title', () => {
    const view = viewWish({ ...wishIn('published'), ...words, publicTitle: undefined, category: '生活帮扶' }, member, NOW);
    expect(view.title).toBe(neutralTitle('生活帮扶'));
    expect(view.publicTitle).toBe('');
    expect(JSON.stringify(view)).not.toMatch(/王秀英|糖尿病|陪聊天/);
  });

  test('the suggestions are made from the category, never from the resident’s words', () => {
    const w = { ...wishIn('collected'), ...words, category: '精神慰藉' };
    expect(suggestPublicTitle(w)).toBe('【精神慰藉】一位居民需要帮助');
    expect(suggestSummary(w)).toBe('一位居民需要“精神慰藉”方面的帮助。');
    expect(suggestSummary({ category: null })).toBe('一位居民需要帮助。');
    for (const s of [suggestPublicTitle(w), suggestSummary(w)]) expect(s).not.toMatch(/王秀英|陪聊|糖尿病/);
  });
});

describe('who sees personal data', () => {
  test('the board item carries public fields only', () => {
    const item = boardItem(wishIn('published'));
    expect(Object.keys(item).sort()).toEqual([...BOARD_FIELDS, 'name'].sort());
    expect(item.name).toBe('王某'); // surname + 某, never the full name
    for (const f of PRIVATE) expect(item).not.toHaveProperty(f);
    expect(JSON.stringify(item)).not.toContain('13800001111');
    expect(JSON.stringify(item)).not.toContain('王秀英');
  });

  test.each([
    ['the resident who posted it', resident, true],
    ['an organiser of its organisation', organiser, true],
    ['the active claimer', member, true],
    ['another member', member2, false],
  ])('%s on a claimed wish: contact visible = %s', (_who, viewer, visible) => {
    const view = viewWish(wishIn('claimed'), viewer as Actor, NOW);
    expect(view.private).toBe(visible);
    if (visible) expect(view.contact).toEqual({ name: '王秀英', phone: '13800001111', address: '幸福里小区 3 栋 201' });
    else {
      expect(view).not.toHaveProperty('contact');
      expect(view).not.toHaveProperty('content');
      expect(JSON.stringify(view)).not.toContain('13800001111');
      expect(view.timeline.every((e) => !('actorId' in e))).toBe(true);
    }
    expect(view).not.toHaveProperty('residentId');
  });

  test('a former claimer loses the contact once the claim is released', () => {
    const released = transition(wishIn('claimed'), { type: 'release', reason: '出差' }, member, NOW);
    if (!released.ok) throw new Error(released.message);
    expect(viewWish(released.wish, member, NOW)).not.toHaveProperty('contact');
  });

  test('a claimer of a closed wish no longer sees the contact', () => {
    expect(viewWish(wishIn('closed'), member, NOW).private).toBe(false);
  });

  test('who may open a wish', () => {
    expect(canView(wishIn('collected'), resident)).toBe(true);
    expect(canView(wishIn('collected'), organiser)).toBe(true);
    expect(canView(wishIn('collected'), member)).toBe(false); // not on the board yet
    expect(canView(wishIn('published'), member2)).toBe(true);
    expect(canView(wishIn('published'), outsiderOrganiser)).toBe(false);
    expect(canView(wishIn('published'), { id: 'r9', role: 'resident', orgId: 'org-a' })).toBe(false);
  });
});

describe('issue 19 item 3: personal data typed into free text is masked in every text that leaves the organisation', () => {
  const contact = { name: '欧阳婷慧', phone: '13952130426', address: '幸福里小区3栋201' };
  test.each([
    ['the name and phone as typed into a title', '欧阳婷慧急需轮椅13952130426', '欧某急需轮椅139****0426'],
    ['a mobile with spaces', '请打 139 5213 0426 联系', '请打 139****0426 联系'],
    ['a mobile with dashes and +86', '电话+86-139-5213-0426', '电话139****0426'],
    ['another mobile in the text', '女儿电话18600001111', '女儿电话186****1111'],
    ['a landline with its area code', '家里电话0731-58812345', '家里电话073*****2345'],
    ['a landline in brackets', '（0731）5881234', '073****1234'],
    ['an ID card number', '身份证43030219500101123X', '身份证430***********123X'],
    ['a 15-digit ID number', '老身份证430302500101123', '老身份证430********1123'],
    ['a house number', '住3栋201，腿脚不便', `住${HOUSE_NUMBER_MASK}，腿脚不便`],
    ['a house number with spaces', '3 栋 201 室需要换灯泡', `${HOUSE_NUMBER_MASK}需要换灯泡`],
    ['building, unit and flat', '5号楼2单元301室老人独居', `${HOUSE_NUMBER_MASK}老人独居`],
    ['unit and flat', '2单元502的水管坏了', `${HOUSE_NUMBER_MASK}的水管坏了`],
    ['the wish’s own address', '送到幸福里小区3栋201', `送到${MASKED_ADDRESS}`],
    ['the name anywhere', '给欧阳婷慧的奶奶买药', '给欧某的奶奶买药'],
    ['nothing personal: unchanged', '独居老人需要有人陪同就医', '独居老人需要有人陪同就医'],
    ['a date and a count: unchanged', '2026-12-01前送12本书', '2026-12-01前送12本书'],
    ['already masked: unchanged', '欧某急需轮椅139****0426', '欧某急需轮椅139****0426'],
  ])('%s', (_what, text, masked) => {
    expect(maskPersonal(text, contact)).toBe(masked);
    expect(maskPersonal(maskPersonal(text, contact), contact)).toBe(masked);
  });

  test('the 报上级 needs and projects ledgers mask free text; the organiser’s own copy keeps it', () => {
    const w = {
      ...wishIn('claimed'),
      title: '我是欧阳婷慧，腿脚不便急需轮椅',
      // Personal data typed by an organiser into the public title is masked upwards like any free text.
      publicTitle: '欧阳婷慧急需轮椅13952130426',
      summary: '住3栋201的老人需要轮椅',
      contact,
      track: 'common' as const,
      claim: { kind: 'org' as const, assignee: '物业（联系人13800001111）', promisedBy: '2026-12-01', at: NOW.toISOString() } as never,
    };
    const up = JSON.stringify([needsRow(1, w, '幸福里社区', 'upward'), projectRow(1, w, '幸福里社区', 'upward')]);
    for (const secret of ['欧阳婷慧', '13952130426', '3栋201', '13800001111', '腿脚不便']) expect(up).not.toContain(secret);
    expect(up).toContain('欧某急需轮椅139****0426');
    const own = JSON.stringify(needsRow(1, w, '幸福里社区', 'own'));
    expect(own).toContain('我是欧阳婷慧，腿脚不便急需轮椅'); // the organiser's own copy: the resident's title
  });

  test('the 公开栏 summary masks phones and house numbers', () => {
    expect(
      publicResult({
        summary: '为5号楼2单元301室老人修好了灯，电话13800001111',
        category: '生活帮扶',
        closedAt: NOW.toISOString(),
        purgedAt: null,
      }).summary,
    ).toBe(`为${HOUSE_NUMBER_MASK}老人修好了灯，电话138****1111`);
  });
});

describe('who holds it is always named (issue 22)', () => {
  test('a claimed wish, overdue or not, names its claimer to the organiser, the resident and the claimer; not to other members', () => {
    for (const promisedBy of ['2026-11-30', '2020-01-01']) {
      const w = wishIn('claimed');
      w.claim = { ...w.claim!, promisedBy, member: { name: '李明', orgName: '幸福里社区党支部' } };
      for (const viewer of [organiser, resident, member]) {
        expect(canSeeClaimer(w, viewer)).toBe(true);
        expect(viewWish(w, viewer, NOW).claim?.member).toEqual({ name: '李明', orgName: '幸福里社区党支部' });
      }
      expect(canSeeClaimer(w, member2)).toBe(false);
      expect(viewWish(w, member2, NOW).claim?.member).toBeUndefined();
      expect(needsRow(1, w, '幸福里社区', 'own')).toContain('李明（幸福里社区党支部）');
    }
  });
});

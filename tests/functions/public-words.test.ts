/**
 * Only public words in public places (issue 22 item 2). A resident's title and content reach only her circle (herself,
 * organisers of her organisation, the member whose claim is active). Every answer others read — the board, another
 * member's wishDetail before (and after) the claim, the card page (wishCards progress), 公开栏 (publicResults) and the
 * 报上级 ledgers — is string-searched for her words: it carries only the public title and summary an organiser
 * confirmed at register or publish, or a neutral title made from the category.
 */
import ExcelJS from 'exceljs';
import { chinaDate } from '../../src/core';
import { inDays, ok, refused, startCloud, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
jest.setTimeout(90_000);
const ORG = 'demo-organiser';

beforeAll(async () => {
  env = await startCloud();
}, 60_000);
beforeEach(() => env.resetRateLimits());
afterAll(() => env.stop());

// Distinctive words only the resident wrote: none of them may appear in any public answer.
const resident = {
  ...wishInput,
  title: '钱桂兰家阳台漏水想请人修',
  content: '楼上漏水三个月了，我腿脚不好爬不上梯子，孙子在外地读书',
  contactName: '钱桂兰',
  contactPhone: '13912345678',
  address: '安康小区 9 栋 902',
};
const SECRETS = [resident.title, '阳台漏水', resident.content, '腿脚不好', '孙子在外地', '钱桂兰', '13912345678', '9 栋 902'];
const PUBLIC_TITLE = '一户居民家中需要修缮帮助';
const SUMMARY = '需要懂水电的党员上门看一看';

function expectNoResidentWords(where: string, answer: unknown) {
  const text = typeof answer === 'string' ? answer : JSON.stringify(answer);
  for (const s of SECRETS) expect({ where, leaked: text.includes(s) ? s : null }).toEqual({ where, leaked: null });
}

async function ledgerText(event: object): Promise<string> {
  const file = ok(await env.call('exportLedger', event, ORG));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await (await fetch(file.url)).arrayBuffer()) as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => void out.push(String(c.value ?? ''))));
  return out.join('\n');
}

test('board, another member’s wishDetail, the card page, 公开栏 and the 报上级 ledgers carry no word of the resident', async () => {
  // A returned paper card, entered by the organiser and linked to its card (the card page is public to its holder).
  const [card] = ok(await env.call('wishCards', { mode: 'issue', count: 1 }, ORG)).cards as Array<{ cardNo: string; pin: string }>;
  const wishId = ok(await env.call('collect', { ...resident, channel: 'card' }, ORG))._id as string;
  ok(await env.call('wishCards', { mode: 'link', cardNo: card!.cardNo, wishId }, ORG));

  const registered = ok(
    await env.call('register', { wishId, category: '生活帮扶', track: 'individual', publicTitle: PUBLIC_TITLE, summary: SUMMARY }, ORG),
  );
  // The organiser reads both: the resident's title and the confirmed public one.
  expect(registered).toMatchObject({ title: resident.title, publicTitle: PUBLIC_TITLE, summary: SUMMARY });
  ok(await env.call('publish', { wishId }, ORG));

  const board = ok(await env.call('board', { limit: 20 }, 'demo-member'));
  const item = board.items.find((x: { _id: string }) => x._id === wishId);
  expect(item).toMatchObject({ title: PUBLIC_TITLE, summary: SUMMARY, name: '钱某' });
  expectNoResidentWords('board', board);

  // Members before claiming: the one who will claim, and another.
  for (const m of ['demo-member', 'demo-member-2']) {
    const seen = ok(await env.call('wishDetail', { wishId }, m));
    expect(seen).toMatchObject({ title: PUBLIC_TITLE, publicTitle: PUBLIC_TITLE, summary: SUMMARY, private: false });
    expectNoResidentWords(`wishDetail before claiming (${m})`, seen);
  }
  expectNoResidentWords(
    'card page, published',
    ok(await env.call('wishCards', { mode: 'progress', cardNo: card!.cardNo }, 'demo-member-3')),
  );

  // The claimer now sees the resident's words (to do the work); the other member still does not.
  ok(await env.call('claim', { wishId, promisedBy: inDays(4) }, 'demo-member'));
  expect(ok(await env.call('wishDetail', { wishId }, 'demo-member'))).toMatchObject({ title: resident.title, content: resident.content });
  expectNoResidentWords('wishDetail of another member, claimed', ok(await env.call('wishDetail', { wishId }, 'demo-member-2')));
  expectNoResidentWords('card page, claimed', ok(await env.call('wishCards', { mode: 'progress', cardNo: card!.cardNo }, 'demo-member-3')));

  ok(await env.call('fulfil', { wishId, note: '已换好阳台的防水层' }, 'demo-member'));
  ok(await env.call('feedback', { wishId, satisfaction: 'satisfied' }, ORG));
  ok(await env.call('closeOut', { wishId }, ORG));
  expectNoResidentWords('wishDetail of the former claimer, closed', ok(await env.call('wishDetail', { wishId }, 'demo-member')));
  expectNoResidentWords('card page, closed', ok(await env.call('wishCards', { mode: 'progress', cardNo: card!.cardNo }, 'demo-member-3')));

  const results = ok(await env.call('publicResults', { orgId: 'demo-community' }, undefined));
  expect(results.recent).toContainEqual(expect.objectContaining({ summary: SUMMARY, category: '生活帮扶' }));
  expectNoResidentWords('publicResults', results);

  const month = chinaDate(new Date()).slice(0, 7);
  const upward = await ledgerText({ ledger: 'needs', version: 'upward', from: month, to: month });
  expect(upward).toContain(PUBLIC_TITLE);
  expectNoResidentWords('needs ledger, 报上级', upward);
  // The organiser's own copy keeps the resident's title (the organisers see it anyway).
  expect(await ledgerText({ ledger: 'needs', version: 'own', from: month, to: month })).toContain(resident.title);
});

test('a project wish (assigned, never on the board) goes upward with its public title only', async () => {
  const wishId = ok(await env.call('collect', { ...resident, channel: 'hotline' }, ORG))._id as string;
  ok(
    await env.call(
      'register',
      { wishId, category: '生活帮扶', track: 'common', publicTitle: '楼栋公共设施需要维修', summary: '楼栋防水维修' },
      ORG,
    ),
  );
  ok(await env.call('assign', { wishId, kind: 'org', assignee: '物业服务中心', promisedBy: inDays(10) }, ORG));
  const month = chinaDate(new Date()).slice(0, 7);
  const upward = await ledgerText({ ledger: 'projects', version: 'upward', from: month, to: month });
  expect(upward).toContain('楼栋公共设施需要维修');
  expectNoResidentWords('projects ledger, 报上级', upward);
});

test('no public title confirmed: a neutral title from the category; publish may confirm one; bad input changes nothing', async () => {
  const collect = async () => ok(await env.call('collect', resident, 'demo-resident'))._id as string;
  // Registered without a public title (as every wish stored before it existed): the board shows a neutral one.
  const plain = await collect();
  ok(await env.call('register', { wishId: plain, category: '精神慰藉', track: 'individual', summary: SUMMARY }, ORG));
  ok(await env.call('publish', { wishId: plain }, ORG));
  // Confirmed while publishing.
  const later = await collect();
  ok(await env.call('register', { wishId: later, category: '生活帮扶', track: 'individual' }, ORG));

  // Refused, nothing stored: too long, a batch with a title, only invisible characters (treated as not given).
  const before = (await env.db.collection('wishes').doc(later).get()).data[0];
  refused(await env.call('publish', { wishId: later, summary: SUMMARY, publicTitle: '长'.repeat(41) }, ORG), 400, 'INPUT.INVALID');
  refused(await env.call('publish', { wishIds: [later], publicTitle: PUBLIC_TITLE }, ORG), 400, 'INPUT.INVALID');
  refused(
    await env.call('register', { wishId: plain, category: '生活帮扶', track: 'individual', publicTitle: 42 }, ORG),
    400,
    'INPUT.INVALID',
  );
  expect((await env.db.collection('wishes').doc(later).get()).data[0]).toEqual(before);

  ok(await env.call('publish', { wishId: later, summary: SUMMARY, publicTitle: ` ${PUBLIC_TITLE}\u200b ` }, ORG));
  expect((await env.db.collection('wishes').doc(later).get()).data[0]).toMatchObject({ publicTitle: PUBLIC_TITLE });

  const board = ok(await env.call('board', { limit: 20 }, 'demo-member-2'));
  const titleOf = (id: string) => board.items.find((x: { _id: string }) => x._id === id)?.title;
  expect(titleOf(plain)).toBe('【精神慰藉】一位居民需要帮助');
  expect(titleOf(later)).toBe(PUBLIC_TITLE);
  expectNoResidentWords('board', board);
  const seen = ok(await env.call('wishDetail', { wishId: plain }, 'demo-member-2'));
  expect(seen).toMatchObject({ title: '【精神慰藉】一位居民需要帮助', publicTitle: '' });
  expectNoResidentWords('wishDetail of a wish without a public title', seen);
  // The resident reads her own words.
  expect(ok(await env.call('wishDetail', { wishId: plain }, 'demo-resident'))).toMatchObject({ title: resident.title });
});

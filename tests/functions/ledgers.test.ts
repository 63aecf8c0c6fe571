/**
 * Ledgers out (issue 11): `exportLedger` writes an .xlsx to storage and answers a temporary URL. Each export is
 * downloaded by that URL and opened with exceljs here: the title row, the Chinese headers, the frozen header, column
 * widths, real dates, the rows equal to what the database holds for the organiser's subtree and period, and the
 * 报上级 version masked (no full name, phone, address or the resident's words anywhere in the file).
 * The functions project runs the local cloud in strict-index mode: every query the export makes is served by a
 * declared index, or the call fails.
 */
import ExcelJS from 'exceljs';
import { chinaDate, recount, type Wish } from '../../src/core';
import { NEEDS_COLUMNS, PROGRESS_COLUMNS, PROJECT_COLUMNS, periodRange, progressRow } from '../../src/core/ledger';
import { inDays, ok, refused, startCloud, wishInput } from './harness';

let env: Awaited<ReturnType<typeof startCloud>>;
jest.setTimeout(60_000);

const ORG = 'demo-organiser';
const month = chinaDate(new Date()).slice(0, 7);
const prevMonth = (m: string) => {
  const [y, mm] = m.split('-').map(Number) as [number, number];
  return mm === 1 ? `${y - 1}-12` : `${y}-${String(mm - 1).padStart(2, '0')}`;
};
const lastMonth = prevMonth(month);
const twoAgo = prevMonth(lastMonth);

const hotline = (title: string, extra: object = {}) => ({ ...wishInput, title, channel: 'hotline', ...extra });

let ids: { individual: string; common: string; hard: string; plain: string };

beforeAll(async () => {
  env = await startCloud();
  const collect = async (title: string) => ok(await env.call('collect', hotline(title), ORG))._id as string;
  // 幸福里社区 (the organiser's own) and its grid: a wish for each track, one claimed by a member and fulfilled.
  ids = {
    individual: await collect('想请人陪我聊聊天'),
    common: await collect('楼道灯坏了想修好'),
    hard: await collect('小区积水多年'),
    plain: ok(await env.call('collect', hotline('想要一副老花镜', { orgId: 'demo-grid-1' }), ORG))._id as string,
  };
  ok(
    await env.call('register', { wishId: ids.individual, category: '精神慰藉', track: 'individual', summary: '独居老人希望有人陪伴' }, ORG),
  );
  ok(await env.call('publish', { wishId: ids.individual }, ORG));
  ok(await env.call('claim', { wishId: ids.individual, promisedBy: inDays(5) }, 'demo-member'));
  ok(await env.call('fulfil', { wishId: ids.individual, note: '每周三下午上门陪王阿姨聊天' }, 'demo-member'));
  ok(await env.call('register', { wishId: ids.common, category: '生活帮扶', track: 'common', summary: '楼道照明维修' }, ORG));
  ok(await env.call('assign', { wishId: ids.common, kind: 'org', assignee: '物业服务中心', promisedBy: inDays(10) }, ORG));
  ok(await env.call('progress', { wishId: ids.common, note: '已联系物业，王秀英家门口的灯先换' }, ORG));
  ok(await env.call('register', { wishId: ids.hard, category: '其他', track: 'hard', summary: '小区排水改造' }, ORG));
  ok(await env.call('assign', { wishId: ids.hard, kind: 'leader', assignee: '街道党工委书记', promisedBy: inDays(30) }, ORG));
  // Older wishes stored directly (copies of a real one): last month in 幸福里, one two months ago, and one in 安康社区
  // (another community: never in 陈静's ledgers).
  const model = (await env.db.collection('wishes').doc(ids.plain).get()).data[0] as Record<string, unknown>;
  const { _id, ...rest } = model;
  void _id;
  const at = (m: string, day: number) => new Date(`${m}-${String(day).padStart(2, '0')}T02:00:00Z`).toISOString();
  for (let i = 0; i < 5; i++)
    await env.db
      .collection('wishes')
      .add({ ...rest, _id: `ledger-last-${i}`, orgId: i % 2 ? 'demo-grid-1' : 'demo-community', createdAt: at(lastMonth, 3 + i) });
  await env.db.collection('wishes').add({ ...rest, _id: 'ledger-older', createdAt: at(twoAgo, 10) });
  await env.db.collection('wishes').add({ ...rest, _id: 'ledger-other-community', orgId: 'demo-community-2', createdAt: at(lastMonth, 5) });
  // The street's organiser, for the progress ledger over two communities.
  await env.db.collection('users').add({ _id: 'street-organiser', role: 'organiser', orgId: 'demo-street', name: '周敏' });
}, 120_000);
beforeEach(() => env.resetRateLimits());
afterAll(() => env.stop());

async function exported(event: object, openid = ORG) {
  const file = ok(await env.call('exportLedger', event, openid));
  expect(file.maxAge).toBe(600);
  expect(file.fileName).toMatch(/\.xlsx$/);
  const res = await fetch(file.url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(res.headers.get('content-disposition')).toBe('attachment');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  return { file, wb, ws, rows: dataRows(ws) };
}

function dataRows(ws: ExcelJS.Worksheet): ExcelJS.CellValue[][] {
  const out: ExcelJS.CellValue[][] = [];
  ws.eachRow((row, n) => {
    if (n > 2) out.push((row.values as ExcelJS.CellValue[]).slice(1));
  });
  return out;
}
const headersOf = (ws: ExcelJS.Worksheet) => (ws.getRow(2).values as unknown[]).slice(1);
const allText = (ws: ExcelJS.Worksheet) => {
  const parts: string[] = [];
  ws.eachRow((row) => row.eachCell((c) => parts.push(String(c.value instanceof Date ? c.value.toISOString() : c.value))));
  return parts.join('\n');
};

/** What the database holds for 陈静's subtree in the period (the test's own unchecked client). */
async function countInDb(from: string, to: string, extra: object = {}) {
  const _ = env.db.command;
  const { start, end } = periodRange(from, to);
  const r = await env.db
    .collection('wishes')
    .where({
      orgId: _.in(['demo-community', 'demo-grid-1', 'demo-branch', 'demo-party-group']),
      createdAt: _.gte(start).and(_.lt(end)),
      ...extra,
    })
    .count();
  return r.total as number;
}

test('群众需求台账 (own): title, Chinese headers, frozen header, widths, real dates, personal fields, rows = the query', async () => {
  const { ws, rows, file } = await exported({ ledger: 'needs', version: 'own', from: lastMonth, to: month });
  expect(String(ws.getCell('A1').value)).toContain('幸福里社区 群众需求台账（本级留存）');
  expect(String(ws.getCell('A1').value)).toContain(`${Number(lastMonth.slice(5))}月`);
  expect(ws.getCell('A1').isMerged).toBe(true);
  expect(headersOf(ws)).toEqual(NEEDS_COLUMNS.map((c) => c.header));
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  // Excel's default width (9) is not written; every ledger column has its own.
  expect(NEEDS_COLUMNS.map((_c, i) => ws.getColumn(i + 1).width)).toEqual(NEEDS_COLUMNS.map((c) => c.width));
  const expected = await countInDb(lastMonth, month);
  expect(expected).toBe(9); // 4 collected now + 5 last month; not the older one, not 安康社区's
  expect(rows).toHaveLength(expected);
  expect(file.rows).toBe(expected);
  const col = (key: string) => NEEDS_COLUMNS.findIndex((c) => c.key === key);
  const byId = new Map(rows.map((r) => [r[col('id')], r]));
  expect(byId.has('ledger-other-community')).toBe(false);
  expect(byId.has('ledger-older')).toBe(false);
  const claimed = byId.get(ids.individual)!;
  expect(claimed[col('seq')]).toEqual(expect.any(Number));
  expect(claimed[col('createdAt')]).toBeInstanceOf(Date);
  expect((claimed[col('createdAt')] as Date).toISOString().slice(0, 10)).toBe(chinaDate(new Date()));
  expect(ws.getRow(3).getCell(col('createdAt') + 1).numFmt).toBe('yyyy-mm-dd');
  expect((claimed[col('promisedBy')] as Date).toISOString().slice(0, 10)).toBe(inDays(5));
  expect(claimed[col('fulfilledAt')]).toBeInstanceOf(Date);
  expect(claimed.slice(col('name'), col('address') + 1)).toEqual(['王秀英', '13800001111', '幸福里小区 3 栋 201']);
  expect(claimed[col('channel')]).toBe('心愿热线');
  expect(claimed[col('status')]).toBe('待反馈');
  expect(claimed[col('holder')]).toBe('李明（幸福里社区）');
  expect(claimed[col('summary')]).toBe('独居老人希望有人陪伴');
  expect(claimed[col('title')]).toBe('想请人陪我聊聊天'); // the organiser's own copy: the resident's title
  expect(byId.get(ids.plain)![col('org')]).toBe('幸福里 3 栋网格');
  // Oldest first: the sequence follows the collection date.
  const dates = rows.map((r) => (r[col('createdAt')] as Date).getTime());
  expect([...dates].sort((a, b) => a - b)).toEqual(dates);
});

test('群众需求台账 (报上级): the same rows, name and phone masked, no address, none of the resident’s words', async () => {
  const { ws, rows } = await exported({ ledger: 'needs', version: 'upward', from: lastMonth, to: month });
  expect(String(ws.getCell('A1').value)).toContain('（报上级）');
  expect(rows).toHaveLength(await countInDb(lastMonth, month));
  const col = (key: string) => NEEDS_COLUMNS.findIndex((c) => c.key === key);
  for (const r of rows) expect(r.slice(col('name'), col('address') + 1)).toEqual(['王某', '138****1111', '（已隐去）']);
  const text = allText(ws);
  for (const secret of ['王秀英', '13800001111', '幸福里小区 3 栋 201', wishInput.content, '每周三下午上门陪王阿姨聊天'])
    expect(text).not.toContain(secret);
  // Nor the resident's titles (issue 22): upwards a wish goes by its public title, neutral when none was confirmed.
  for (const title of ['想请人陪我聊聊天', '楼道灯坏了想修好', '小区积水多年', '想要一副老花镜']) expect(text).not.toContain(title);
  expect(rows.find((r) => r[col('id')] === ids.individual)![col('title')]).toBe('【精神慰藉】一位居民需要帮助');
});

test('实事项目台账: only common and hard wishes; progress and result in words in the own copy, their public stage upwards', async () => {
  const own = await exported({ ledger: 'projects', version: 'own', from: month, to: month });
  expect(headersOf(own.ws)).toEqual(PROJECT_COLUMNS.map((c) => c.header));
  const col = (key: string) => PROJECT_COLUMNS.findIndex((c) => c.key === key);
  expect(own.rows.map((r) => r[col('id')]).sort()).toEqual([ids.common, ids.hard].sort());
  expect(own.rows).toHaveLength(await countInDb(month, month, { track: env.db.command.in(['common', 'hard']) }));
  const common = own.rows.find((r) => r[col('id')] === ids.common)!;
  expect(common[col('assignee')]).toBe('单位：物业服务中心');
  expect(String(common[col('progress')])).toContain('已联系物业，王秀英家门口的灯先换');
  expect((common[col('promisedBy')] as Date).toISOString().slice(0, 10)).toBe(inDays(10));
  expect(own.rows.find((r) => r[col('id')] === ids.hard)![col('assignee')]).toBe('领导：街道党工委书记');

  const upward = await exported({ ledger: 'projects', version: 'upward', from: month, to: month });
  const up = upward.rows.find((r) => r[col('id')] === ids.common)!;
  expect(String(up[col('progress')])).toContain('认领人记录了进展');
  expect(allText(upward.ws)).not.toContain('王秀英');
});

test('进度台账: per child unit and month, the supervision figures, equal to a recount from the wishes', async () => {
  // The copies the setup stored without a transition are in no figure until the nightly reconcile repairs them (as on
  // CloudBase); after it, new transitions keep the figures as they go.
  ok(await env.trigger('reconcile', { Type: 'Timer' }));
  const other = ok(await env.call('collect', hotline('安康社区的心愿'), 'demo-organiser-2'))._id as string;
  ok(await env.call('register', { wishId: other, category: '生活帮扶', track: 'common', summary: '帮忙' }, 'demo-organiser-2'));
  ok(await env.call('assign', { wishId: other, kind: 'org', assignee: '物业', promisedBy: inDays(3) }, 'demo-organiser-2'));
  ok(await env.call('fulfil', { wishId: other, note: '办好了' }, 'demo-organiser-2'));
  ok(await env.call('feedback', { wishId: other, satisfaction: 'basically' }, 'demo-organiser-2'));
  ok(await env.call('closeOut', { wishId: other }, 'demo-organiser-2'));

  const { ws, rows } = await exported({ ledger: 'progress', version: 'upward', from: twoAgo, to: month }, 'street-organiser');
  expect(String(ws.getCell('A1').value)).toContain('和平街道 进度台账');
  expect(headersOf(ws)).toEqual(PROGRESS_COLUMNS.map((c) => c.header));
  const col = (header: string) => PROGRESS_COLUMNS.findIndex((c) => c.header === header);
  expect(ws.getColumn(col('满意率') + 1).numFmt).toBe('0.0%');
  const units = [...new Set(rows.map((r) => r[0]))];
  expect(units[0]).toBe('和平街道（本级）');
  expect(units).toEqual(expect.arrayContaining(['幸福里社区', '安康社区', '合计']));
  expect(rows).toHaveLength(units.length * 3); // every unit and the 合计, every month, zeros included

  // The recount: every figure of every row from the wishes themselves (src/core/figures.ts recount), by each
  // unit's subtree; 本级 only the street's own wishes; 合计 the street's whole subtree.
  const all = async (name: string) => (await env.db.collection(name).limit(1000).get()).data as Array<Record<string, any>>;
  const [wishes, orgs] = await Promise.all([all('wishes'), all('orgs')]);
  const paths = new Map(orgs.map((o) => [o._id as string, [...((o.ancestors as string[]) ?? []), o._id as string]]));
  const pathOf = (id: string) => paths.get(id) ?? [id];
  const idOf = new Map(orgs.filter((o) => o.parentId === 'demo-street').map((o) => [o.name as string, o._id as string]));
  const expected = (unit: string, m: string) =>
    unit === '合计'
      ? recount(wishes as Wish[], pathOf, 'demo-street', m)
      : unit === '和平街道（本级）'
        ? recount(
            (wishes as Wish[]).filter((w) => w.orgId === 'demo-street'),
            pathOf,
            'demo-street',
            m,
          )
        : recount(wishes as Wish[], pathOf, idOf.get(unit as string)!, m);
  for (const r of rows) {
    const want = progressRow(r[0] as string, r[1] as string, expected(r[0] as string, r[1] as string));
    expect(PROGRESS_COLUMNS.map((_, i) => r[i] ?? null)).toEqual(want);
  }
  // And by hand: 安康社区 this month: 2 collected (the setup's copy, counted when its timeline says, and the new one),
  // 1 fulfilled on time, 1 basically-satisfied feedback (100 %), 1 closed.
  const row = (unit: string, m: string) => rows.find((r) => r[0] === unit && r[1] === m)!;
  const ankang = row('安康社区', month);
  expect([ankang[col('收集')], ankang[col('落实')], ankang[col('按时落实')], ankang[col('满意率')], ankang[col('销号')]]).toEqual([
    2, 1, 1, 1, 1,
  ]);
  expect(row('幸福里社区', month)[col('落实')]).toBe(1);
  expect(row('幸福里社区', month)[col('领办')]).toBe(3);
  // The 合计 row is the sum of the units for every count.
  for (const m of [twoAgo, lastMonth, month])
    for (const h of ['收集', '受理', '领办', '落实', '反馈', '销号'])
      expect(row('合计', m)[col(h)]).toBe(
        rows.filter((r) => r[1] === m && r[0] !== '合计').reduce((a, r) => a + ((r[col(h)] as number) ?? 0), 0),
      );
});

test('refusals: members and residents, bad periods and kinds, nothing stored', async () => {
  const files = async () => (await env.db.collection('files').where({ purpose: 'ledger' }).count()).total;
  const before = await files();
  for (const who of ['demo-member', 'demo-resident'])
    refused(await env.call('exportLedger', { ledger: 'needs', version: 'own', from: month, to: month }, who), 403, 'AUTH.FORBIDDEN');
  refused(await env.call('exportLedger', { ledger: 'needs', version: 'own', from: month, to: lastMonth }), 401, 'AUTH.NO_IDENTITY');
  for (const bad of [
    { ledger: 'needs', version: 'own', from: month, to: lastMonth },
    { ledger: 'needs', version: 'own', from: '2020-01', to: '2026-12' },
    { ledger: 'needs', version: 'own', from: '2026-13', to: '2026-12' },
    { ledger: 'wishes', version: 'own', from: month, to: month },
    { ledger: 'needs', version: 'all', from: month, to: month },
    { ledger: 'needs', version: 'own', from: { $gt: '' }, to: month },
  ])
    refused(await env.call('exportLedger', bad, ORG), 400, 'INPUT.INVALID');
  expect(await files()).toBe(before);
});

test('each export is recorded for the purge and audited; storage refuses a spreadsheet outside the ledger folders', async () => {
  const { file } = await exported({ ledger: 'needs', version: 'own', from: month, to: month });
  const recs = (await env.db.collection('files').where({ purpose: 'ledger', owner: ORG }).get()).data as Array<{
    state: string;
    path: string;
  }>;
  expect(recs.length).toBeGreaterThan(0);
  expect(recs.every((r) => r.state === 'issued' && r.path.startsWith('ledgers/'))).toBe(true);
  const audits = (await env.db.collection('audit').where({ action: 'exportLedger', actorId: ORG }).get()).data as Array<{
    after: { rows: number };
  }>;
  expect(audits.some((a) => a.after.rows === file.rows)).toBe(true);
  // The same bytes as a "photo" upload are refused: only ledgers/ and imports/ hold spreadsheets.
  const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
  const r = await env.sdk.uploadFile({ cloudPath: 'uploads/0000000000000000/x.png', fileContent: bytes }).catch((e: unknown) => e);
  expect(String((r as { code?: string }).code ?? JSON.stringify(r))).toMatch(/STORAGE_REQUEST_FAIL|InvalidImage/);
});

/**
 * Batches in (issue 11): the import template, the upload ticket, and the import itself.
 *
 *   template → the .xlsx to fill in (made once per template version, kept in storage, handed out by a temporary URL)
 *   upload   → where the organiser's client puts the filled file: imports/<owner key>/<32 hex>.xlsx, recorded in
 *              `files` as the caller's (purpose `import`), deleted by the daily purge after a day
 *   import   → the file is read as a stream (limits: 2 MB, 16 MB unpacked, 2,000 rows, the template's version and
 *              columns, a real .xlsx), each
 *              row validated by the core (CollectEvent, as `collect`) and checked by the content check; valid rows
 *              become collected wishes with their channel. Each row's wish id is a hash of the organisation and the
 *              row's values (its idempotency key), inserted once: importing the same file again, or the same rows in
 *              another file, or rerunning an import a crash interrupted, enters each row exactly once. The refused
 *              rows come back as a row-by-row report and as an annotated .xlsx to fix and import again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { chinaDate, collect, collectEffects, fail, inScope, type Actor, type Effect, type Failure, type StoredWish } from '../src/core';
import {
  FIRST_DATA_ROW,
  IMPORT_COLUMNS,
  IMPORT_SHEET,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  MAX_IMPORT_UNPACKED_BYTES,
  NOTE_HEADER,
  importTitle,
  isBlankRow,
  readHeader,
  rowEvent,
  rowIdentity,
  rowValues,
  type RowIssue,
  type RowValues,
} from '../src/core/batch';
import { cloud } from './cloud';
import { contentCheck, textsOf } from './contentCheck';
import { IN_WISH, dispatch } from './effects';
import { ownerKey, pathOf } from './photos';
import {
  addFile,
  cardById,
  cardLinksByIds,
  fileById,
  insertWish,
  linkCard,
  setIfVersion,
  subtreeOf,
  wishStubsByIds,
  type CardDoc,
  type OrgDoc,
} from './store';
import { reserveWishNo } from './wishNo';

export const IMPORT_DIR = 'imports';
export const IMPORT_URL_SECONDS = 600;
/** Rows handled at once (content check + insert). */
const CONCURRENCY = 16;

export interface FileLink {
  url: string;
  fileName: string;
  maxAge: number;
}

async function tempUrl(fileId: string, maxAge = IMPORT_URL_SECONDS): Promise<string | null> {
  const r = await cloud().getTempFileURL({ fileList: [{ fileID: fileId, maxAge }] });
  const f = (r.fileList as Array<{ tempFileURL: string; code: string }>)[0];
  return f && f.code === 'SUCCESS' ? f.tempFileURL : null;
}

/** A file id for a storage path in this environment (the SDK's own form, as getUploadMetadata names it). */
async function fileIdOf(cloudPath: string): Promise<string> {
  const meta = (await cloud().getUploadMetadata({ cloudPath })) as { data?: { fileId: string } };
  if (!meta.data?.fileId) throw new Error(`no file id for ${cloudPath}`);
  return meta.data.fileId;
}

function styleHeader(row: ExcelJS.Row) {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center' };
  row.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF3E0D6' } };
  });
}

/** A workbook in the template's shape: title row, header row (frozen), widths, the channel as a drop-down list. */
function templateBook(extraHeader?: string): { wb: ExcelJS.Workbook; ws: ExcelJS.Worksheet } {
  const wb = new ExcelJS.Workbook();
  wb.creator = '微心愿';
  const ws = wb.addWorksheet(IMPORT_SHEET, { views: [{ state: 'frozen', ySplit: 2 }] });
  const headers = [...IMPORT_COLUMNS.map((c) => c.header), ...(extraHeader ? [extraHeader] : [])];
  ws.columns = [...IMPORT_COLUMNS.map((c) => ({ width: c.width })), ...(extraHeader ? [{ width: 50 }] : [])];
  ws.getCell(1, 1).value = importTitle();
  ws.getCell(1, 1).font = { bold: true, size: 13 };
  ws.mergeCells(1, 1, 1, headers.length);
  styleHeader(ws.addRow(headers));
  const channel = IMPORT_COLUMNS.findIndex((c) => c.field === 'channel') + 1;
  for (let r = FIRST_DATA_ROW; r < FIRST_DATA_ROW + MAX_IMPORT_ROWS; r++)
    ws.getCell(r, channel).dataValidation = {
      type: 'list',
      allowBlank: false,
      formulae: ['"心愿卡,心愿收集箱,心愿热线,上门走访,问卷调查,座谈会"'],
    };
  return { wb, ws };
}

/** The import template: made once per version and kept (storage never overwrites a file). */
export async function importTemplate(): Promise<FileLink> {
  const cloudPath = `${IMPORT_DIR}/template/v${importTitle().match(/\d+/)![0]}.xlsx`;
  const fileName = `${importTitle()}.xlsx`;
  const fileId = await fileIdOf(cloudPath);
  let url = await tempUrl(fileId);
  if (!url) {
    const { wb } = templateBook();
    const help = wb.addWorksheet('填写说明');
    help.columns = [{ width: 12 }, { width: 8 }, { width: 60 }];
    styleHeader(help.addRow(['列', '必填', '怎么填']));
    for (const c of IMPORT_COLUMNS) help.addRow([c.header, c.required ? '是' : '否', c.hint]);
    help.addRow([]);
    help.addRow(['', '', `从第 ${FIRST_DATA_ROW} 行开始，每行一个心愿，一次最多 ${MAX_IMPORT_ROWS} 行。不要改动第 1、2 行。`]);
    help.addRow(['', '', '同一行导入两次不会重复登记。有问题的行会标出原因，改好后可以再次导入。']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    try {
      await cloud().uploadFile({ cloudPath, fileContent: bytes });
    } catch {
      // Made by a concurrent call meanwhile (a stored file is never overwritten): use that one.
    }
    url = await tempUrl(fileId);
    if (!url) throw new Error(`import template ${cloudPath} not stored`);
  }
  return { url, fileName, maxAge: IMPORT_URL_SECONDS };
}

/** Where the caller's client uploads the filled file (the same ticket shape as photoUpload's). */
export async function issueImportUpload(actor: Actor, now: Date) {
  const id = randomBytes(16).toString('hex');
  const cloudPath = `${IMPORT_DIR}/${ownerKey(actor.id)}/${id}.xlsx`;
  const meta = (await cloud().getUploadMetadata({ cloudPath })) as {
    data?: { url: string; authorization: string; token: string; fileId: string };
  };
  if (!meta.data?.url || !meta.data.fileId) throw new Error(`getUploadMetadata gave no upload url for ${cloudPath}`);
  const { url, authorization, token, fileId } = meta.data;
  await addFile({
    _id: id,
    path: cloudPath,
    fileId,
    owner: actor.id,
    purpose: 'import',
    wishId: null,
    state: 'issued',
    issuedAt: now.toISOString(),
  });
  return { cloudPath, upload: { url, authorization, token, fileId } };
}

/** The text of a cell as a person typed it (numbers, rich text, formulas' results, hyperlinks' text). */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return chinaDate(v);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  }
  return '';
}

export type RowOutcome =
  | { row: number; status: 'created'; wishId: string; held: boolean }
  | { row: number; status: 'duplicate'; wishId: string; sameAs?: number }
  | { row: number; status: 'invalid'; issues: RowIssue[] };

export interface ImportReport {
  total: number;
  created: number;
  /** Rows whose wish card (心愿卡号) this import linked to their wish. */
  linked: number;
  held: number;
  duplicates: number;
  invalid: number;
  /** Every row that was not simply created: refused (with each problem's column and reason) or already entered. */
  rows: Array<Exclude<RowOutcome, { status: 'created' }> | { row: number; status: 'created'; wishId: string; held: true }>;
  /** The refused rows as an .xlsx with a 错误说明 column and the faulty cells marked, to fix and import again. */
  errorsFile: FileLink | null;
}

const notFound = () => fail('IMPORT.FILE_NOT_FOUND');

/** The caller's uploaded file, checked: theirs, for an import, present, within the size limit. */
async function uploadedFile(fileId: string, actor: Actor): Promise<Buffer | Failure> {
  const path = pathOf(fileId) ?? '';
  const m = /^imports\/([0-9a-f]{16})\/([0-9a-f]{32})\.xlsx$/.exec(path);
  if (!m || m[1] !== ownerKey(actor.id)) return notFound();
  const doc = await fileById(m[2]!);
  if (!doc || doc.owner !== actor.id || doc.purpose !== 'import' || doc.path !== path || doc.state === 'deleted') return notFound();
  const url = await tempUrl(fileId, 60);
  if (!url) return notFound();
  const res = await fetch(url);
  if (res.status !== 200) return notFound();
  const length = Number(res.headers.get('content-length'));
  if (length > MAX_IMPORT_BYTES) return fail('IMPORT.TOO_LARGE');
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > MAX_IMPORT_BYTES) return fail('IMPORT.TOO_LARGE');
  return bytes;
}

/** Where a zip's entries begin and end as a streaming reader walks it (unzipper's Parse, which exceljs's
 * WorkbookReader runs: exceljs/node_modules/unzipper/lib/parse.js): local file headers one after another from the
 * start, each entry's data either its stated compressed size or, when the size is deferred to a data descriptor
 * (flag bit 3 with a zero size), up to the descriptor's signature; the first record that is not a local file header
 * (the central directory) ends the entries. Answers the total size of every entry unpacked, counting only up to
 * `budget` (+1): memory stays within `budget` however far a part would inflate. 'bad' for a zip the walk cannot
 * follow (truncated, an entry beyond the file: ZIP64 sizes, a method that is not deflate or stored, corrupt data). */
export function unpackedSize(bytes: Buffer, budget: number): number | 'bad' {
  const DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
  let pos = 0;
  let total = 0;
  while (pos + 30 <= bytes.length && bytes.readUInt32LE(pos) === 0x04034b50) {
    const flags = bytes.readUInt16LE(pos + 6);
    const method = bytes.readUInt16LE(pos + 8);
    const compressed = bytes.readUInt32LE(pos + 18);
    const start = pos + 30 + bytes.readUInt16LE(pos + 26) + bytes.readUInt16LE(pos + 28);
    const sized = !(flags & 0x08) || compressed > 0;
    const end = sized ? start + compressed : bytes.indexOf(DESCRIPTOR, start);
    if (end < 0 || end > bytes.length) return 'bad';
    const data = bytes.subarray(start, end);
    if (method === 0) total += data.length;
    else if (method !== 8) return 'bad';
    else {
      try {
        total += inflateRawSync(data, { maxOutputLength: budget - total + 1 }).length;
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return budget + 1;
        return 'bad';
      }
    }
    if (total > budget) return total;
    pos = sized ? end : end + 16;
  }
  return total;
}

type SheetRows = { columns: ReturnType<typeof readHeader>; rows: Array<{ row: number; cells: string[] }> };

/** The sheet's rows as text, or the refusal: not a workbook, too large unpacked, wrong version or columns, too many
 * rows. Nothing large is built: the parts' unpacked size is measured first without keeping them (MAX_IMPORT_UNPACKED_BYTES),
 * then the sheet is read as a stream (exceljs's WorkbookReader), keeping only rows with something in them, and
 * reading stops at the row after the limit. */
async function readSheet(bytes: Buffer): Promise<SheetRows | Failure> {
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) return fail('IMPORT.NOT_SPREADSHEET');
  const size = unpackedSize(bytes, MAX_IMPORT_UNPACKED_BYTES);
  if (size === 'bad') return fail('IMPORT.NOT_SPREADSHEET');
  if (size > MAX_IMPORT_UNPACKED_BYTES)
    return fail(
      'IMPORT.TOO_LARGE',
      `文件里的内容太多了（解压后超过 ${MAX_IMPORT_UNPACKED_BYTES / 1024 / 1024} MB），一次最多导入 ${MAX_IMPORT_ROWS} 行，请分成几个文件导入`,
    );
  // A reader error is logged and the read tried once more before the file is called no spreadsheet: one import in a
  // CI run answered IMPORT.NOT_SPREADSHEET for a workbook that read fine before and after (the cause was not kept).
  const first = await streamSheet(bytes);
  if (!(first instanceof Error)) return first;
  console.error('[importBatch] the workbook reader failed, reading once more:', first.message);
  const second = await streamSheet(bytes);
  if (!(second instanceof Error)) return second;
  console.error('[importBatch] the workbook reader failed again:', second.message);
  return fail('IMPORT.NOT_SPREADSHEET');
}

/** The sheet named 心愿 (else the first) read as a stream; the reader's own error when it cannot read the workbook. */
async function streamSheet(bytes: Buffer): Promise<SheetRows | Failure | Error> {
  const input = Readable.from([bytes]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // a date typed in a cell reads as the date (its number format), as the whole-workbook load did
    hyperlinks: 'ignore', // a link's cell keeps its text
    entries: 'ignore',
  });
  // The sheet named 心愿, else the first: a sheet read before 心愿 turns up is kept as the fallback.
  let chosen: SheetRows | Failure | null = null;
  try {
    for await (const ws of reader) {
      const named = (ws as unknown as { name?: string }).name === IMPORT_SHEET;
      if (chosen && !named) continue; // not read: the reader drains it
      chosen = await sheetRows(ws);
      if (named) break;
    }
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  } finally {
    input.destroy();
  }
  return chosen ?? fail('IMPORT.NOT_SPREADSHEET');
}

/** One worksheet as a stream of rows: the title and header rows checked, then the rows with something in them
 * (formatting alone, such as the template's drop-down list, does not make a row), up to MAX_IMPORT_ROWS + 1. */
async function sheetRows(ws: AsyncIterable<ExcelJS.Row>): Promise<SheetRows | Failure> {
  let title = '';
  let headers: string[] = [];
  const rows: Array<{ row: number; cells: string[] }> = [];
  const textRow = (r: ExcelJS.Row, width: number) => Array.from({ length: width }, (_, i) => cellText(r.getCell(i + 1).value));
  let last = 0;
  for await (const r of ws) {
    // A row without its `r` attribute (some writers leave it out) follows the one before.
    const n = Number.isInteger(r.number) && r.number > 0 ? r.number : last + 1;
    last = n;
    if (n === 1) title = cellText(r.getCell(1).value);
    else if (n === 2) headers = textRow(r, Math.max(r.cellCount, IMPORT_COLUMNS.length));
    if (n < FIRST_DATA_ROW) continue;
    const cells = textRow(r, Math.max(r.cellCount, headers.length, IMPORT_COLUMNS.length));
    if (!cells.some((t) => t.trim())) continue;
    rows.push({ row: n, cells });
    if (rows.length > MAX_IMPORT_ROWS)
      return fail('IMPORT.TOO_MANY_ROWS', `一次最多导入 ${MAX_IMPORT_ROWS} 行，这个文件至少有 ${rows.length} 行，请分成几个文件导入`);
  }
  if (headers.length === 0) headers = Array.from({ length: IMPORT_COLUMNS.length }, () => '');
  const columns = readHeader(title, headers);
  if ('ok' in columns && columns.ok === false) return columns;
  return { columns, rows };
}

/** The refused rows, as typed, with the reasons and the faulty cells marked. */
async function errorsFile(refused: Array<{ values: RowValues; issues: RowIssue[] }>, actor: Actor, now: Date): Promise<FileLink> {
  const { wb, ws } = templateBook(NOTE_HEADER);
  refused.forEach((r, n) => {
    // At fixed positions: the drop-down list already makes rows 3.. exist, so addRow would append after them.
    const row = ws.getRow(FIRST_DATA_ROW + n);
    row.values = [
      ...IMPORT_COLUMNS.map((c) => r.values[c.field]),
      r.issues.map((i) => (i.column ? `${i.column}：${i.reason}` : i.reason)).join('；'),
    ];
    for (const issue of r.issues) {
      const i = IMPORT_COLUMNS.findIndex((c) => c.header === issue.column);
      if (i >= 0) row.getCell(i + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFCDD2' } };
    }
    row.getCell(IMPORT_COLUMNS.length + 1).font = { color: { argb: 'FFB71C1C' } };
  });
  const id = randomBytes(16).toString('hex');
  const cloudPath = `${IMPORT_DIR}/${ownerKey(actor.id)}/${id}.xlsx`;
  const up = (await cloud().uploadFile({ cloudPath, fileContent: Buffer.from(await wb.xlsx.writeBuffer()) })) as { fileID: string };
  await addFile({
    _id: id,
    path: cloudPath,
    fileId: up.fileID,
    owner: actor.id,
    purpose: 'import-errors',
    wishId: null,
    state: 'issued',
    issuedAt: now.toISOString(),
  });
  const url = await tempUrl(up.fileID);
  if (!url) throw new Error(`errors file ${cloudPath} not stored`);
  return { url, fileName: `导入未通过的行（${refused.length} 行）.xlsx`, maxAge: IMPORT_URL_SECONDS };
}

/** A card as a row's link needs it (the store's cards; server/cards.ts is not imported here, so that the QR library
 * stays out of this bundle). */
type CardRef = Pick<CardDoc, '_id' | 'orgId' | 'wishId'>;
const CARD_TAKEN = '这张心愿卡已经登记了别的心愿';

/** Why a row's card cannot be linked to its wish `id`, as a hand-entered link would be refused (wishCards link):
 * unknown or of an organisation outside the organiser's subtree, or already linked to another wish. */
function cardProblem(card: CardRef | undefined, id: string, actor: Actor): string | null {
  if (!card || !inScope(actor, card.orgId)) return '没有找到这张心愿卡，请核对卡号（只能用本社区或下级组织印制的心愿卡）';
  if (card.wishId !== null && card.wishId !== id) return CARD_TAKEN;
  return null;
}

/** The card taken for wish `id` in one conditional update: true when it was free or is already this wish's. */
async function claimCard(cardNo: string, id: string): Promise<boolean> {
  if (await linkCard(cardNo, id)) return true;
  const now = await cardById(cardNo);
  return now?.wishId === id;
}

export const wishIdOfRow = (identity: string) => createHash('sha256').update(identity).digest('hex').slice(0, 32);

export async function importBatch(fileId: string, actor: Actor, own: OrgDoc, now: Date): Promise<ImportReport | Failure> {
  const bytes = await uploadedFile(fileId, actor);
  if (!Buffer.isBuffer(bytes)) return bytes;
  const sheet = await readSheet(bytes);
  if ('ok' in sheet) return sheet;
  const columns = sheet.columns as Exclude<ReturnType<typeof readHeader>, Failure>;
  const orgs = new Map<string, string>([[own.name, own._id], ...(await subtreeOf(own._id)).map((o) => [o.name, o._id] as const)]);

  const outcomes: RowOutcome[] = [];
  let linkedRows = 0;
  const refused: Array<{ values: RowValues; issues: RowIssue[] }> = [];
  const seen = new Map<string, number>();
  const valid: Array<{
    row: number;
    id: string;
    event: Extract<ReturnType<typeof rowEvent>, { ok: true }>['event'];
    cardNo: string | null;
  }> = [];
  const cardRows = new Map<string, number>();
  for (const { row, cells } of sheet.rows) {
    const values = rowValues(cells, columns);
    if (isBlankRow(values)) continue;
    const r = rowEvent(row, values, orgs, own._id);
    if (!r.ok) {
      outcomes.push({ row, status: 'invalid', issues: r.issues });
      refused.push({ values, issues: r.issues });
      continue;
    }
    const id = wishIdOfRow(rowIdentity(r.event.orgId ?? own._id, r.event));
    const first = seen.get(id);
    if (first !== undefined) {
      outcomes.push({ row, status: 'duplicate', wishId: id, sameAs: first });
      continue;
    }
    seen.set(id, row);
    if (r.cardNo && cardRows.has(r.cardNo)) {
      const issues = [{ row, column: '心愿卡号', reason: `这张心愿卡在第 ${cardRows.get(r.cardNo)} 行已经用过，一张卡只能登记一个心愿` }];
      outcomes.push({ row, status: 'invalid', issues });
      refused.push({ values, issues });
      continue;
    }
    if (r.cardNo) cardRows.set(r.cardNo, row);
    valid.push({ row, id, event: r.event, cardNo: r.cardNo });
  }
  if (!outcomes.length && !valid.length) return fail('IMPORT.EMPTY');

  // Each valid row: already entered (by an earlier import) → duplicate; else content check, then one insert.
  for (let i = 0; i < valid.length; i += CONCURRENCY) {
    const chunk = valid.slice(i, i + CONCURRENCY);
    // Rows an earlier import entered: one query by _id for the chunk.
    // …and the wish cards its rows name: one query by _id (none when no row has a card number).
    const cardNos = chunk.flatMap((c) => (c.cardNo ? [c.cardNo] : []));
    const [enteredDocs, cardDocs] = await Promise.all([
      wishStubsByIds(
        chunk.map((c) => c.id),
        CONCURRENCY,
      ),
      cardNos.length ? cardLinksByIds(cardNos, CONCURRENCY) : [],
    ]);
    const entered = new Map(enteredDocs.map((w) => [w._id, w]));
    const cards = new Map(cardDocs.map((c) => [c._id, c]));
    // A row an interrupted import stored but whose figures it did not deliver: deliver them now (once, by id).
    const stranded = enteredDocs.filter((w) => w.pending?.length);
    if (stranded.length)
      await dispatch(
        stranded.map((w) => w._id),
        stranded.flatMap((w) => w.pending!),
      );
    const delivering: Array<{ id: string; pending: Effect[] }> = [];
    const done = await Promise.all(
      chunk.map(async ({ row, id, event, cardNo }): Promise<RowOutcome> => {
        const card = cardNo ? cards.get(cardNo) : undefined;
        if (cardNo) {
          const problem = cardProblem(card, id, actor);
          if (problem) return { row, status: 'invalid', issues: [{ row, column: '心愿卡号', reason: problem }] };
        }
        const before = entered.get(id);
        if (before) {
          // Entered by an earlier import: link its card now if the row names one (a rerun finishing a cut-off link,
          // or the same row imported again with its card number filled in).
          if (cardNo && before.cardNo !== cardNo) {
            if (before.cardNo)
              return { row, status: 'invalid', issues: [{ row, column: '心愿卡号', reason: `这个心愿已经关联了心愿卡 ${before.cardNo}` }] };
            if (!(await claimCard(cardNo, id)))
              return { row, status: 'invalid', issues: [{ row, column: '心愿卡号', reason: CARD_TAKEN }] };
            if (
              await setIfVersion(
                { _id: id, version: before.version },
                { cardNo, version: before.version + 1, updatedAt: now.toISOString() },
              )
            )
              linkedRows++;
          }
          return { row, status: 'duplicate', wishId: id };
        }
        const check = await contentCheck.text(textsOf(event as Record<string, unknown>), actor.id, 1);
        if (check.verdict === 'risky') {
          const issues = [{ row, column: '心愿内容', reason: '内容含有不适宜发布的信息，请修改后再导入' }];
          return { row, status: 'invalid', issues };
        }
        const made = collect(id, event, actor, now);
        if (!made.ok)
          return {
            row,
            status: 'invalid',
            issues: [{ row, column: made.code === 'AUTH.OUT_OF_SCOPE' ? '所属社区' : '', reason: made.message }],
          };
        const held = check.verdict === 'review';
        const wish = held
          ? {
              ...made.wish,
              moderation: {
                state: 'review' as const,
                reason: check.failed ? '内容检查暂时失败，等待人工审核' : '内容需要人工审核',
                at: now.toISOString(),
              },
            }
          : made.wish;
        // The card first (conditional: still free, or already this row's from a cut-off run), then the wish with its
        // number: a crash between leaves the card pointing at a wish id the rerun inserts.
        if (cardNo && card!.wishId !== id && !(await claimCard(cardNo, id)))
          return { row, status: 'invalid', issues: [{ row, column: '心愿卡号', reason: CARD_TAKEN }] };
        // The supervision figures it moves travel with it and are delivered once it is stored, as in `collect`.
        const pending = collectEffects(wish);
        const wishNo = await reserveWishNo(id, wish.orgId, now);
        const stored: StoredWish = { ...wish, wishNo, ...(cardNo ? { cardNo } : {}), pending };
        if (!(await insertWish(stored))) return { row, status: 'duplicate', wishId: id };
        if (cardNo) linkedRows++;
        delivering.push({ id, pending });
        return { row, status: 'created', wishId: id, held };
      }),
    );
    // The chunk's figures in one delivery (what fails stays pending on its wishes: the next import of these rows
    // or the purge's sweep finishes it).
    if (delivering.length)
      await dispatch(
        delivering.map((d) => d.id),
        delivering.flatMap((d) => d.pending),
        IN_WISH,
        { fresh: true },
      );
    for (const o of done) {
      outcomes.push(o);
      if (o.status === 'invalid') {
        const src = sheet.rows.find((r) => r.row === o.row)!;
        refused.push({ values: rowValues(src.cells, columns), issues: o.issues });
      }
    }
  }
  outcomes.sort((a, b) => a.row - b.row);
  refused.sort((a, b) => a.issues[0]!.row - b.issues[0]!.row);
  const count = (s: RowOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return {
    total: outcomes.length,
    created: count('created'),
    linked: linkedRows,
    held: outcomes.filter((o) => o.status === 'created' && o.held).length,
    duplicates: count('duplicate'),
    invalid: count('invalid'),
    rows: outcomes.filter((o): o is ImportReport['rows'][number] => o.status !== 'created' || o.held),
    errorsFile: refused.length ? await errorsFile(refused, actor, now) : null,
  };
}

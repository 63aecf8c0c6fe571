/**
 * Ledgers out (issue 11): the organiser's subtree, one period, written as an .xlsx with exceljs' streaming writer
 * (rows are committed as they are read, never the whole sheet in memory), uploaded to storage and handed back as a
 * temporary URL. Reads go page by page through the store's `wishesCreatedIn` (cursor on (createdAt, _id), one declared
 * index: wishes [orgId, createdAt]) with a projection of the fields the ledger needs: no unbounded read.
 *
 * The file is recorded in `files` as an issued, never-attached upload, so the daily purge deletes it after a day.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { chinaDate, counterId, scopeIds, type Actor } from '../src/core';
import {
  LEDGER_TITLE,
  NEEDS_FIELDS,
  PROJECT_FIELDS,
  VERSION_LABEL,
  columnsOf,
  monthsBetween,
  needsRow,
  periodLabel,
  periodRange,
  progressRows,
  projectRow,
  type Cell,
  type ExportLedgerInput,
  type LedgerColumn,
} from '../src/core/ledger';
import { cloud } from './cloud';
import { addFile, figuresByIds, subtreeOf, wishesCreatedIn, type OrgDoc } from './store';

/** Rows read per query: one get() returns at most 1,000 on CloudBase (and locally), and listDocs asks for one more
 * than the page to know whether another follows. */
export const LEDGER_PAGE = 999;
/** How long the download URL stays valid. */
export const LEDGER_URL_SECONDS = 600;
export const LEDGER_DIR = 'ledgers';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface LedgerFile {
  url: string;
  fileName: string;
  rows: number;
  maxAge: number;
}

/** A calendar day as an Excel date (midnight, no time zone: what the organiser means by that day). */
function excelDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

function cellValue(c: Cell): ExcelJS.CellValue {
  if (c === null) return null;
  if (typeof c === 'object') return excelDay(c.day);
  return c;
}

const THIN = { style: 'thin' as const, color: { argb: 'FFBDBDBD' } };

/**
 * Writes one sheet: a title row (organisation, ledger, version, period) merged across, the Chinese header row, both
 * frozen, column widths, dates formatted as dates; rows come from `rows`, committed one by one.
 */
async function writeWorkbook(
  title: string,
  sheetName: string,
  columns: readonly LedgerColumn[],
  rows: AsyncIterable<Cell[]>,
): Promise<{ bytes: Buffer; count: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '微心愿';
  wb.created = new Date();
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 2, xSplit: 0 }] });
  ws.columns = columns.map((c) => ({
    key: c.key,
    width: c.width,
    style:
      c.type === 'date'
        ? { numFmt: 'yyyy-mm-dd' }
        : c.type === 'percent'
          ? { numFmt: '0.0%' }
          : c.key === 'progress' || c.key === 'result'
            ? { alignment: { wrapText: true, vertical: 'top' } }
            : {},
  }));
  const titleRow = ws.addRow([title]);
  titleRow.height = 28;
  titleRow.getCell(1).font = { bold: true, size: 14 };
  titleRow.getCell(1).alignment = { vertical: 'middle', horizontal: 'left' };
  ws.mergeCells(1, 1, 1, columns.length);
  titleRow.commit();
  const header = ws.addRow(columns.map((c) => c.header));
  header.height = 20;
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF3E0D6' } };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
  });
  header.commit();
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: columns.length } };
  let count = 0;
  for await (const r of rows) {
    ws.addRow(r.map(cellValue)).commit();
    count++;
  }
  ws.commit();
  await wb.commit();
  await done;
  return { bytes: Buffer.concat(chunks), count };
}

/** Figures documents by _id, 100 ids a query, the queries in parallel (a 24-month ledger of a street with 30
 * communities reads 744 documents in 8 requests). Absent documents (nothing happened) are simply not in the map. */
async function figureDocs(ids: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 100) chunks.push(ids.slice(i, i + 100));
  const pages = await Promise.all(chunks.map((c) => figuresByIds(c, c.length)));
  return new Map(pages.flatMap((p) => p.map((d) => [d._id, d.f ?? {}] as const)));
}

export async function exportLedger(event: ExportLedgerInput, actor: Actor, own: OrgDoc, now: Date): Promise<LedgerFile> {
  const subtree = await subtreeOf(own._id);
  const orgs = new Map<string, OrgDoc>([[own._id, own], ...subtree.map((o) => [o._id, o] as const)]);
  const scope = scopeIds(actor);
  const { start, end } = periodRange(event.from, event.to);
  const period = periodLabel(event.from, event.to);
  const kind = event.ledger;
  const title = `${own.name} ${LEDGER_TITLE[kind]}（${VERSION_LABEL[event.version]}） ${period}`;
  const nameOf = (id: string) => orgs.get(id)?.name ?? '';

  let rows: AsyncIterable<Cell[]>;
  if (kind === 'progress') {
    // The supervision figures of each unit and month, read by _id: (1 + children) × months documents, whatever the
    // number of wishes (docs/figures.md).
    const months = monthsBetween(event.from, event.to);
    const children = subtree.filter((o) => o.parentId === own._id).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    const stored = await figureDocs([own._id, ...children.map((o) => o._id)].flatMap((id) => months.map((m) => counterId(id, m))));
    const all = progressRows(
      { id: own._id, name: own.name },
      children.map((o) => ({ id: o._id, name: o.name })),
      months,
      (id, m) => stored.get(counterId(id, m)),
    );
    rows = (async function* () {
      yield* all;
    })();
  } else {
    rows = (async function* () {
      let seq = 0;
      if (kind === 'needs') {
        for await (const w of wishesCreatedIn(scope, start, end, NEEDS_FIELDS, LEDGER_PAGE))
          yield needsRow(++seq, w, nameOf(w.orgId), event.version);
      } else {
        for await (const w of wishesCreatedIn(scope, start, end, PROJECT_FIELDS, LEDGER_PAGE)) {
          if (w.track === 'common' || w.track === 'hard') yield projectRow(++seq, w, nameOf(w.orgId), event.version);
        }
      }
    })();
  }

  const { bytes, count } = await writeWorkbook(title, LEDGER_TITLE[kind], columnsOf(kind), rows);
  const stamp = chinaDate(now).replace(/-/g, '');
  const key = randomBytes(16).toString('hex');
  const fileName = `${own.name}${LEDGER_TITLE[kind]}${event.version === 'upward' ? '（报上级）' : ''}${event.from}至${event.to}.xlsx`;
  const cloudPath = `${LEDGER_DIR}/${stamp}/${key}.xlsx`;
  const up = await cloud().uploadFile({ cloudPath, fileContent: bytes });
  const fileId = (up as { fileID: string }).fileID;
  // Issued and never attached: the daily purge deletes it after a day (server/photos.ts deleteUnattached).
  await addFile({
    _id: key,
    path: cloudPath,
    fileId,
    owner: actor.id,
    purpose: 'ledger',
    wishId: null,
    state: 'issued',
    issuedAt: now.toISOString(),
  });
  const r = await cloud().getTempFileURL({ fileList: [{ fileID: fileId, maxAge: LEDGER_URL_SECONDS }] });
  const file = (r.fileList as Array<{ tempFileURL: string; code: string }>)[0];
  if (!file || file.code !== 'SUCCESS') throw new Error(`ledger ${fileId} stored but no URL: ${file?.code}`);
  return { url: file.tempFileURL, fileName, rows: count, maxAge: LEDGER_URL_SECONDS };
}

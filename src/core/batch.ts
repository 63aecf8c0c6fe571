/**
 * Batches in (issue 11): the import template and what one row of it means, pure (no exceljs, no storage, no
 * hashing). A row becomes the same event an organiser's `collect` takes and is checked by the same schema
 * (CollectEvent), so a wish entered in a batch is valid exactly when it would be valid typed in one by one.
 *
 * Not exported from the core's index: only the server and the import page's labels need it.
 */
import * as v from 'valibot';
import { fail, type Failure } from './errors';
import { normaliseCardNo } from './cards';
import { CollectEvent, Id, fieldIssues } from './validation';
import { CHANNELS, CHANNEL_LABEL, type Channel } from './wish';

/** The template's version: written in its title cell, checked on import. Bump it when the columns change.
 * Version 2 added the optional 心愿卡号 column; a version 1 file (without it) is still accepted. */
export const IMPORT_TEMPLATE_VERSION = 2;
export const ACCEPTED_TEMPLATE_VERSIONS: readonly number[] = [1, 2];
const TITLE_RE = /^微心愿批量导入模板（第\s*(\d+)\s*版）/;
export const importTitle = (version = IMPORT_TEMPLATE_VERSION) => `微心愿批量导入模板（第 ${version} 版）`;
export const IMPORT_SHEET = '心愿';
export const MAX_IMPORT_ROWS = 2000;
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
/** The most an import file may unpack to, all its parts together (the sheet's XML, the shared strings, styles …).
 * A zip compresses repeated XML a hundredfold and more: a 2 MB file can hold 385,000 rows, which the whole-workbook
 * load ran out of memory on. The largest file a full import needs is about 6 MB: 2,000 rows at every field's
 * longest (about 700 characters, 3 bytes each in UTF-8, some 2.1 KB) plus a cell's XML (about 50 bytes each, a dozen
 * cells), and the template's styles and help sheet. 16 MB leaves room for rows longer than allowed (refused one by
 * one in the report, not by the limit) and for other writers' markup (rich text runs), while what is read stays
 * small in a 512 MB instance. */
export const MAX_IMPORT_UNPACKED_BYTES = 16 * 1024 * 1024;
/** The first data row (row 1 is the title, row 2 the headers). */
export const FIRST_DATA_ROW = 3;

export type ImportField = 'contactName' | 'contactPhone' | 'address' | 'title' | 'content' | 'channel' | 'orgName' | 'cardNo';
export interface ImportColumn {
  header: string;
  field: ImportField;
  required: boolean;
  width: number;
  hint: string;
  /** The first template version with this column: an older file may lack it. */
  since?: number;
}
export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { header: '姓名', field: 'contactName', required: true, width: 10, hint: '居民姓名，最多 20 个字' },
  { header: '联系电话', field: 'contactPhone', required: true, width: 16, hint: '11 位手机号，或带区号的固定电话' },
  { header: '住址', field: 'address', required: true, width: 26, hint: '最多 100 个字' },
  { header: '心愿标题', field: 'title', required: true, width: 24, hint: '一句话说清楚，最多 40 个字' },
  { header: '心愿内容', field: 'content', required: true, width: 40, hint: '居民的原话，最多 500 个字' },
  { header: '收集渠道', field: 'channel', required: true, width: 12, hint: '心愿卡、心愿收集箱、心愿热线、上门走访、问卷调查、座谈会' },
  { header: '所属社区', field: 'orgName', required: false, width: 16, hint: '不填为本社区；可填下级网格或支部的名称' },
  {
    header: '心愿卡号',
    field: 'cardNo',
    required: false,
    width: 18,
    hint: '从心愿卡收回的心愿填卡上的卡号（如 7K3M-9QXA-2B4C），心愿就和这张卡关联；不填则不关联',
    since: 2,
  },
];
/** The column an annotated file of refused rows adds (the reasons): ignored when that file is imported again. */
export const NOTE_HEADER = '错误说明';

/** Channels a batch may carry (everything but `app`), by their Chinese label or their code. */
const IMPORT_CHANNELS = CHANNELS.filter((c) => c !== 'app') as Array<Exclude<Channel, 'app'>>;
export function channelOf(s: string): Exclude<Channel, 'app'> | null {
  const t = s.trim();
  return IMPORT_CHANNELS.find((c) => c === t || CHANNEL_LABEL[c] === t) ?? null;
}

const FileId = v.pipe(
  v.string('格式不对'),
  v.regex(/^cloud:\/\/[\w.-]{1,100}\/imports\/[0-9a-f]{16}\/[0-9a-f]{32}\.xlsx$/, '文件地址格式不对'),
);
export const ImportBatchEvent = v.variant(
  'mode',
  [
    v.object({ mode: v.literal('template') }),
    v.object({ mode: v.literal('upload') }),
    v.object({ mode: v.literal('import'), fileId: FileId, requestId: v.optional(Id) }),
  ],
  '请选择要做的事',
);
export type ImportBatchInput = v.InferOutput<typeof ImportBatchEvent>;

/** Where each template column sits in the uploaded sheet: checked against the title and header rows. */
export type ColumnMap = Map<ImportField, number>;

/** The template version named in the title cell, or null when the cell is not a template title at all. */
export function templateVersionOf(title: string): number | null {
  const m = TITLE_RE.exec(title.trim());
  return m ? Number(m[1]) : null;
}

/** Checks the title and header rows; answers where each column is, or the refusal (version, unknown or missing columns). */
export function readHeader(title: string, headers: readonly string[]): ColumnMap | Failure {
  const version = templateVersionOf(title);
  if (version === null || !ACCEPTED_TEMPLATE_VERSIONS.includes(version))
    return fail(
      'IMPORT.TEMPLATE_VERSION',
      version === null
        ? '第 1 行不是导入模板的标题，请下载导入模板填写'
        : `这是第 ${version} 版模板，现在用第 ${IMPORT_TEMPLATE_VERSION} 版，请下载最新的导入模板重新填写`,
    );
  const map: ColumnMap = new Map();
  const unknown: string[] = [];
  headers.forEach((h, i) => {
    const t = h.trim();
    if (!t || t === NOTE_HEADER) return;
    const col = IMPORT_COLUMNS.find((c) => c.header === t);
    if (!col || map.has(col.field)) unknown.push(t);
    else map.set(col.field, i);
  });
  if (unknown.length) return fail('IMPORT.UNKNOWN_COLUMN', `表格里有模板以外的列：${unknown.join('、')}。请用下载的模板填写`);
  // A column newer than the file's version may be absent (a version 1 file has no 心愿卡号).
  const missing = IMPORT_COLUMNS.filter((c) => !map.has(c.field) && !(c.since && version < c.since)).map((c) => c.header);
  if (missing.length) return fail('IMPORT.UNKNOWN_COLUMN', `表格缺少这些列：${missing.join('、')}。请用下载的模板填写`);
  return map;
}

export interface RowIssue {
  row: number;
  column: string;
  reason: string;
}

/** A row's values by field ('' when empty). */
export type RowValues = Record<ImportField, string>;

export function rowValues(cells: readonly string[], columns: ColumnMap): RowValues {
  const out = {} as RowValues;
  for (const c of IMPORT_COLUMNS) {
    const i = columns.get(c.field);
    out[c.field] = i === undefined ? '' : (cells[i] ?? '').trim();
  }
  return out;
}

export const isBlankRow = (values: RowValues) => Object.values(values).every((x) => !x);

const headerOf = (field: string): string => {
  const byField: Record<string, ImportField> = {
    contactName: 'contactName',
    contactPhone: 'contactPhone',
    address: 'address',
    title: 'title',
    content: 'content',
    channel: 'channel',
    orgId: 'orgName',
  };
  return IMPORT_COLUMNS.find((c) => c.field === byField[field])?.header ?? '';
};

/**
 * One row as the organiser's `collect` event, validated by CollectEvent; or its problems, each with its column.
 * `orgs`: the organisations the organiser may enter wishes for, by name (their own and their subtree); an empty
 * 所属社区 means `ownOrgId`.
 */
export function rowEvent(
  row: number,
  values: RowValues,
  orgs: ReadonlyMap<string, string>,
  ownOrgId: string,
): { ok: true; event: v.InferOutput<typeof CollectEvent>; cardNo: string | null } | { ok: false; issues: RowIssue[] } {
  const issues: RowIssue[] = [];
  const cardNo = values.cardNo ? normaliseCardNo(values.cardNo) : null;
  if (values.cardNo && !cardNo)
    issues.push({ row, column: '心愿卡号', reason: `“${values.cardNo}”不是心愿卡号：卡号是 12 位字母和数字，如 7K3M-9QXA-2B4C` });
  const channel = channelOf(values.channel);
  if (values.channel && !channel)
    issues.push({
      row,
      column: '收集渠道',
      reason: `没有“${values.channel}”这个渠道，请填写心愿卡、心愿收集箱、心愿热线、上门走访、问卷调查或座谈会`,
    });
  if (!values.channel) issues.push({ row, column: '收集渠道', reason: '不能为空' });
  const orgId = values.orgName ? orgs.get(values.orgName) : ownOrgId;
  if (!orgId) issues.push({ row, column: '所属社区', reason: `“${values.orgName}”不是本社区或下级组织的名称` });
  const event = {
    title: values.title,
    content: values.content,
    contactName: values.contactName,
    contactPhone: values.contactPhone,
    address: values.address,
    channel: channel ?? undefined,
    orgId: orgId ?? ownOrgId,
  };
  for (const [field, reason] of Object.entries(fieldIssues(CollectEvent, event))) {
    const column = headerOf(field);
    if (field === 'channel' || issues.some((i) => i.column === column)) continue;
    issues.push({ row, column, reason });
  }
  if (issues.length) return { ok: false, issues };
  const r = v.safeParse(CollectEvent, event);
  if (!r.success) return { ok: false, issues: [{ row, column: '', reason: r.issues[0].message }] };
  return { ok: true, event: r.output, cardNo };
}

/** What makes two rows the same wish for the idempotency key: the organisation and the row's normalised values. */
export function rowIdentity(orgId: string, e: v.InferOutput<typeof CollectEvent>): string {
  return ['import', orgId, e.contactName, e.contactPhone, e.address, e.title, e.content, e.channel ?? ''].join('\n');
}

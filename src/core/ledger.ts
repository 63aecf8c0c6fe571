/**
 * The three ledgers (台账, issue 11) as rows: pure, no exceljs and no storage. The server (server/ledger.ts)
 * pages through the wishes, turns each into a row here and writes the workbook. Which personal fields a
 * version carries is decided in privacy.ts (ledgerContact, ledgerTitle, ledgerNote, ledgerResult).
 *
 *   群众需求台账 needs:    one row per wish collected in the period.
 *   实事项目台账 projects: the common and hard wishes (organisation- or leader-led) collected in the period.
 *   进度台账 progress:     per child unit and month, the supervision figures (figures.ts, docs/figures.md) of that
 *                          month: read from the `figures` documents, never from the wishes.
 *
 * Not exported from the core's index: the pages never need it (it would only weigh on the main package).
 */
import * as v from 'valibot';
import { chinaDate, chinaPeriod } from './dates';
import { flowFigures } from './figures';
import { ledgerContact, ledgerNote, ledgerResult, ledgerTitle, maskPersonal, LEDGER_VERSIONS, type LedgerVersion } from './privacy';
import { Id } from './validation';
import { CHANNEL_LABEL, SATISFACTION_LABEL, STATUS_LABEL, TRACK_LABEL, claimerLabel, type Wish } from './wish';

const RequestId = v.optional(Id);

export const LEDGER_KINDS = ['needs', 'projects', 'progress'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
export const LEDGER_TITLE: Record<LedgerKind, string> = { needs: '群众需求台账', projects: '实事项目台账', progress: '进度台账' };
export const VERSION_LABEL: Record<LedgerVersion, string> = { own: '本级留存', upward: '报上级' };
/** The longest period one export covers. */
export const MAX_LEDGER_MONTHS = 24;

const Month = v.pipe(v.string('请选择月份'), v.regex(/^\d{4}-(0[1-9]|1[0-2])$/, '请选择正确的月份（年-月）'));

/** Months from `from` to `to` inclusive, both YYYY-MM. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (out.length > MAX_LEDGER_MONTHS) break;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export const ExportLedgerEvent = v.pipe(
  v.object({
    ledger: v.picklist(LEDGER_KINDS, '请选择台账'),
    version: v.picklist(LEDGER_VERSIONS, '请选择版本'),
    from: Month,
    to: Month,
    requestId: RequestId,
  }),
  v.check((e) => e.from <= e.to, '开始月份不能晚于结束月份'),
  v.check((e) => monthsBetween(e.from, e.to).length <= MAX_LEDGER_MONTHS, `一次最多导出 ${MAX_LEDGER_MONTHS} 个月`),
);
export type ExportLedgerInput = v.InferOutput<typeof ExportLedgerEvent>;

/** The period as UTC instants: from the first moment of `from` to the first moment after `to`, China time. */
export function periodRange(from: string, to: string): { start: string; end: string } {
  return { start: chinaPeriod(from).from, end: chinaPeriod(to).to };
}

/** "2026年1月—2026年12月", or "2026年3月" for one month. */
export function periodLabel(from: string, to: string): string {
  const f = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`;
  return from === to ? f(from) : `${f(from)}—${f(to)}`;
}

/** A cell: text, a number, a calendar day (written as a real date), or empty. */
export type Cell = string | number | { day: string } | null;
export interface LedgerColumn {
  key: string;
  header: string;
  width: number;
  type: 'text' | 'number' | 'date' | 'percent';
}

const col = (key: string, header: string, width: number, type: LedgerColumn['type'] = 'text'): LedgerColumn => ({
  key,
  header,
  width,
  type,
});

export const NEEDS_COLUMNS: readonly LedgerColumn[] = [
  col('seq', '序号', 6, 'number'),
  col('wishNo', '心愿编号', 11),
  col('id', '编号', 34),
  col('createdAt', '收集日期', 12, 'date'),
  col('channel', '收集渠道', 11),
  col('org', '所属社区', 16),
  col('category', '类别', 10),
  col('track', '办理方式', 20),
  col('title', '心愿', 24),
  col('summary', '公开摘要', 30),
  col('name', '姓名', 10),
  col('phone', '联系电话', 15),
  col('address', '住址', 24),
  col('status', '状态', 10),
  col('holder', '认领人/领办单位', 22),
  col('promisedBy', '承诺办结日期', 13, 'date'),
  col('fulfilledAt', '落实日期', 12, 'date'),
  col('satisfaction', '满意度', 10),
  col('closedAt', '销号日期', 12, 'date'),
];

export const PROJECT_COLUMNS: readonly LedgerColumn[] = [
  col('seq', '序号', 6, 'number'),
  col('wishNo', '心愿编号', 11),
  col('id', '编号', 34),
  col('createdAt', '收集日期', 12, 'date'),
  col('org', '所属社区', 16),
  col('category', '类别', 10),
  col('track', '办理方式', 20),
  col('title', '事项', 24),
  col('summary', '公开摘要', 30),
  col('assignee', '领办单位/领导', 20),
  col('promisedBy', '承诺办结日期', 13, 'date'),
  col('progress', '进展情况', 40),
  col('result', '办理结果', 30),
  col('status', '状态', 10),
  col('satisfaction', '满意度', 10),
  col('closedAt', '销号日期', 12, 'date'),
];

/** 进度台账: the month's flows of docs/figures.md for a unit's whole subtree (本级: its own organisation only). */
export const PROGRESS_COLUMNS: readonly LedgerColumn[] = [
  col('unit', '单位', 18),
  col('month', '月份', 10),
  col('collected', '收集', 8, 'number'),
  col('registered', '受理', 8, 'number'),
  col('published', '发布', 8, 'number'),
  col('claimed', '领办', 8, 'number'),
  col('fulfilled', '落实', 8, 'number'),
  col('onTime', '按时落实', 10, 'number'),
  col('onTimeRate', '按时落实率', 11, 'percent'),
  col('feedback', '反馈', 8, 'number'),
  col('satisfactionRate', '满意率', 10, 'percent'),
  col('closed', '销号', 8, 'number'),
  col('medianDays', '办结用时中位数（天）', 12, 'number'),
  col('rejected', '未受理', 8, 'number'),
  col('deferred', '暂缓', 8, 'number'),
  col('withdrawn', '撤回', 8, 'number'),
];

export function columnsOf(kind: LedgerKind): readonly LedgerColumn[] {
  return kind === 'needs' ? NEEDS_COLUMNS : kind === 'projects' ? PROJECT_COLUMNS : PROGRESS_COLUMNS;
}

const dayOf = (iso: string | null | undefined): Cell => (iso ? { day: chinaDate(new Date(iso)) } : null);
const promised = (w: Pick<Wish, 'claim'>): Cell => (w.claim?.promisedBy ? { day: w.claim.promisedBy } : null);
const satisfaction = (w: Pick<Wish, 'feedback'>): string => (w.feedback ? (SATISFACTION_LABEL[w.feedback.satisfaction] ?? '') : '');

/** Who holds the wish: the member (name and branch), or the organisation or leader it was assigned to. */
export function holderOf(w: Pick<Wish, 'claim'>): string {
  if (!w.claim) return '';
  if (w.claim.kind === 'member') return claimerLabel(w.claim.member) || '党员';
  return `${w.claim.kind === 'leader' ? '领导' : '单位'}：${w.claim.assignee ?? ''}`;
}

/** The wish fields the needs ledger reads (the database projection: no content, no timeline). */
export const NEEDS_FIELDS = [
  '_id',
  'wishNo',
  'createdAt',
  'channel',
  'orgId',
  'category',
  'track',
  'title',
  'publicTitle',
  'summary',
  'contact',
  'status',
  'claim',
  'fulfilment',
  'feedback',
  'closedAt',
] as const;
/** The projects ledger also reads the timeline (progress notes). */
export const PROJECT_FIELDS = [...NEEDS_FIELDS, 'timeline'] as const;

type NeedsWish = Pick<Wish, (typeof NEEDS_FIELDS)[number]>;

/** A free-text cell as a version shows it: as stored in the organiser's own copy; upwards (报上级), with personal data
 * typed into it masked (privacy.ts maskPersonal: phones, ID numbers, house numbers, the wish's own name and address). */
const freeText = (t: string, w: Pick<Wish, 'contact'>, version: LedgerVersion) => (version === 'own' ? t : maskPersonal(t, w.contact));

export function needsRow(seq: number, w: NeedsWish, orgName: string, version: LedgerVersion): Cell[] {
  const c = ledgerContact(w, version);
  const f = (t: string) => freeText(t, w, version);
  return [
    seq,
    w.wishNo ?? '',
    w._id,
    dayOf(w.createdAt),
    CHANNEL_LABEL[w.channel] ?? w.channel,
    orgName,
    f(w.category ?? ''),
    w.track ? TRACK_LABEL[w.track] : '',
    f(ledgerTitle(w, version)),
    f(w.summary ?? ''),
    c.name,
    c.phone,
    c.address,
    STATUS_LABEL[w.status] ?? w.status,
    f(holderOf(w)),
    promised(w),
    dayOf(w.fulfilment?.at),
    satisfaction(w),
    dayOf(w.closedAt),
  ];
}

/** Progress notes of a wish, one line each with its day: "11月3日 进展：…" (words per version, privacy.ts). */
export function progressNotes(w: Pick<Wish, 'timeline'>, version: LedgerVersion): string {
  return (w.timeline ?? [])
    .filter((e) => e.action === 'progress')
    .map((e) => {
      const d = chinaDate(new Date(e.at));
      return `${Number(d.slice(5, 7))}月${Number(d.slice(8))}日 ${ledgerNote(e, version)}`;
    })
    .join('\n');
}

export function projectRow(seq: number, w: NeedsWish & Pick<Wish, 'timeline'>, orgName: string, version: LedgerVersion): Cell[] {
  const f = (t: string) => freeText(t, w, version);
  return [
    seq,
    w.wishNo ?? '',
    w._id,
    dayOf(w.createdAt),
    orgName,
    f(w.category ?? ''),
    w.track ? TRACK_LABEL[w.track] : '',
    f(ledgerTitle(w, version)),
    f(w.summary ?? ''),
    f(w.claim && w.claim.kind !== 'member' ? holderOf(w) : ''),
    promised(w),
    f(progressNotes(w, version)),
    f(ledgerResult(w, version)),
    STATUS_LABEL[w.status] ?? w.status,
    satisfaction(w),
    dayOf(w.closedAt),
  ];
}

/** One row of the progress ledger from a month's figures document (`f`, absent: nothing happened). */
export function progressRow(unit: string, month: string, f: Record<string, number> | undefined): Cell[] {
  const x = flowFigures(f);
  return [
    unit,
    month,
    x.counts.collected,
    x.counts.registered,
    x.counts.published,
    x.counts.claimed,
    x.counts.fulfilled,
    x.onTime.num,
    x.onTime.rate,
    x.counts.feedback,
    x.satisfaction.rate,
    x.counts.closed,
    x.medianDays.total,
    x.counts.rejected,
    x.counts.deferred,
    x.counts.withdrawn,
  ];
}

/** `whole` minus each of `parts`, figure by figure: the organisation's own share of its subtree's figures (every
 * figure is a count, day histograms included, so the difference is itself a figures document). */
export function minusFigures(
  whole: Record<string, number> | undefined,
  parts: ReadonlyArray<Record<string, number> | undefined>,
): Record<string, number> {
  const out: Record<string, number> = { ...(whole ?? {}) };
  for (const p of parts) for (const [k, n] of Object.entries(p ?? {})) out[k] = (out[k] ?? 0) - n;
  return out;
}

/**
 * The progress ledger's rows: for each month, the organiser's own organisation (本级: its subtree's figures minus its
 * children's), then each child unit (its whole subtree), in the order given; then a 合计 row per month (the
 * organisation's whole subtree). `figures(orgId, month)` is the `figures` document `<orgId>|<month>`.
 */
export function progressRows(
  own: { id: string; name: string },
  children: ReadonlyArray<{ id: string; name: string }>,
  months: readonly string[],
  figures: (orgId: string, month: string) => Record<string, number> | undefined,
): Cell[][] {
  const out: Cell[][] = [];
  for (const m of months)
    out.push(
      progressRow(
        `${own.name}（本级）`,
        m,
        minusFigures(
          figures(own.id, m),
          children.map((c) => figures(c.id, m)),
        ),
      ),
    );
  for (const c of children) for (const m of months) out.push(progressRow(c.name, m, figures(c.id, m)));
  for (const m of months) out.push(progressRow('合计', m, figures(own.id, m)));
  return out;
}

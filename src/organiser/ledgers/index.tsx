/**
 * 导出台账 (issue 11): the organiser chooses a ledger (群众需求台账, 实事项目台账, 进度台账), a version (本级留存 with
 * the residents' contact, or 报上级 with names and phones masked) and a period of months, and the `exportLedger`
 * function makes the .xlsx. In the mini-program it opens with wx.openDocument (its menu forwards it in a chat); in H5
 * it downloads. The link lasts 10 minutes; the file is deleted after a day.
 *
 * 批量导入: download the template, fill it (or collect hotline rows in it), choose the filled file (weapp: from a chat
 * with wx.chooseMessageFile; H5: a file input) and `importBatch` enters the valid rows as collected wishes. The page
 * shows the counts and each refused row (row, column, reason); the refused rows come back as a file to fix and import
 * again — rows already entered are never entered twice.
 */
import '../organiser.css';
import { useState } from 'react';
import { Button, Picker, Text, View } from '@tarojs/components';
import { Chips } from '@/components/Chips';
import { Frame } from '@/components/Frame';
import { FormError } from '@/components/Field';
import { call, messageOf, openDocument, uploadSpreadsheet } from '@/services/gateway';
import { chooseSpreadsheet } from '../sheets';
import { chinaMonth } from '@/core';

type Kind = 'needs' | 'projects' | 'progress';
type Version = 'own' | 'upward';

const KINDS: { value: Kind; label: string; hint: string }[] = [
  { value: 'needs', label: '群众需求台账', hint: '每个心愿一行：来源、类别、状态、认领人、承诺和落实日期、满意度。' },
  { value: 'projects', label: '实事项目台账', hint: '共性问题和老大难问题：领办单位或领导、承诺日期、进展、结果。' },
  { value: 'progress', label: '进度台账', hint: '每个下级单位每个月收集的心愿，按当前状态计数。' },
];
const VERSIONS: { value: Version; label: string; hint: string }[] = [
  { value: 'own', label: '本级留存', hint: '含居民姓名、电话、住址，只在本社区内部使用，不要外传。' },
  { value: 'upward', label: '报上级', hint: '姓名只留姓（王某），电话中间四位隐去，不含住址和办理人的原话，可以报送街道。' },
];

export interface LedgerFile {
  url: string;
  fileName: string;
  rows: number;
  maxAge: number;
}

interface RowIssue {
  row: number;
  column: string;
  reason: string;
}
export interface ImportReport {
  total: number;
  created: number;
  held: number;
  duplicates: number;
  invalid: number;
  rows: Array<{ row: number; status: 'invalid' | 'duplicate' | 'created'; issues?: RowIssue[]; sameAs?: number }>;
  errorsFile: LedgerFile | null;
}
/** Refused rows shown on the page; the rest are in the errors file. */
const SHOWN_ISSUES = 50;

const monthLabel = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`;

export default function LedgerExport() {
  const now = chinaMonth(new Date());
  const [kind, setKind] = useState<Kind>('needs');
  const [version, setVersion] = useState<Version>('upward');
  const [from, setFrom] = useState(`${now.slice(0, 4)}-01`);
  const [to, setTo] = useState(now);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [file, setFile] = useState<LedgerFile | null>(null);

  const [importing, setImporting] = useState(false);
  const [importError, setImportError] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);

  const open = async (f: LedgerFile) => {
    try {
      await openDocument(f.url, f.fileName);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const submit = async () => {
    if (busy) return;
    if (from > to) return setError('开始月份不能晚于结束月份。');
    setBusy(true);
    setError('');
    setFile(null);
    try {
      const f = await call<LedgerFile>('exportLedger', { ledger: kind, version, from, to });
      setFile(f);
      await open(f);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const template = async () => {
    setImportError('');
    try {
      const t = await call<LedgerFile>('importBatch', { mode: 'template' });
      await openDocument(t.url, t.fileName);
    } catch (e) {
      setImportError(messageOf(e));
    }
  };

  const importFile = async () => {
    if (importing) return;
    setImportError('');
    const chosen = chooseSpreadsheet(); // first, inside the tap (H5 opens a file dialog only from a user's tap)
    setImporting(true);
    try {
      const file = await chosen;
      if (!file) return;
      if (!/\.xlsx$/i.test(file.name)) return setImportError('请选择 Excel 表格（.xlsx）文件。');
      if (file.size > 2 * 1024 * 1024) return setImportError('文件太大了，一次最多 2 MB，请分成几个文件导入。');
      setReport(null);
      const { fileID } = await uploadSpreadsheet(file.path);
      setReport(await call<ImportReport>('importBatch', { mode: 'import', fileId: fileID }));
    } catch (e) {
      setImportError(messageOf(e));
    } finally {
      setImporting(false);
    }
  };

  const issues = (report?.rows ?? []).flatMap((r) => (r.status === 'invalid' ? (r.issues ?? []) : []));
  /** Which row was the duplicate of which: an earlier row of this file, or a wish entered before. */
  const duplicates = (report?.rows ?? []).flatMap((r) =>
    r.status === 'duplicate' ? [{ row: r.row, sameAs: 'sameAs' in r ? r.sameAs : undefined }] : [],
  );

  return (
    <Frame className="ledger-export">
      <View className="card">
        <Text className="field-label">台账</Text>
        <Chips options={KINDS} value={kind} onChange={setKind} className="ledger-kinds" />
        <Text className="field-hint">{KINDS.find((k) => k.value === kind)!.hint}</Text>
      </View>
      <View className="card">
        <Text className="field-label">版本</Text>
        <Chips options={VERSIONS} value={version} onChange={setVersion} className="ledger-versions" />
        <Text className="field-hint">{VERSIONS.find((v) => v.value === version)!.hint}</Text>
      </View>
      <View className="card ledger-period">
        <Text className="field-label">时间段（按收集月份）</Text>
        <View className="btn-row">
          <Picker
            mode="date"
            fields="month"
            className="ledger-from"
            value={from}
            end={now}
            onChange={(e) => setFrom(String(e.detail.value).slice(0, 7))}
          >
            <Text className="date-value">从 {monthLabel(from)} ▾</Text>
          </Picker>
          <Picker
            mode="date"
            fields="month"
            className="ledger-to"
            value={to}
            end={now}
            onChange={(e) => setTo(String(e.detail.value).slice(0, 7))}
          >
            <Text className="date-value">到 {monthLabel(to)} ▾</Text>
          </Picker>
        </View>
      </View>
      <FormError message={error} />
      <Button className="btn btn-primary btn-export" loading={busy} disabled={busy} onClick={() => void submit()}>
        {busy ? '正在生成…' : '生成并下载'}
      </Button>
      {file ? (
        <View className="card ledger-done">
          <Text className="card-line">
            已生成《{file.fileName}》，共 {file.rows} 行。
          </Text>
          <Text className="field-hint">下载链接 {Math.round(file.maxAge / 60)} 分钟内有效；文件一天后自动删除。</Text>
          <Button className="btn btn-quiet btn-open-ledger" onClick={() => void open(file)}>
            再次打开
          </Button>
        </View>
      ) : null}

      <View className="card ledger-import">
        <Text className="card-title">批量导入心愿</Text>
        <Text className="field-hint">心愿卡、热线记录先填进导入模板，再一次导入。同一行导入两次不会重复录入。</Text>
        <View className="btn-row">
          <Button className="btn btn-quiet btn-template" onClick={() => void template()}>
            下载导入模板
          </Button>
          <Button className="btn btn-primary btn-import" loading={importing} disabled={importing} onClick={() => void importFile()}>
            {importing ? '正在导入…' : '选择文件并导入'}
          </Button>
        </View>
        <FormError message={importError} />
        {report ? (
          <View className="import-report">
            <Text className="card-line import-counts">
              共 {report.total} 行：新录入 {report.created} 条{report.held ? `（其中 ${report.held} 条等待内容审核）` : ''}，已录入过{' '}
              {report.duplicates} 条，未通过 {report.invalid} 条。
            </Text>
            {duplicates.map((d) => (
              <Text key={`dup-${d.row}`} className="card-line import-duplicate">
                {d.sameAs
                  ? `第 ${d.row} 行与第 ${d.sameAs} 行是同一个心愿，只录入一次。`
                  : `第 ${d.row} 行之前已经录入过，这次没有再录入。`}
              </Text>
            ))}
            {issues.slice(0, SHOWN_ISSUES).map((i) => (
              <Text key={`${i.row}-${i.column}`} className="card-line import-issue">
                第 {i.row} 行{i.column ? `「${i.column}」` : ''}：{i.reason}
              </Text>
            ))}
            {issues.length > SHOWN_ISSUES ? (
              <Text className="field-hint">还有 {issues.length - SHOWN_ISSUES} 条，见下载的文件。</Text>
            ) : null}
            {report.errorsFile ? (
              <Button className="btn btn-quiet btn-errors" onClick={() => void open(report.errorsFile!)}>
                下载未通过的行（改好后可再次导入）
              </Button>
            ) : null}
          </View>
        ) : null}
      </View>
    </Frame>
  );
}

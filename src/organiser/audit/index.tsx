/**
 * 操作日志 (`auditLog`, newest first, 20 a page): who did what, when, in plain words — the person's name and role,
 * the wish's title. Each entry is one privileged action in the organiser's organisation or below: lifecycle
 * actions, showing a resident's contact (查看联系方式), invitations, confirming members, moderation, appointments,
 * purges. Filter by action (chips), by person or by wish (tap the name or the title); repeated views of the
 * same wish by the same person in a row read as one line (“查看了 3 次”).
 */
import '../organiser.css';
import { useMemo, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { ACTION_LABEL, STATUS_LABEL, type Status } from '@/core';
import { Chips } from '@/components/Chips';
import { Frame } from '@/components/Frame';
import { PagedListState } from '@/components/ListState';
import { formatWhen } from '@/components/format';
import { usePagedPage } from '@/components/usePaged';

export interface AuditEntry {
  _id?: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  actorName?: string | null;
  wishTitle?: string | null;
  /** The wish's personal data was erased at the end of its retention period (its `purgedAt`). */
  wishPurged?: boolean;
  action: string;
  target: { kind: string; id: string };
  before: unknown;
  after: unknown;
}

const ROLE: Record<string, string> = { organiser: '社区工作人员', member: '党员', resident: '居民', system: '系统' };

const TRUST_ACTION: Record<string, string> = {
  reveal: '查看了居民的联系方式',
  invite: '生成了党员邀请码',
  confirmMember: '确认了党员身份',
  refuseMember: '拒绝了党员申请',
  removeMember: '移出了党员',
  appoint: '任命了组织工作人员',
  'moderate.approve': '内容审核：通过',
  'moderate.reject': '内容审核：不通过',
  purge: '按保存期限删除了个人信息',
  bootstrap: '初始化了组织',
  mediaCheck: '删除了未通过检测的照片',
  exportLedger: '导出了台账',
  importBatch: '批量导入了心愿',
  issueCards: '印制了心愿卡',
  linkCard: '收回了心愿卡',
  issueReceipt: '打印了回执',
  reissuePin: '重新生成了查询码',
  nudge: '催办了党员',
  collect: '录入了心愿',
};
/** An action no label names yet reads as “做了一项操作”, never as its code name. */
const UNKNOWN_ACTION = '做了一项操作';

type ActionFilter = 'all' | 'reveal' | 'register' | 'publish' | 'closeOut' | 'members';
const ACTION_FILTERS: { value: ActionFilter; label: string; action?: string }[] = [
  { value: 'all', label: '全部' },
  { value: 'reveal', label: '查看联系方式', action: 'reveal' },
  { value: 'register', label: '登记', action: 'register' },
  { value: 'publish', label: '发布', action: 'publish' },
  { value: 'closeOut', label: '销号', action: 'closeOut' },
  { value: 'members', label: '确认党员', action: 'confirmMember' },
];

function field(v: unknown, key: string): string {
  const x = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return typeof x === 'string' ? x : '';
}

/** “陈静（社区工作人员）”, or the role alone when the person's record is gone. */
function personOf(e: AuditEntry, myId?: string): string {
  if (!e.actorRole) return '系统（定时任务）';
  const role = ROLE[e.actorRole] ?? e.actorRole;
  const name = e.actorName ? `${e.actorName}（${role}）` : role;
  return e.actorId && e.actorId === myId ? `我（${name}）` : name;
}

/** One entry as a sentence an organiser reads aloud: [who, what, detail]. */
export function describeAudit(e: AuditEntry, myId?: string): { who: string; what: string; detail: string } {
  const who = personOf(e, myId);
  const what = TRUST_ACTION[e.action] ?? (ACTION_LABEL as Record<string, string>)[e.action] ?? UNKNOWN_ACTION;
  let detail = '';
  if (e.action === 'confirmMember' || e.action === 'appoint' || e.action === 'removeMember')
    detail = field(e.after, 'name') || field(e.before, 'name') ? `党员：${field(e.after, 'name') || field(e.before, 'name')}` : '';
  else if (e.action === 'invite') detail = `邀请码 ${e.target.id}`;
  else if (e.target.kind === 'wish') {
    const status = field(e.after, 'status') as Status;
    const note = field(e.after, 'note');
    const state = status && STATUS_LABEL[status] ? `，现为“${STATUS_LABEL[status]}”` : '';
    // A purged wish's title reads “（已删除）” (erasedFields); a wish the log cannot find is named as such, not as purged.
    const wish = e.wishPurged ? '心愿（个人信息已按保存期限删除）' : e.wishTitle ? `心愿“${e.wishTitle}”` : '心愿（找不到这个心愿）';
    detail = [`${wish}${state}`, note].filter(Boolean).join('：');
  }
  return { who, what, detail };
}

/** Consecutive views of the same wish by the same person become one row with a count. */
export function groupViews(entries: AuditEntry[]): Array<{ entry: AuditEntry; times: number; first: string }> {
  const out: Array<{ entry: AuditEntry; times: number; first: string }> = [];
  for (const e of entries) {
    const prev = out[out.length - 1];
    if (
      prev &&
      e.action === 'reveal' &&
      prev.entry.action === 'reveal' &&
      prev.entry.actorId === e.actorId &&
      prev.entry.target.id === e.target.id
    ) {
      prev.times++;
      prev.first = e.at; // newest first: this one is earlier
    } else out.push({ entry: e, times: 1, first: e.at });
  }
  return out;
}

type Pick_ = { kind: 'person'; id: string; label: string } | { kind: 'wish'; id: string; label: string } | null;

export default function Audit() {
  const [action, setAction] = useState<ActionFilter>('all');
  const [picked, setPicked] = useState<Pick_>(null);
  const params = useMemo(
    () => ({
      limit: 20,
      ...(ACTION_FILTERS.find((f) => f.value === action)?.action
        ? { ofAction: ACTION_FILTERS.find((f) => f.value === action)!.action }
        : {}),
      ...(picked?.kind === 'person' ? { actorId: picked.id } : {}),
      ...(picked?.kind === 'wish' ? { wishId: picked.id } : {}),
    }),
    [action, picked],
  );
  const list = usePagedPage<AuditEntry>('auditLog', params);
  const rows = groupViews(list.items);
  return (
    <Frame className="audit">
      <View className="audit-filters">
        <Chips options={ACTION_FILTERS} value={action} onChange={setAction} className="audit-actions" />
        {picked ? (
          <View className="card audit-picked">
            <Text className="card-line">
              只看{picked.kind === 'person' ? '' : '心愿'}“{picked.label}”的记录
            </Text>
            <Button className="btn btn-quiet btn-clear-filter" onClick={() => setPicked(null)}>
              看全部人和心愿
            </Button>
          </View>
        ) : (
          <Text className="field-hint">点人名只看这个人的记录，点心愿标题只看这个心愿的记录。</Text>
        )}
      </View>
      {rows.map(({ entry: e, times, first }, i) => {
        const d = describeAudit(e);
        return (
          <View key={e._id ?? `${e.at}-${i}`} className={`card audit-entry audit-${e.action.replace('.', '-')}`}>
            <Text className="card-line muted">
              {times > 1 && formatWhen(first) !== formatWhen(e.at) ? `${formatWhen(first)} 至 ${formatWhen(e.at)}` : formatWhen(e.at)}
            </Text>
            <View className="card-title">
              <Text
                className={e.actorId ? 'audit-who audit-link' : 'audit-who'}
                onClick={() => e.actorId && setPicked({ kind: 'person', id: e.actorId, label: e.actorName || d.who })}
              >
                {d.who}
              </Text>
              <Text> {d.what}</Text>
              {times > 1 ? <Text className="badge audit-times">{`共 ${times} 次`}</Text> : null}
            </View>
            {d.detail ? (
              <Text
                className={e.target.kind === 'wish' ? 'card-line audit-wish audit-link' : 'card-line'}
                onClick={() => e.target.kind === 'wish' && setPicked({ kind: 'wish', id: e.target.id, label: e.wishTitle || '这个心愿' })}
              >
                {d.detail}
              </Text>
            ) : null}
          </View>
        );
      })}
      <PagedListState list={list} emptyText={picked || action !== 'all' ? '没有符合筛选的记录。' : '还没有操作记录。'} />
    </Frame>
  );
}

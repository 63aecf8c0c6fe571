/**
 * 操作日志 (`auditLog`, newest first, 20 a page): who did what, when, in plain words. Each entry is one
 * privileged action in the organiser's organisation or below: lifecycle actions, showing a resident's
 * contact (查看联系方式), invitations, confirming members, moderation, appointments, purges.
 */
import { Text, View } from '@tarojs/components';
import { ACTION_LABEL, STATUS_LABEL, type Status } from '@/core';
import { Frame } from '@/components/Frame';
import { PagedListState } from '@/components/ListState';
import { formatWhen } from '@/components/format';
import { usePagedPage } from '@/components/usePaged';

export interface AuditEntry {
  _id?: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  target: { kind: string; id: string };
  before: unknown;
  after: unknown;
}

const PAGE = { limit: 20 };

const WHO: Record<string, string> = { organiser: '社区工作人员', member: '党员', resident: '居民' };

const TRUST_ACTION: Record<string, string> = {
  reveal: '查看了居民的联系方式',
  invite: '生成了党员邀请码',
  confirmMember: '确认了党员身份',
  refuseMember: '拒绝了党员申请',
  appoint: '任命了组织工作人员',
  'moderate.approve': '内容审核：通过',
  'moderate.reject': '内容审核：不通过',
  purge: '按保存期限删除了个人信息',
  bootstrap: '初始化了组织',
};

function field(v: unknown, key: string): string {
  const x = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return typeof x === 'string' ? x : '';
}

/** One entry as a sentence an organiser reads aloud: [who, what, detail]. */
export function describeAudit(e: AuditEntry, myId?: string): { who: string; what: string; detail: string } {
  const who = e.actorId && e.actorId === myId ? '我' : e.actorRole ? (WHO[e.actorRole] ?? e.actorRole) : '系统（定时任务）';
  const what = TRUST_ACTION[e.action] ?? (ACTION_LABEL as Record<string, string>)[e.action] ?? e.action;
  let detail = '';
  if (e.action === 'confirmMember' || e.action === 'appoint') detail = field(e.after, 'name') ? `党员：${field(e.after, 'name')}` : '';
  else if (e.action === 'invite') detail = `邀请码 ${e.target.id}`;
  else if (e.target.kind === 'wish') {
    const status = field(e.after, 'status') as Status;
    const note = field(e.after, 'note');
    const state = status && STATUS_LABEL[status] ? `，现为“${STATUS_LABEL[status]}”` : '';
    detail = [`心愿(编号尾号 ${e.target.id.slice(-6)})${state}`, note].filter(Boolean).join('：');
  }
  return { who, what, detail };
}

export default function Audit() {
  const list = usePagedPage<AuditEntry>('auditLog', PAGE);
  return (
    <Frame className="audit">
      {list.items.map((e, i) => {
        const d = describeAudit(e);
        return (
          <View key={e._id ?? `${e.at}-${i}`} className={`card audit-entry audit-${e.action.replace('.', '-')}`}>
            <Text className="card-line muted">{formatWhen(e.at)}</Text>
            <Text className="card-title">
              {d.who} {d.what}
            </Text>
            {d.detail ? <Text className="card-line">{d.detail}</Text> : null}
          </View>
        );
      })}
      <PagedListState
        list={list}
        emptyText="还没有操作记录。"
      />
    </Frame>
  );
}

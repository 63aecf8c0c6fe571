/**
 * The content-check port. Every user text (and photo) passes here before it is stored.
 *
 * One adapter, the platform's: WeChat's content security API called through the SDK's cloud-call
 * (`app.callWxOpenApi`, wire action `wx.api`): `security.msgSecCheck` v2 for text, `security.mediaCheckAsync`
 * v2 for photos. On CloudBase the platform answers; locally the local cloud answers the same wire action
 * from a keyword list (localcloud/contentcheck.ts). Verdicts: `pass`, `review` (a person must look),
 * `risky` (refused). A check that fails (error, timeout, odd answer) counts as `review`: nothing is
 * published automatically without a clean answer.
 */
import { cloud } from './cloud';

export type Verdict = 'pass' | 'review' | 'risky';
export interface CheckResult {
  verdict: Verdict;
  label: number | null; // WeChat's label (100 normal, 20001 politics, 20006 illegal, …)
  failed: boolean; // the check itself failed; verdict is then 'review'
}

/** A submitted photo check: WeChat's `trace_id`, which its later verdict push carries (server/mediaChecks.ts). */
export interface MediaSubmission extends CheckResult {
  traces: Array<{ fileId: string; traceId: string }>;
}

export interface ContentCheck {
  text(content: string, openid: string, scene: Scene): Promise<CheckResult>;
  media(fileIds: string[], openid: string, scene: Scene): Promise<MediaSubmission>;
}

/** msgSecCheck scenes: 1 资料, 2 评论, 3 论坛, 4 社交日志. */
export type Scene = 1 | 2 | 3 | 4;

const FAILED: CheckResult = { verdict: 'review', label: null, failed: true };

async function wxApi(apiName: string, requestData: Record<string, unknown>): Promise<Record<string, unknown> | null> {
  try {
    const r = (await cloud().callWxOpenApi({ apiName, requestData })) as { code?: string; result?: unknown };
    if (r.code || typeof r.result !== 'object' || r.result === null) return null;
    return r.result as Record<string, unknown>;
  } catch (e) {
    console.error(`[contentCheck] ${apiName} failed:`, (e as Error).message);
    return null;
  }
}

export const wechatContentCheck: ContentCheck = {
  async text(content, openid, scene) {
    if (!content.trim()) return { verdict: 'pass', label: null, failed: false };
    const r = await wxApi('security.msgSecCheck', { content, version: 2, scene, openid });
    const suggest = (r?.result as { suggest?: unknown; label?: unknown } | undefined)?.suggest;
    if (!r || r.errcode !== 0 || (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky')) return FAILED;
    const label = (r.result as { label?: unknown }).label;
    return { verdict: suggest, label: typeof label === 'number' ? label : null, failed: false };
  },
  /** mediaCheckAsync answers later (a `wxa_media_check` message push, handled by the mediaCheckResult
   * function); here we only submit and keep each photo's trace id. A photo is therefore never "pass" at once:
   * callers keep photos private, and record the traces once the wish is stored (server/mediaChecks.ts).
   * The HTTPS API answers `trace_id`; WeChat's forum reports `traceId` from the cloud call: either is read. */
  async media(fileIds, openid, scene) {
    if (!fileIds.length) return { verdict: 'pass', label: null, failed: false, traces: [] };
    const traces: MediaSubmission['traces'] = [];
    for (const media_url of fileIds) {
      const r = await wxApi('security.mediaCheckAsync', { media_url, media_type: 2, version: 2, scene, openid });
      const traceId = r?.trace_id ?? r?.traceId;
      if (!r || r.errcode !== 0 || typeof traceId !== 'string' || !traceId) return { ...FAILED, traces };
      traces.push({ fileId: media_url, traceId });
    }
    return { verdict: 'review', label: null, failed: false, traces };
  },
};

export const contentCheck: ContentCheck = wechatContentCheck;

/** The user texts of an event, by field name: everything a person typed that could be shown to others. */
export const TEXT_FIELDS = [
  'title',
  'content',
  'contactName',
  'address',
  'summary',
  'reason',
  'note',
  'comment',
  'assignee',
  'name',
] as const;

export function textsOf(event: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const f of TEXT_FIELDS) if (typeof event[f] === 'string' && event[f]) parts.push(event[f] as string);
  const sensitive = event.sensitive as Record<string, unknown> | undefined;
  if (sensitive && typeof sensitive === 'object') for (const v of Object.values(sensitive)) if (typeof v === 'string' && v) parts.push(v);
  return parts.join('\n');
}

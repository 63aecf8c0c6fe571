/**
 * The content-check port. Every user text (and photo) passes here before it is stored.
 *
 * One adapter, the platform's: WeChat's content security API called as a cloud call (云调用) through wx-server-sdk
 * (server/wx.ts): `security.msgSecCheck` v2 for text, `security.mediaCheckAsync` v2 for photos. On CloudBase the
 * platform answers; locally the local cloud answers the same wire (`wx.openApi`, protobuf) from a keyword list
 * (localcloud/contentcheck.ts). Verdicts: `pass`, `review` (a person must look), `risky` (refused). A check that
 * fails (error, timeout, odd answer) counts as `review`: nothing is published automatically without a clean answer.
 */
import { cloud } from './cloud';
import { wx, wxError } from './wx';

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

/** How long the photo's temporary URL lives: WeChat fetches it some time after mediaCheckAsync accepted it. */
export const MEDIA_URL_SECONDS = 3600;

/** One cloud call; its answer (camelCase, `errCode: 0`), or null when WeChat (or the call) failed: logged. */
async function wxApi(apiName: string, call: () => Promise<unknown>): Promise<Record<string, unknown> | null> {
  try {
    const r = await call();
    if (typeof r !== 'object' || r === null || (r as { errCode?: unknown }).errCode !== 0) return null;
    return r as Record<string, unknown>;
  } catch (e) {
    console.error(`[contentCheck] ${apiName} failed:`, wxError(e));
    return null;
  }
}

/** Temporary https URLs of stored files (getTempFileURL), by file id; a file without one is missing. */
async function mediaUrls(fileIds: string[]): Promise<Map<string, string>> {
  const r = (await cloud().getTempFileURL({ fileList: fileIds.map((fileID) => ({ fileID, maxAge: MEDIA_URL_SECONDS })) })) as {
    fileList?: Array<{ fileID?: string; tempFileURL?: string; code?: string }>;
  };
  const out = new Map<string, string>();
  for (const f of r.fileList ?? [])
    if (f.code === 'SUCCESS' && f.fileID && typeof f.tempFileURL === 'string' && /^https?:\/\//.test(f.tempFileURL))
      out.set(f.fileID, f.tempFileURL);
  return out;
}

export const wechatContentCheck: ContentCheck = {
  async text(content, openid, scene) {
    if (!content.trim()) return { verdict: 'pass', label: null, failed: false };
    const r = await wxApi('security.msgSecCheck', () => wx().openapi.security.msgSecCheck({ content, version: 2, scene, openid }));
    const result = r?.result as { suggest?: unknown; label?: unknown } | undefined;
    const suggest = result?.suggest;
    if (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky') return FAILED;
    return { verdict: suggest, label: typeof result!.label === 'number' ? result!.label : null, failed: false };
  },
  /** mediaCheckAsync answers later (a `wxa_media_check` message push, handled by the mediaCheckResult
   * function); here we only submit and keep each photo's trace id. A photo is therefore never "pass" at once:
   * callers keep photos private, and record the traces once the wish is stored (server/mediaChecks.ts).
   * WeChat fetches `media_url` itself, so it is the file's temporary https URL (getTempFileURL, an hour), never
   * the `cloud://` id. The SDK answers camelCase: `traceId`. */
  async media(fileIds, openid, scene) {
    if (!fileIds.length) return { verdict: 'pass', label: null, failed: false, traces: [] };
    const traces: MediaSubmission['traces'] = [];
    let urls: Map<string, string>;
    try {
      urls = await mediaUrls(fileIds);
    } catch (e) {
      console.error('[contentCheck] getTempFileURL failed:', wxError(e));
      return { ...FAILED, traces };
    }
    for (const fileId of fileIds) {
      const mediaUrl = urls.get(fileId);
      if (!mediaUrl) return { ...FAILED, traces };
      const r = await wxApi('security.mediaCheckAsync', () =>
        wx().openapi.security.mediaCheckAsync({ mediaUrl, mediaType: 2, version: 2, scene, openid }),
      );
      const traceId = r?.traceId;
      if (typeof traceId !== 'string' || !traceId) return { ...FAILED, traces };
      traces.push({ fileId, traceId });
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
  'publicTitle',
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

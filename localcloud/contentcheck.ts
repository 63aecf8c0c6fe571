/**
 * The local cloud's answer to the SDK's cloud-call wire action `wx.api` for WeChat's content security:
 * `security.msgSecCheck` (v2) from a keyword list, and `security.mediaCheckAsync` (accepted, a trace id).
 * The answer has the platform's shape: `{ data: { responseData: JSON } }` with
 * `{ errcode, errmsg, result: { suggest, label }, detail, trace_id }`.
 *
 * Keyword lists: localcloud/keywords.json (`risky`, `review`). A text containing one of the `outage`
 * words makes the call fail the way an unreachable service does (a wire error), so the "check failed"
 * path can be tried by hand and in tests.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Lists {
  risky: string[];
  review: string[];
  outage: string[];
}
let lists: Lists | undefined;
function keywords(): Lists {
  lists ??= JSON.parse(readFileSync(join(__dirname, 'keywords.json'), 'utf8')) as Lists;
  return lists;
}

export class WxApiError extends Error {
  constructor(
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export function handleWxApi(body: Record<string, unknown>): { data: { responseData: string } } {
  const apiName = String(body.apiName ?? '');
  let req: Record<string, unknown> = {};
  try {
    req = body.requestData ? (JSON.parse(String(body.requestData)) as Record<string, unknown>) : {};
  } catch {
    throw new WxApiError('INVALID_PARAM', 'requestData is not JSON');
  }
  const trace_id = randomBytes(12).toString('hex');
  const reply = (x: object) => ({ data: { responseData: JSON.stringify({ errcode: 0, errmsg: 'ok', trace_id, ...x }) } });
  if (apiName === 'security.msgSecCheck') {
    const content = typeof req.content === 'string' ? req.content : '';
    if (req.version !== 2 || typeof req.openid !== 'string') {
      return { data: { responseData: JSON.stringify({ errcode: 40003, errmsg: 'invalid openid or version' }) } };
    }
    const k = keywords();
    if (k.outage.some((w) => content.includes(w))) throw new WxApiError('SYS_ERR', 'content security service unavailable (local outage keyword)');
    const risky = k.risky.find((w) => content.includes(w));
    const review = k.review.find((w) => content.includes(w));
    const suggest = risky ? 'risky' : review ? 'review' : 'pass';
    const label = risky ? 20006 : review ? 21000 : 100;
    return reply({ result: { suggest, label }, detail: [{ strategy: 'keyword', errcode: 0, suggest, label, keyword: risky ?? review ?? '' }] });
  }
  if (apiName === 'security.mediaCheckAsync') {
    if (typeof req.media_url !== 'string') return { data: { responseData: JSON.stringify({ errcode: 40001, errmsg: 'media_url missing' }) } };
    return reply({});
  }
  throw new WxApiError('LOCALCLOUD.NOT_IMPLEMENTED', `local cloud does not implement wx.api ${apiName}`);
}

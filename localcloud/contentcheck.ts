/**
 * WeChat's content security for the local cloud's cloud calls (`wx.openApi`, decoded in localcloud/wx.ts):
 * `security.msgSecCheck` (v2) from a keyword list, and `security.mediaCheckAsync` (accepted, a trace id).
 * Each answers the JSON WeChat's HTTPS API answers: `{ errcode, errmsg, result: { suggest, label }, detail, trace_id }`
 * (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/msgSecCheck.html,
 * …/sec-check/mediaCheckAsync.html); wx-server-sdk hands it to the function camelCase.
 *
 * Keyword lists: localcloud/keywords.json (`risky`, `review`). A text containing one of the `outage`
 * words makes the call fail the way an unreachable service does (a wire error), so the "check failed"
 * path can be tried by hand and in tests.
 *
 * Photos: like WeChat, `mediaCheckAsync` answers only `{ errcode: 0, trace_id }` and remembers the trace
 * (MediaCheckQueue). The verdict comes later, when someone asks for it (`POST /_local/media-verdicts`,
 * `npm run media-verdicts`): the file name decides it (keywords.json `photos.risky` / `photos.review` markers,
 * e.g. `risky-1.jpg`), or the request names it; it is delivered the way WeChat's message push reaches a
 * cloud function: the `wxa_media_check` event, no caller identity, to `mediaCheckResult`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DbError } from './db/engine';

interface Lists {
  risky: string[];
  review: string[];
  outage: string[];
  photos: { risky: string[]; review: string[] };
}
let lists: Lists | undefined;
function keywords(): Lists {
  lists ??= JSON.parse(readFileSync(join(__dirname, 'keywords.json'), 'utf8')) as Lists;
  return lists;
}

export type MediaSuggest = 'pass' | 'review' | 'risky';

export interface MediaTrace {
  traceId: string;
  /** The URL WeChat was given to fetch (http(s)). */
  mediaUrl: string;
  /** The stored file that URL names. */
  fileId: string;
  openid: string;
  at: string;
}

/** The verdict the local "WeChat" will push for a photo (keywords.json `photos` markers): a marker in the file's
 * name (files a function stored under a chosen path), or the text `wish-photo:<marker>` anywhere in its bytes, so
 * that a photo chosen in the H5 build — whose stored name the server picks — can be made risky by hand:
 * `printf 'wish-photo:risky' >> cat.jpg`. */
export function photoVerdict(mediaUrl: string, bytes?: Buffer | null): MediaSuggest {
  const name = (mediaUrl.split('/').pop() ?? '').toLowerCase();
  const text = bytes ? bytes.toString('latin1') : '';
  const { photos } = keywords();
  const marked = (m: string) => name.includes(m) || text.includes(`wish-photo:${m}`);
  if (photos.risky.some(marked)) return 'risky';
  if (photos.review.some(marked)) return 'review';
  return 'pass';
}

/** The media checks submitted and not yet answered, in submission order (one per local cloud, in memory). */
export class MediaCheckQueue {
  private pending = new Map<string, MediaTrace>();

  submit(mediaUrl: string, fileId: string, openid: string): string {
    // WeChat's trace ids look like "690b03d2-301f6111-35ffbd44".
    const traceId = [4, 4, 4].map((n) => randomBytes(n).toString('hex')).join('-');
    this.pending.set(traceId, { traceId, mediaUrl, fileId, openid, at: new Date().toISOString() });
    return traceId;
  }

  list(): MediaTrace[] {
    return [...this.pending.values()];
  }

  /** Takes the pending traces for these file ids (all when none are named) off the queue. */
  take(fileIds?: readonly string[]): MediaTrace[] {
    const taken = this.list().filter((t) => !fileIds?.length || fileIds.includes(t.fileId));
    for (const t of taken) this.pending.delete(t.traceId);
    return taken;
  }

  /** Puts a trace back (its delivery failed), so that the next delivery tries again. */
  restore(t: MediaTrace): void {
    this.pending.set(t.traceId, t);
  }
}

/** The event WeChat's message push delivers for a media check verdict (field names as WeChat sends them). */
export function mediaCheckEvent(t: MediaTrace, suggest: MediaSuggest, appid = 'local-appid') {
  const label = suggest === 'risky' ? 20002 : suggest === 'review' ? 21000 : 100;
  return {
    ToUserName: 'gh_localcloud',
    FromUserName: t.openid,
    CreateTime: Math.floor(Date.now() / 1000),
    MsgType: 'event',
    Event: 'wxa_media_check',
    appid,
    trace_id: t.traceId,
    version: 2,
    result: { suggest, label },
    detail: [{ strategy: 'content_model', errcode: 0, suggest, label, prob: 90 }],
  };
}

/** `security.msgSecCheck` v2 from the keyword lists: the `responseData` WeChat answers. An `outage` word fails the
 * call the way an unreachable service does (a wire error). */
export function msgSecCheck(req: Record<string, unknown>): object {
  const content = typeof req.content === 'string' ? req.content : '';
  if (req.version !== 2 || typeof req.openid !== 'string') return { errcode: 40003, errmsg: 'invalid openid or version' };
  const k = keywords();
  if (k.outage.some((w) => content.includes(w)))
    throw new DbError('SYS_ERR', 'content security service unavailable (local outage keyword)');
  const risky = k.risky.find((w) => content.includes(w));
  const review = k.review.find((w) => content.includes(w));
  const suggest = risky ? 'risky' : review ? 'review' : 'pass';
  const label = risky ? 20006 : review ? 21000 : 100;
  const trace_id = randomBytes(12).toString('hex');
  return {
    errcode: 0,
    errmsg: 'ok',
    trace_id,
    result: { suggest, label },
    detail: [{ strategy: 'keyword', errcode: 0, suggest, label, keyword: risky ?? review ?? '' }],
  };
}

/** `security.mediaCheckAsync` v2: accepted with a trace id; the verdict waits in `media` until it is delivered.
 * WeChat fetches `media_url` itself: an http(s) URL it can read. Locally that is a temporary URL of the local cloud's
 * own storage, signed and unexpired (`fileOfUrl` names its file); anything else (a `cloud://` id, a foreign or
 * expired URL) is refused with 40097 (invalid args), the local cloud's choice: WeChat would accept it and push a
 * failed check later. */
export function mediaCheckAsync(req: Record<string, unknown>, media: MediaCheckQueue, fileOfUrl: (url: string) => string | null): object {
  if (typeof req.media_url !== 'string') return { errcode: 40001, errmsg: 'media_url missing' };
  if (req.media_type !== 2 || req.version !== 2 || typeof req.openid !== 'string') {
    return { errcode: 40003, errmsg: 'invalid media_type, version or openid' };
  }
  const fileId = /^https?:\/\//.test(req.media_url) ? fileOfUrl(req.media_url) : null;
  if (!fileId) return { errcode: 40097, errmsg: 'invalid args: media_url is not an http(s) URL WeChat can fetch' };
  return { errcode: 0, errmsg: 'ok', trace_id: media.submit(req.media_url, fileId, req.openid) };
}

/**
 * /_local/*: the local commands' endpoints (npm run timer, the tests, the start script). The router lets a request
 * here only with this start's token (Authorization: Bearer <credentials.json token>).
 *   GET  /_local/stats             request counters
 *   GET  /_local/wx-messages       the subscribe messages the functions sent
 *   GET  /_local/media-checks      photos submitted to mediaCheckAsync, verdict not yet pushed
 *   POST /_local/media-verdicts    pushes their verdicts to mediaCheckResult, as WeChat's message push does
 *   POST /_local/trigger/<name>    runs a trigger-only function (?asOf=<ISO instant>: as of then)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MediaCheckQueue } from '../contentcheck';
import type { WxMessage } from '../wx';
import { answer, readEvent, send, type Stats } from './http';
import type { triggersRoom } from './triggers';

/** What the commands read (the counters, the sent messages, the pending checks) and run (the triggers). */
export interface LocalRoom {
  stats: Stats;
  wxMessages: WxMessage[];
  media: MediaCheckQueue;
  triggers: ReturnType<typeof triggersRoom>;
}

export function localRoom({ stats, wxMessages, media, triggers }: LocalRoom) {
  async function triggerRoute(name: string, req: IncomingMessage, res: ServerResponse) {
    // ?asOf=<ISO instant>: run the timer as of then (npm run timer -- <fn> --as-of <day>).
    const asOfParam = new URL(req.url ?? '/', 'http://local').searchParams.get('asOf');
    const asOf = asOfParam ? new Date(asOfParam) : undefined;
    if (asOf && Number.isNaN(asOf.getTime())) return answer(res, 'INPUT.INVALID', 'asOf: 时间格式不对');
    const event = await readEvent(req, res);
    if (!event) return;
    const r = await triggers.trigger(name, event, asOf);
    send(res, r.status, r.body);
  }

  async function mediaVerdicts(req: IncomingMessage, res: ServerResponse) {
    const body = (await readEvent(req, res)) as Record<string, unknown> | null;
    if (!body) return;
    const fileIds =
      Array.isArray(body.fileIds) && body.fileIds.every((f) => typeof f === 'string') ? (body.fileIds as string[]) : undefined;
    const suggest = body.suggest === 'pass' || body.suggest === 'review' || body.suggest === 'risky' ? body.suggest : undefined;
    if (body.suggest !== undefined && !suggest) return answer(res, 'INPUT.INVALID', 'suggest: pass, review or risky');
    send(res, 200, { delivered: await triggers.deliverMediaVerdicts({ fileIds, suggest }) });
  }

  /** Answers a /_local/ request it knows (true), or leaves it to the router (false). */
  return async function local(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method === 'GET' && pathname === '/_local/stats') send(res, 200, stats);
    else if (req.method === 'GET' && pathname === '/_local/wx-messages') send(res, 200, wxMessages);
    else if (req.method === 'GET' && pathname === '/_local/media-checks') send(res, 200, media.list());
    else if (req.method === 'POST' && pathname === '/_local/media-verdicts') await mediaVerdicts(req, res);
    else if (req.method === 'POST' && pathname.startsWith('/_local/trigger/'))
      await triggerRoute(pathname.slice('/_local/trigger/'.length), req, res);
    else return false;
    return true;
  };
}

/**
 * The functions no client may call (functions.rules.json `invoke: false`), run the way the platform runs them, with no
 * caller: timers (by the scheduler, `npm run timer`, tests) and WeChat's message push of media-check verdicts to
 * mediaCheckResult. Reached only in-process (LocalCloud.trigger, deliverMediaVerdicts) or through /_local/ (a token).
 */
import { httpStatusOf } from '../../src/core/errors';
import { GROUPS } from '../../src/core/functions';
import { mediaCheckEvent, photoVerdict, type MediaCheckQueue, type MediaSuggest } from '../contentcheck';
import type { FunctionHost } from '../functions';
import type { Storage } from '../storage';
import type { Log, Reply, Stats } from './http';

/** Which pending checks to answer (default: all) and, optionally, the verdict to give them (default: by file name). */
export interface MediaVerdictRequest {
  fileIds?: string[];
  suggest?: MediaSuggest;
}
export interface MediaVerdictDelivery {
  traceId: string;
  fileId: string;
  suggest: MediaSuggest;
  status: number;
  answer: unknown;
}

/** What the triggers need: the instances (replaced by a reset), which functions are trigger-only, the pending media
 * checks and the stored photos they name, the counters and the log. */
export interface TriggersRoom {
  functions: () => FunctionHost;
  triggered: Set<string>;
  media: MediaCheckQueue;
  storage: Storage;
  stats: Stats;
  log: Log;
}

export function triggersRoom({ functions, triggered, media, storage, stats, log }: TriggersRoom) {
  /** A function no client may call (functions.rules.json `invoke: false`: timers, message pushes), run the way
   * the platform runs a trigger: no caller identity. Reached only in-process or through /_local/trigger. */
  async function trigger(name: string, event: object, asOf?: Date): Promise<Reply> {
    // A timer's operation by its own name (`purge`, `weekly` …: npm run timer, tests) is the `timers` function fired by
    // that trigger, with CloudBase's timer event (src/core/functions.ts: the trigger's name is the operation's).
    if ((GROUPS.timers as readonly string[]).includes(name)) {
      event = { Type: 'Timer', Time: (asOf ?? new Date()).toISOString(), ...event, TriggerName: name };
      name = 'timers';
    }
    if (!triggered.has(name)) return { status: 403, body: { code: 'AUTH.FORBIDDEN', message: `${name} 不是定时触发或消息推送的函数` } };
    const main = functions().load(name);
    if (!main) return { status: 404, body: { code: 'FUNCTION.NOT_FOUND', message: `没有这个功能：${name}` } };
    stats.functions[name] = (stats.functions[name] ?? 0) + 1;
    try {
      const result = (await functions().invoke(main, name, event, null, null, asOf)) as { code?: string | number };
      return { status: httpStatusOf(result?.code ?? 'SYSTEM.ERROR'), body: result };
    } catch (e) {
      console.error(`[localcloud] function ${name} threw:`, e);
      return { status: 500, body: { code: 'SYSTEM.ERROR', message: '系统繁忙，请稍后再试' } };
    }
  }

  /** WeChat's message push, locally: each pending media check's `wxa_media_check` event goes to the
   * mediaCheckResult function, with the submitter's openid in its context (WeChat's push-to-cloud-function example
   * reads OPENID from the context; server/runner.ts accepts a well-formed push either way). A delivery that throws
   * stays pending. */
  async function deliverMediaVerdicts(opts: MediaVerdictRequest = {}): Promise<MediaVerdictDelivery[]> {
    const main = functions().load('mediaCheckResult');
    if (!main) throw new Error('mediaCheckResult is not built (npm run build:functions)');
    const out: MediaVerdictDelivery[] = [];
    for (const t of media.take(opts.fileIds)) {
      const suggest = opts.suggest ?? photoVerdict(t.fileId, storage.bytesOf(t.fileId));
      stats.functions.mediaCheckResult = (stats.functions.mediaCheckResult ?? 0) + 1;
      try {
        const result = (await functions().invoke(main, 'mediaCheckResult', mediaCheckEvent(t, suggest), t.openid)) as {
          code?: string | number;
        };
        out.push({ traceId: t.traceId, fileId: t.fileId, suggest, status: httpStatusOf(result?.code ?? 'SYSTEM.ERROR'), answer: result });
      } catch (e) {
        media.restore(t);
        log(`media verdict ${t.traceId} failed:`, e);
        out.push({
          traceId: t.traceId,
          fileId: t.fileId,
          suggest,
          status: 500,
          answer: { code: 'SYSTEM.ERROR', message: (e as Error).message },
        });
      }
    }
    return out;
  }

  return { trigger, deliverMediaVerdicts };
}

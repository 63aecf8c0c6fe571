/**
 * Runs the built cloud functions (cloudfunctions/<name>/index.js) the way the platform does:
 * `main(event, context)`, with the caller's identity in `context.environ` (WX_OPENID), never in the
 * event or process.env. Each LocalCloud loads fresh copies of the bundles (Node's own require, so
 * test runners do not share one SDK instance between clouds).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type Main = (event: unknown, context: unknown) => Promise<unknown>;
const nodeRequire = createRequire(__filename);

export const OPENID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export class FunctionHost {
  private loaded = new Map<string, Main>();

  constructor(
    private dir: string,
    private timeoutMs: number,
  ) {}

  /** The function's main, or null if there is no such built function. */
  load(name: string): Main | null {
    if (!/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(name)) return null;
    const cached = this.loaded.get(name);
    if (cached) return cached;
    const file = join(this.dir, name, 'index.js');
    if (!existsSync(file)) return null;
    delete nodeRequire.cache[nodeRequire.resolve(file)];
    const main = (nodeRequire(file) as { main?: Main }).main;
    if (typeof main !== 'function') return null;
    this.loaded.set(name, main);
    return main;
  }

  /** The context the platform would pass: identity only when the caller has one. */
  static context(name: string, openid: string | null) {
    const environ = openid
      ? `WX_CONTEXT_KEYS=WX_OPENID,WX_APPID,WX_UNIONID;WX_OPENID=${openid};WX_APPID=local-appid;WX_UNIONID=`
      : 'WX_CONTEXT_KEYS=WX_APPID;WX_APPID=local-appid';
    return {
      request_id: randomBytes(8).toString('hex'),
      function_name: name,
      function_version: '$LATEST',
      namespace: 'local',
      memory_limit_in_mb: 256,
      time_limit_in_ms: 3000,
      environ,
    };
  }

  async invoke(main: Main, name: string, event: unknown, openid: string | null): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`function ${name} timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([main(event, FunctionHost.context(name, openid)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

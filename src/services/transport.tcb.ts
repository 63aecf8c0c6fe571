/**
 * H5 ONLY, loaded lazily (a chunk of its own, ~100 KB gzip, never on the first screen): the pages anyone may open
 * (the card page, 公开栏) calling the deployed functions through CloudBase's web client, @cloudbase/js-sdk:
 * `init({ env })`, an anonymous sign-in, then `callFunction` (docs/localcloud.md, "The web SDK's wire").
 *
 * `origin`: the local cloud, which answers the same wire (localcloud/gateway.ts). The SDK is pointed at it the way the
 * SDK allows, through its request adapter (`cloudbase.useAdapters`): a request class that sends each request to the
 * same path on the local cloud instead of the gateway's host. No origin: the SDK's own web adapter and hosts.
 */
import cloudbase from '@cloudbase/js-sdk/app';
import '@cloudbase/js-sdk/auth';
import '@cloudbase/js-sdk/functions';
import { GatewayError, networkError } from './answer';

type Req = { url: string; method?: string; headers?: Record<string, string>; body?: unknown; data?: unknown };
type Res = { data: unknown; statusCode: number; header: Headers };

/** The request class of the local adapter: the SDK's WebRequest's answer shape ({data, statusCode, header}), with the
 * gateway's host swapped for the local cloud's origin. */
function localRequestClass(origin: string) {
  const to = (url: string) => {
    const u = new URL(url, origin);
    return `${origin}${u.pathname}${u.search}`;
  };
  async function send(method: string, o: Req): Promise<Res> {
    const body = method === 'GET' ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body ?? o.data ?? {});
    const res = await fetch(to(o.url), { method, headers: o.headers, body });
    const type = res.headers.get('content-type') ?? '';
    return { data: type.includes('json') ? await res.json() : await res.text(), statusCode: res.status, header: res.headers };
  }
  return class LocalRequest {
    get(o: Req) {
      return send('GET', o);
    }
    post(o: Req) {
      return send('POST', o);
    }
    put(o: Req) {
      return send('PUT', o);
    }
    upload(): Promise<Res> {
      return Promise.reject(new Error('upload is not used by the public pages'));
    }
    download(): Promise<Res> {
      return Promise.reject(new Error('download is not used by the public pages'));
    }
    // As the SDK's WebRequest.fetch: a non-2xx answer rejects with its JSON body.
    async fetch(o: RequestInit & { url: string; stream?: boolean }) {
      const { url, stream: _stream, ...init } = o;
      const res = await fetch(to(url), init);
      if (!res.ok) throw (await res.json().catch(() => ({}))) as unknown;
      const type = res.headers.get('content-type') ?? '';
      return { data: type.includes('json') ? res.json() : res.text(), statusCode: res.status, header: res.headers, response: res };
    }
  };
}

type App = ReturnType<typeof cloudbase.init>;
let ready: Promise<App> | null = null;

function app(env: string, origin: string | null): Promise<App> {
  ready ??= (async () => {
    if (origin)
      cloudbase.useAdapters({
        isMatch: () => true,
        runtime: 'web',
        genAdapter: () => ({ type: '', root: window, reqClass: localRequestClass(origin), wsClass: WebSocket, localStorage }),
      } as unknown as Parameters<typeof cloudbase.useAdapters>[0]);
    const a = cloudbase.init({ env });
    const auth = a.auth();
    // One anonymous user per browser: the SDK keeps its credentials in localStorage and refreshes them.
    if (!(await auth.getLoginState())) await auth.signInAnonymously();
    return a;
  })().catch((e: unknown) => {
    ready = null;
    throw e;
  });
  return ready;
}

/** One function call: the function's own answer ({code, data} / {code, message}). */
export async function send(env: string, origin: string | null, name: string, data: unknown): Promise<unknown> {
  try {
    const a = await app(env, origin);
    const r = (await a.callFunction({ name, data: (data ?? {}) as Record<string, unknown> })) as {
      result?: unknown;
      code?: unknown;
      message?: unknown;
    };
    // In the gateway mode the SDK resolves a body that carries a `code` as `{requestId, code, message}` with no
    // `result` (functions/dist callFunction: `if (A.code) return q(e, null, A)`): that is one of our functions'
    // refusals (CARD.PIN_WRONG, …), handed on as the function's answer.
    if (r.result === undefined && typeof r.code === 'string') return { code: r.code, message: r.message };
    return r.result;
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'INVALID_ACCESS_TOKEN' || code === 'PERMISSION_DENIED') throw new GatewayError('AUTH.NO_IDENTITY', '请稍后刷新页面再试');
    throw networkError();
  }
}

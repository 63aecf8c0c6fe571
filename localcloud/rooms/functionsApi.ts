/**
 * The functions as clients call them, each caller by the identity its route carries:
 *   POST /api/<name>          the app's transport; the caller is the x-wx-openid (or an anonymous x-tcb-uuid) header
 *   POST /auth/v1/signin/anonymously, /auth/v1/token; GET /auth/v1/user/me; POST /v1/functions/<name>
 *                             the CloudBase gateway's wire as @cloudbase/js-sdk speaks it (localcloud/gateway.ts);
 *                             the caller is the anonymous user its access token names
 *   LocalCloud.call           POST /api/<name> in-process
 * Every one applies functions.rules.json (云函数安全规则) before the function runs, as the platform does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusOf } from '../../src/core/errors';
import { OPENID_PATTERN, type Anonymous, type FunctionHost } from '../functions';
import type { GatewayTokens } from '../gateway';
import type { loadFunctionRules } from '../guard';
import { API_BODY_LIMIT, TooLarge, answer, readBody, readEvent, send, type Reply, type Stats } from './http';

type FunctionMain = NonNullable<ReturnType<FunctionHost['load']>>;

/** What the functions API needs: the instances (replaced by a reset, so asked for each time), the rules, the
 * gateway's tokens and the counters. */
export interface FunctionsRoom {
  functions: () => FunctionHost;
  mayInvoke: ReturnType<typeof loadFunctionRules>;
  tokens: GatewayTokens;
  stats: Stats;
}

export function functionsRoom({ functions, mayInvoke, tokens, stats }: FunctionsRoom) {
  /** Runs a client's call that passed the rules: the function's answer and its HTTP status. */
  async function run(name: string, main: FunctionMain, event: object, openid: string | null, anonymous: Anonymous | null): Promise<Reply> {
    stats.functions[name] = (stats.functions[name] ?? 0) + 1;
    try {
      const result = (await functions().invoke(main, name, event, openid, anonymous)) as { code?: string | number };
      return { status: httpStatusOf(result?.code ?? 'SYSTEM.ERROR'), body: result };
    } catch (e) {
      console.error(`[localcloud] function ${name} threw:`, e);
      return { status: 500, body: { code: 'SYSTEM.ERROR', message: '系统繁忙，请稍后再试' } };
    }
  }

  /** POST /api/<name>. */
  async function api(name: string, req: IncomingMessage, res: ServerResponse) {
    const header = req.headers['x-wx-openid'];
    const openid = typeof header === 'string' && OPENID_PATTERN.test(header) ? header : null;
    // An anonymous CloudBase login (web, no WeChat): `x-tcb-uuid` names its user id. It is signed in as far as the
    // rules go (auth != null, as on CloudBase); each function decides whether it serves such a caller.
    const uuidHeader = req.headers['x-tcb-uuid'];
    const anonymous = !openid && typeof uuidHeader === 'string' && OPENID_PATTERN.test(uuidHeader) ? uuidHeader : null;
    const main = functions().load(name);
    if (!main) return answer(res, 'FUNCTION.NOT_FOUND', `没有这个功能：${name}`);
    // functions.rules.json, as the platform applies it to a client's call: before the function runs.
    const denied = mayInvoke(name, openid ?? anonymous);
    if (denied) {
      req.resume();
      return answer(res, denied, denied === 'AUTH.NO_IDENTITY' ? '请先登录' : '您没有权限做这件事');
    }
    const event = await readEvent(req, res);
    if (!event) return;
    const r = await run(name, main, event, openid, anonymous);
    send(res, r.status, r.body);
  }

  /** POST /api/<name> as `openid`, in-process (LocalCloud.call). */
  async function call(name: string, event: object, openid: string): Promise<Reply> {
    const main = functions().load(name);
    if (!main) return { status: 404, body: { code: 'FUNCTION.NOT_FOUND', message: `没有这个功能：${name}` } };
    if (!OPENID_PATTERN.test(openid)) return { status: 401, body: { code: 'AUTH.NO_IDENTITY', message: '请先登录' } };
    const denied = mayInvoke(name, openid);
    if (denied) return { status: httpStatusOf(denied), body: { code: denied, message: '您没有权限做这件事' } };
    return run(name, main, event, openid, null);
  }

  /** The gateway's anonymous sign-in and refresh (@cloudbase/js-sdk's auth, localcloud/gateway.ts). */
  async function gatewayAuth(pathname: string, req: IncomingMessage, res: ServerResponse) {
    let body: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse((await readBody(req, 4096)).toString('utf8') || '{}') as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      return send(res, 400, { error: 'invalid_request', error_description: 'body is not JSON' });
    }
    if (pathname === '/auth/v1/signin/anonymously') return send(res, 200, tokens.signInAnonymously());
    const renewed = body.grant_type === 'refresh_token' ? tokens.refresh(body.refresh_token) : null;
    if (!renewed) return send(res, 400, { error: 'invalid_grant', error_description: 'refresh token is not valid' });
    send(res, 200, renewed);
  }

  /** GET /auth/v1/user/me: the anonymous user the access token names. */
  function gatewayUser(req: IncomingMessage, res: ServerResponse) {
    const sub = tokens.userOf(req.headers.authorization);
    return sub
      ? send(res, 200, { sub, name: '', groups: [{ id: 'anonymous' }], status: 'ACTIVE' })
      : send(res, 401, { error: 'unauthenticated', error_description: 'access token is missing, expired or not valid' });
  }

  /** POST /v1/functions/<name>: a js-sdk callFunction. The caller is the anonymous user its access token names; the
   * same 云函数安全规则 and function instances as /api/<name>. The function's answer is the body (HTTP 200). */
  async function gatewayFunction(name: string, req: IncomingMessage, res: ServerResponse) {
    const uid = tokens.userOf(req.headers.authorization);
    if (!uid) {
      req.resume();
      return send(res, 401, { code: 'INVALID_ACCESS_TOKEN', message: 'access token is missing, expired or not valid' });
    }
    const main = OPENID_PATTERN.test(name) ? functions().load(name) : null;
    if (!main) return send(res, 404, { code: 'FUNCTION_NOT_FOUND', message: `no function ${name}` });
    const denied = mayInvoke(name, uid);
    if (denied) {
      req.resume();
      return send(res, 403, { code: 'PERMISSION_DENIED', message: 'the function rules refuse this call' });
    }
    let event: unknown;
    try {
      event = JSON.parse((await readBody(req, API_BODY_LIMIT)).toString('utf8') || '{}');
    } catch (e) {
      if (e instanceof TooLarge) return send(res, 413, { code: 'INPUT.TOO_LARGE', message: '提交的内容太大了' });
      return send(res, 400, { code: 'INVALID_PARAM', message: 'body is not JSON' });
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event))
      return send(res, 400, { code: 'INVALID_PARAM', message: 'body is not a JSON object' });
    const r = await run(name, main, event, null, { uid, loginType: 'ANONYMOUS' });
    send(res, r.status === 500 ? 500 : 200, r.body);
  }

  return { api, call, gatewayAuth, gatewayUser, gatewayFunction };
}

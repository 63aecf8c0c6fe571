/**
 * The CloudBase HTTP gateway's wire as @cloudbase/js-sdk 3 speaks it (docs/localcloud.md, "The web SDK's wire"):
 *   POST /auth/v1/signin/anonymously?client_id=<env>   an anonymous sign-in: credentials with a signed access token
 *   POST /auth/v1/token                                a refresh (grant_type refresh_token)
 *   GET  /auth/v1/user/me                              the signed-in user (Bearer access token)
 *   POST /v1/functions/<name>                          a function call: the event as the body, Bearer access token
 * The tokens are HS256 JWTs (RFC 7519; the SDK reads them with jwt-decode) signed with a key made when the local cloud starts: a token it did not issue, an expired
 * one or a refresh token used as an access token is refused with 401 before anything runs.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const ACCESS_TTL_S = 2 * 60 * 60;
const REFRESH_TTL_S = 30 * 24 * 60 * 60;
const ISSUER = 'localcloud';

export interface GatewayTokens {
  /** Credentials for a new anonymous user (the body of the sign-in answer). */
  signInAnonymously(): Credentials;
  /** New credentials for the user a valid refresh token names; null for anything else. */
  refresh(refreshToken: unknown): Credentials | null;
  /** The anonymous user id a valid `Authorization: Bearer <access token>` names; null for anything else. */
  userOf(authorization: unknown): string | null;
}

export interface Credentials {
  token_type: 'Bearer';
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope: 'anonymous';
  sub: string;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export function gatewayTokens(key: Buffer = randomBytes(32), now: () => number = Date.now): GatewayTokens {
  const mac = (data: string) => createHmac('sha256', key).update(data).digest();
  const sign = (sub: string, use: 'access' | 'refresh', ttl: number) => {
    const iat = Math.floor(now() / 1000);
    const body = Buffer.from(JSON.stringify({ iss: ISSUER, sub, use, scope: 'anonymous', iat, exp: iat + ttl })).toString('base64url');
    return `${HEADER}.${body}.${mac(`${HEADER}.${body}`).toString('base64url')}`;
  };
  const issue = (sub: string): Credentials => ({
    token_type: 'Bearer',
    access_token: sign(sub, 'access', ACCESS_TTL_S),
    refresh_token: sign(sub, 'refresh', REFRESH_TTL_S),
    expires_in: ACCESS_TTL_S,
    scope: 'anonymous',
    sub,
  });
  const subOf = (token: unknown, use: 'access' | 'refresh'): string | null => {
    if (typeof token !== 'string' || token.length > 2048) return null;
    const [h, b, s, ...rest] = token.split('.');
    if (h !== HEADER || !b || !s || rest.length) return null;
    const given = Buffer.from(s, 'base64url');
    const want = mac(`${h}.${b}`);
    if (given.length !== want.length || !timingSafeEqual(given, want)) return null;
    try {
      const c = JSON.parse(Buffer.from(b, 'base64url').toString('utf8')) as Record<string, unknown>;
      const fresh = typeof c.exp === 'number' && c.exp > now() / 1000;
      return c.iss === ISSUER && c.use === use && fresh && typeof c.sub === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(c.sub) ? c.sub : null;
    } catch {
      return null;
    }
  };
  return {
    signInAnonymously: () => issue(`anon${randomBytes(12).toString('hex')}`),
    refresh(refreshToken) {
      const sub = subOf(refreshToken, 'refresh');
      return sub ? issue(sub) : null;
    },
    userOf(authorization) {
      const m = typeof authorization === 'string' ? /^Bearer (\S+)$/.exec(authorization) : null;
      return m ? subOf(m[1], 'access') : null;
    },
  };
}

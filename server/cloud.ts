/**
 * The one place that initialises @cloudbase/node-sdk. On CloudBase the function runs with the
 * platform's own credentials (SYMBOL_CURRENT_ENV). Anywhere else the environment names the endpoint:
 * TCB_SERVICE_URL (the local cloud's wire endpoint), TCB_ENV, TCB_SECRET_ID, TCB_SECRET_KEY.
 * Nothing else in the functions knows where they run.
 */
import tcb from '@cloudbase/node-sdk';

type App = ReturnType<typeof tcb.init>;
let app: App | undefined;

/**
 * Where the SDKs point, from the environment: the local cloud's wire endpoint (TCB_SERVICE_URL, with the per-start
 * key pair), an explicit key pair against a real environment (npm run test:cloud, npm run admin), or null on CloudBase,
 * where each SDK uses the platform's own environment. server/wx.ts initialises wx-server-sdk from the same answer.
 */
export function sdkTarget(): { env: string; secretId: string; secretKey: string; serviceUrl?: string; timeout?: number } | null {
  const serviceUrl = process.env.TCB_SERVICE_URL;
  if (serviceUrl)
    return {
      env: process.env.TCB_ENV || 'local',
      secretId: process.env.TCB_SECRET_ID || 'local',
      secretKey: process.env.TCB_SECRET_KEY || 'local',
      serviceUrl,
      timeout: Number(process.env.TCB_TIMEOUT_MS) || 5000,
    };
  if (process.env.TCB_ENV && process.env.TCB_SECRET_ID && process.env.TCB_SECRET_KEY)
    return { env: process.env.TCB_ENV, secretId: process.env.TCB_SECRET_ID, secretKey: process.env.TCB_SECRET_KEY };
  return null;
}

export function cloud(): App {
  if (!app) {
    const target = sdkTarget();
    app = target ? tcb.init(target) : tcb.init({ env: tcb.SYMBOL_CURRENT_ENV });
  }
  return app;
}

/**
 * An anonymous CloudBase login (a web page signed in with `signInAnonymously`, no WeChat account): `anon:<uid>` from
 * the context's TCB_UUID when TCB_ISANONYMOUS_USER is true or LOGINTYPE is ANONYMOUS; otherwise null. Only functions that say so serve it
 * (defineFunction's `anonymous`): every other one answers AUTH.NO_IDENTITY, whatever functions.rules.json lets in.
 */
export function callerAnonymousId(context: unknown): string | null {
  if (typeof context !== 'object' || context === null) return null;
  try {
    const env = tcb.getCloudbaseContext(context as Parameters<typeof tcb.getCloudbaseContext>[0]) as unknown as Record<string, unknown>;
    const uid = env.TCB_UUID;
    // The older context says TCB_ISANONYMOUS_USER=true; the newer web auth says LOGINTYPE=ANONYMOUS instead (node-sdk
    // src/utils/tcbcontext.ts getCloudbaseContext reads LOGINTYPE; src/auth/index.ts getEndUserInfo reports it as
    // loginType; the storage rules doc names the value ANONYMOUS). Either one marks an anonymous login.
    const anonymous = env.TCB_ISANONYMOUS_USER === 'true' || String(env.LOGINTYPE ?? '').toUpperCase() === 'ANONYMOUS';
    return anonymous && typeof uid === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(uid) ? `anon:${uid}` : null;
  } catch {
    return null;
  }
}

/**
 * Whether the context carries any end user: a WeChat openid, or a CloudBase login (TCB_UUID: a web user, anonymous or
 * not). A timer or WeChat's message push carries neither, so the functions only the platform may call refuse any
 * caller for whom this is true, whatever functions.rules.json lets in (an environment on the OPA policy engine ignores
 * those rules, and anonymous sign-in is on for the card page).
 */
export function hasEndUser(context: unknown): boolean {
  return callerOpenId(context) !== null || hasWebLogin(context);
}

/** Whether the context carries a CloudBase web login (TCB_UUID: anonymous or not), which no platform call has. */
export function hasWebLogin(context: unknown): boolean {
  if (typeof context !== 'object' || context === null) return false;
  try {
    const env = tcb.getCloudbaseContext(context as Parameters<typeof tcb.getCloudbaseContext>[0]) as unknown as Record<string, unknown>;
    return typeof env.TCB_UUID === 'string' && env.TCB_UUID !== '';
  } catch {
    return false;
  }
}

/**
 * The caller's WeChat openid, from the function's context as the platform injects it.
 * Never from the event. Returns null when the context carries no identity.
 */
export function callerOpenId(context: unknown): string | null {
  if (typeof context !== 'object' || context === null) return null;
  try {
    const env = tcb.getCloudbaseContext(context as Parameters<typeof tcb.getCloudbaseContext>[0]);
    const id = env.WX_OPENID;
    return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** The mini-program's app id from the function's context (WX_APPID, as the platform injects it), or null. */
export function callerAppId(context: unknown): string | null {
  if (typeof context !== 'object' || context === null) return null;
  try {
    const env = tcb.getCloudbaseContext(context as Parameters<typeof tcb.getCloudbaseContext>[0]) as unknown as Record<string, unknown>;
    const id = env.WX_APPID;
    return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/**
 * "Now" for a timer run: the platform's clock. Only in the local cloud (TCB_SERVICE_URL set, never on CloudBase)
 * may the context carry `local_as_of`, an instant the local cloud puts there itself when a developer runs a timer
 * "as of" a date (`npm run timer -- bulletin --as-of 2026-12-11`, tests). The context is the platform's, never
 * the event: a client cannot reach it (timers are `invoke: false`, and a caller with an identity is refused).
 */
export function platformNow(context: unknown): Date {
  if (process.env.TCB_SERVICE_URL && typeof context === 'object' && context !== null) {
    const asOf = (context as { local_as_of?: unknown }).local_as_of;
    if (typeof asOf === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(asOf) && !Number.isNaN(Date.parse(asOf))) return new Date(asOf);
  }
  return new Date();
}

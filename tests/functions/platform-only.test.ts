/**
 * The functions only the platform calls (the `timers` function, WeChat's media-check push) refuse every end user,
 * whatever functions.rules.json lets in: an environment on the OPA policy engine ignores those rules, and anonymous
 * sign-in is on for the card page, so anyone can hold a CloudBase web login. Called here as the platform calls them,
 * from the bundles that deploy, with the context each kind of caller brings (the local cloud's own gateway would
 * refuse these calls before the function ran, which is exactly what could hide a hole). The SDKs point at a closed
 * port: a refusal must come before any database call.
 */
import { join } from 'node:path';
import { assertBundlesFresh } from '../bundles';

const ROOT = join(__dirname, '../..');
type Main = (event: unknown, context: unknown) => Promise<{ code: string | number; message?: string }>;
const load = (fn: string) => (require(join(ROOT, 'cloudfunctions', fn, 'index.js')) as { main: Main }).main;

const anonymousNew = {
  environ: 'TCB_CONTEXT_KEYS=TCB_UUID,LOGINTYPE;TCB_UUID=anon-1;LOGINTYPE=ANONYMOUS;WX_CONTEXT_KEYS=WX_APPID;WX_APPID=wxapp-1',
};
const anonymousOld = {
  environ:
    'TCB_CONTEXT_KEYS=TCB_UUID,TCB_ISANONYMOUS_USER;TCB_UUID=anon-2;TCB_ISANONYMOUS_USER=true;WX_CONTEXT_KEYS=WX_APPID;WX_APPID=wxapp-1',
};
const webUser = { environ: 'TCB_CONTEXT_KEYS=TCB_UUID;TCB_UUID=user-3;WX_CONTEXT_KEYS=WX_APPID;WX_APPID=wxapp-1' };
const wechatUser = { environ: 'WX_CONTEXT_KEYS=WX_OPENID,WX_APPID,WX_UNIONID;WX_OPENID=o-user;WX_APPID=wxapp-1;WX_UNIONID=' };

beforeAll(() => {
  assertBundlesFresh();
  process.env.TCB_SERVICE_URL = 'http://127.0.0.1:9/tcb'; // the discard port: any database call would fail
  process.env.TCB_TIMEOUT_MS = '300';
  process.env.SILENCE = 'true';
});

test.each([
  ['an anonymous web login (LOGINTYPE)', anonymousNew],
  ['an anonymous web login (TCB_ISANONYMOUS_USER)', anonymousOld],
  ['a signed-in web user', webUser],
  ['a mini-program user', wechatUser],
])('timers: %s is refused for every trigger, before any database call', async (_who, context) => {
  const timers = load('timers');
  for (const TriggerName of ['purge', 'remind', 'reconcile', 'overdueAlerts', 'weekly', 'bulletin', 'monthly']) {
    const r = await timers({ Type: 'Timer', TriggerName, Time: '2026-12-07T01:00:00Z' }, context);
    expect({ TriggerName, code: r.code }).toEqual({ TriggerName, code: 'AUTH.FORBIDDEN' });
  }
});

test('mediaCheckResult: a web login is refused even with a push-shaped event of the right app', async () => {
  const push = {
    ToUserName: 'gh_1',
    FromUserName: 'o-user',
    CreateTime: 1,
    MsgType: 'event',
    Event: 'wxa_media_check',
    appid: 'wxapp-1',
    trace_id: 'trace-1',
    version: 2,
    result: { suggest: 'pass', label: 100 },
    detail: [],
  };
  const main = load('mediaCheckResult');
  for (const context of [anonymousNew, anonymousOld, webUser]) expect((await main(push, context)).code).toBe('AUTH.FORBIDDEN');
  // An ordinary event from a mini-program user is refused too; only the push itself may carry an OPENID.
  expect((await main({ trace_id: 'trace-1' }, wechatUser)).code).toBe('AUTH.FORBIDDEN');
});

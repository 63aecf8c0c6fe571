/**
 * An anonymous web login's identity, read from the function's context through @cloudbase/node-sdk's
 * getCloudbaseContext (server/cloud.ts callerAnonymousId): the older context marks it TCB_ISANONYMOUS_USER=true,
 * the newer web auth LOGINTYPE=ANONYMOUS (node-sdk src/utils/tcbcontext.ts reads LOGINTYPE). Both are accepted; a
 * WeChat login or a context without the mark is not anonymous.
 */
import { callerAnonymousId } from '../../server/cloud';

/** The older architecture's context: `environ`, `KEY=value;…` (what the local cloud passes, localcloud/functions.ts). */
const environ = (vars: Record<string, string>) => ({
  environ: Object.entries(vars)
    .map(([k, v]) => `${k}=${v}`)
    .join(';'),
});
/** The newer architecture's context: `environment`, a JSON string (node-sdk tcbcontext.ts parseContext). */
const environment = (vars: Record<string, string>) => ({ environment: JSON.stringify(vars) });

test('TCB_ISANONYMOUS_USER=true (the older context) is an anonymous login', () => {
  expect(callerAnonymousId(environ({ TCB_UUID: 'u-1', TCB_ISANONYMOUS_USER: 'true' }))).toBe('anon:u-1');
});

test('LOGINTYPE=ANONYMOUS (the newer web auth, no TCB_ISANONYMOUS_USER) is an anonymous login too', () => {
  expect(callerAnonymousId(environment({ TCB_UUID: 'u-2', LOGINTYPE: 'ANONYMOUS' }))).toBe('anon:u-2');
  expect(callerAnonymousId(environ({ TCB_UUID: 'u-3', LOGINTYPE: 'anonymous' }))).toBe('anon:u-3');
  expect(callerAnonymousId(environment({ TCB_UUID: 'u-6', TCB_ISANONYMOUS_USER: 'true' }))).toBe('anon:u-6');
});

test('another login type, no mark, or no usable uid: not anonymous', () => {
  expect(callerAnonymousId(environment({ TCB_UUID: 'u-4', LOGINTYPE: 'WECHAT-OPEN' }))).toBeNull();
  expect(callerAnonymousId(environment({ TCB_UUID: 'u-5', TCB_ISANONYMOUS_USER: 'false' }))).toBeNull();
  expect(callerAnonymousId(environment({ TCB_UUID: 'bad uid!', LOGINTYPE: 'ANONYMOUS' }))).toBeNull();
  expect(callerAnonymousId(null)).toBeNull();
});

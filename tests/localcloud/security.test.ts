/**
 * The local cloud as an attack surface (issue 7, items 10–14): a web page open in the same browser can reach
 * 127.0.0.1, and so can any process on the machine. Each test attacks the way such a page or process would and
 * checks that the attack is refused and changes nothing; the legitimate path (the functions' SDK with the
 * per-start credentials, the local commands with the token in the data folder) keeps working.
 */
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud } from '../../localcloud';
import { ACCESS_TTL_S, gatewayTokens } from '../../localcloud/gateway';
import { callOf } from '../../src/core/functions';
import { ok, startCloud } from '../functions/harness';
import { signedHeaders } from './signed';

type Env = Awaited<ReturnType<typeof startCloud>>;
let env: Env;
let staticDir: string;
const figures = { attacks: 0, refused: 0 };

beforeAll(async () => {
  process.env.TENCENTCLOUD = 'true';
  env = await startCloud();
}, 60_000);
afterAll(async () => {
  console.log(`[security] local cloud attacks: ${figures.attacks} tried, ${figures.refused} refused`);
  await env.stop();
  if (staticDir) rmSync(staticDir, { recursive: true, force: true });
});

/** A raw HTTP request (fetch cannot set Host): status, headers and body. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
  url = env.cloud.url,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
const attack = (refused: boolean) => {
  figures.attacks++;
  if (refused) figures.refused++;
  return refused;
};
/** Everything a wire attack could touch, read with the legitimate credentials. */
async function everything(): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const c of ['users', 'wishes', 'orgs', 'audit']) out[c] = (await env.db.collection(c).limit(1000).get()).data;
  return JSON.stringify(out);
}
const sdk = (secretId: string, secretKey: string) =>
  tcb.init({ env: 'local', secretId, secretKey, serviceUrl: `${env.cloud.url}/tcb`, timeout: 5000 }).database();

describe('10. the database wire endpoint', () => {
  test('with no credentials it reads nothing and writes nothing', async () => {
    const before = await everything();
    const bodies = [
      { action: 'database.getDocument', collectionName: 'users', queryType: 'WHERE', query: '{}', limit: 100 },
      { action: 'database.getDocument', collectionName: 'wishes', queryType: 'WHERE', query: '{}', limit: 100 },
      {
        action: 'database.modifyDocument',
        collectionName: 'users',
        query: '{"_id":"demo-resident"}',
        queryType: 'DOC',
        data: '{"$set":{"role":"organiser","orgId":"demo-city"}}',
        multi: false,
        merge: true,
        upsert: false,
      },
      { action: 'database.insertDocument', collectionName: 'users', data: ['{"_id":"intruder","role":"organiser","orgId":"demo-city"}'] },
      { action: 'storage.batchGetDownloadUrl', file_list: [{ fileid: 'cloud://local.bucket/uploads/x.jpg' }] },
      { action: 'wx.api', apiName: '/cgi-bin/message/subscribe/send', requestData: '{}' },
    ];
    for (const b of bodies) {
      const r = await raw('POST', '/tcb?env=local', { 'content-type': 'application/json' }, JSON.stringify(b));
      expect(attack(!/13800|王秀英|intruder/.test(r.body) && /SIGN|AUTH/.test(JSON.parse(r.body).code))).toBe(true);
    }
    expect(await everything()).toBe(before);
  });

  test('through the real SDK with junk credentials, reads and writes are refused and change nothing', async () => {
    const before = await everything();
    for (const [id, key] of [
      ['local', 'local'],
      ['test', 'test'],
      [env.cloud.credentials.secretId, 'wrong-key'],
    ] as const) {
      const db = sdk(id, key);
      const tries = [
        db.collection('users').get(),
        db.collection('wishes').where({}).get(),
        db.collection('users').doc('demo-resident').update({ role: 'organiser', orgId: 'demo-city' }),
        db.collection('users').add({ _id: `intruder-${id}`, role: 'organiser', orgId: 'demo-city' }),
        db.collection('users').where({}).remove(),
      ];
      for (const t of tries) {
        const e = await t.then(
          () => null,
          (err: { code?: string }) => err,
        );
        expect(attack(e !== null && /SIGN|AUTH/.test(String(e.code)))).toBe(true);
      }
    }
    expect(await everything()).toBe(before);
  });

  test('a signed request whose body was changed, or an old signature replayed, is refused', async () => {
    // Signed the way the SDK signs (its own signer, @cloudbase/signature-nodejs): the untouched request is
    // answered; the same headers with another body, or a correctly signed request from an hour ago, are not.
    const signed = (params: Record<string, unknown>, timestamp: number) =>
      signedHeaders(env.cloud, params, { path: '/tcb?env=local&seqId=s1', timestamp });
    const read = {
      action: 'database.getDocument',
      envName: 'local',
      collectionName: 'users',
      queryType: 'WHERE',
      query: '{"_id":"demo-member"}',
      limit: 1,
    };
    const now = Math.floor(Date.now() / 1000) - 1;
    const good = await raw('POST', '/tcb?env=local&seqId=s1', signed(read, now), JSON.stringify(read));
    expect(JSON.parse(good.body).data.list).toHaveLength(1); // the control: a good signature is answered
    const tampered = { ...read, query: '{"_id":"demo-resident"}' };
    const r1 = await raw('POST', '/tcb?env=local&seqId=s1', signed(read, now), JSON.stringify(tampered));
    expect(attack(!r1.body.includes('王秀英') && /SIGN|AUTH/.test(JSON.parse(r1.body).code))).toBe(true);
    const old = now - 3600;
    const r2 = await raw('POST', '/tcb?env=local&seqId=s1', signed(read, old), JSON.stringify(read));
    expect(attack(/SIGN|AUTH/.test(JSON.parse(r2.body).code))).toBe(true);
    const wrongHost = await raw(
      'POST',
      '/tcb?env=local&seqId=s1',
      { ...signed(read, now), host: `localhost:${new URL(env.cloud.url).port}` },
      JSON.stringify(read),
    );
    expect(attack(/SIGN|AUTH/.test(JSON.parse(wrongHost.body).code))).toBe(true);
  });

  test('the functions and the legitimate client use the per-start credentials, kept in a file only the user can read', async () => {
    const { secretId, secretKey } = env.cloud.credentials;
    expect(secretId).toMatch(/^[A-Za-z0-9]{16,}$/);
    expect(secretKey.length).toBeGreaterThanOrEqual(32);
    const file = join(env.cloud.dataDir, 'credentials.json');
    expect(statSync(file).mode & 0o077).toBe(0); // no group or other access
    expect(statSync(env.cloud.dataDir).mode & 0o077).toBe(0); // nor to the folder with the database
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ url: env.cloud.url, secretId, secretKey });
    expect((await sdk(secretId, secretKey).collection('users').doc('demo-resident').get()).data).toHaveLength(1);
    expect(ok(await env.call('whoami', {}, 'demo-resident')).role).toBe('resident'); // the functions' own SDK
  });

  test('an oversized unauthenticated body is refused without being read', async () => {
    const r = await raw(
      'POST',
      '/tcb',
      { 'content-type': 'application/json', 'content-length': String(40 * 1024 * 1024) },
      Buffer.alloc(1024),
    );
    expect(attack(r.status !== 200 || /SIGN|AUTH|TOO_LARGE/.test(r.body))).toBe(true);
  });
});

describe('11. CORS and DNS rebinding', () => {
  test('another origin gets no CORS grant and its requests are refused before anything runs', async () => {
    const pre = await raw('OPTIONS', '/api/account', {
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-wx-openid',
    });
    expect(
      attack(
        pre.headers['access-control-allow-origin'] === undefined &&
          !/x-wx-openid/i.test(String(pre.headers['access-control-allow-headers'] ?? '')),
      ),
    ).toBe(true);
    const before = await everything();
    const calls = env.cloud.stats().functions.account ?? 0;
    // A "simple" cross-site POST needs no preflight: the browser sends it, so the server must refuse it.
    const r = await raw(
      'POST',
      '/api/account',
      { origin: 'https://evil.example', 'content-type': 'text/plain', 'x-wx-openid': 'demo-resident' },
      '{"action":"deleteMyData","confirm":true}',
    );
    expect(attack(r.status === 403 && r.headers['access-control-allow-origin'] === undefined)).toBe(true);
    expect(env.cloud.stats().functions.account ?? 0).toBe(calls);
    expect(await everything()).toBe(before);
    // Look-alikes, a sandboxed frame or file:// page (Origin: null), another port on this machine.
    for (const origin of [
      'http://127.0.0.1.evil.example',
      'null',
      `http://127.0.0.1:${Number(new URL(env.cloud.url).port) + 1}`,
      'https://127.0.0.1',
    ]) {
      const g = await raw(
        'POST',
        '/api/account',
        { origin, 'content-type': 'text/plain', 'x-wx-openid': 'demo-resident' },
        '{"action":"whoami"}',
      );
      expect(attack(g.status === 403 && !g.body.includes('王秀英'))).toBe(true);
    }
  });

  test('the app’s own origin is allowed, and only it', async () => {
    const own = env.cloud.url;
    const pre = await raw('OPTIONS', '/api/account', {
      origin: own,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-wx-openid',
    });
    expect(pre.headers['access-control-allow-origin']).toBe(own);
    const r = await raw(
      'POST',
      '/api/account',
      { origin: own, 'content-type': 'application/json', 'x-wx-openid': 'demo-resident' },
      '{"action":"whoami"}',
    );
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe(own);
    const plain = await raw('GET', '/api/_health');
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a request whose Host is not the local cloud’s own address is refused (DNS rebinding)', async () => {
    const { port } = new URL(env.cloud.url);
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`, `192.168.1.5:${port}`]) {
      const r = await raw(
        'POST',
        '/api/account',
        { host, 'content-type': 'application/json', 'x-wx-openid': 'demo-resident' },
        '{"action":"whoami"}',
      );
      expect(attack(r.status === 403 && !r.body.includes('王秀英'))).toBe(true);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const r = await raw(
        'POST',
        '/api/account',
        { host, 'content-type': 'application/json', 'x-wx-openid': 'demo-resident' },
        '{"action":"whoami"}',
      );
      expect(r.status).toBe(200);
    }
  });
});

describe('12. functions.rules.json and the local routes', () => {
  test('purge, remind and a forged mediaCheckResult push do not run for a client, with or without identity', async () => {
    const before = await everything();
    const calls = { ...env.cloud.stats().functions };
    for (const fn of ['purge', 'remind', 'mediaCheckResult']) {
      for (const who of [undefined, 'demo-organiser']) {
        const r = await env.call(fn, { Type: 'Timer', Event: 'wxa_media_check', trace_id: 'x', result: { suggest: 'risky' } }, who);
        expect(attack(r.status === 403 && r.body.code === 'AUTH.FORBIDDEN')).toBe(true);
      }
      const deployed = callOf(fn).name; // the function that serves it (timers for purge and remind)
      expect(env.cloud.stats().functions[deployed] ?? 0).toBe(calls[deployed] ?? 0); // refused before the function ran
    }
    expect(await everything()).toBe(before);
  });

  test('every other function needs a signed-in caller (auth != null), refused before it runs', async () => {
    const before = env.cloud.stats().functions.wishes ?? 0; // board is an action of the wishes function
    const r = await env.call('board', { limit: 5 });
    expect(attack(r.status === 401 && r.body.code === 'AUTH.NO_IDENTITY')).toBe(true);
    expect(env.cloud.stats().functions.wishes ?? 0).toBe(before);
  });

  test('/_local routes answer only with the per-start token from the data folder', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/_local/stats'],
      ['GET', '/_local/wx-messages'],
      ['GET', '/_local/media-checks'],
      ['POST', '/_local/media-verdicts'],
      ['POST', '/_local/trigger/purge'],
    ];
    for (const [method, path] of routes) {
      for (const headers of [{}, { authorization: 'Bearer junk' }, { authorization: `Bearer ${env.cloud.credentials.secretKey}` }] as Array<
        Record<string, string>
      >) {
        const r = await raw(method, path, { 'content-type': 'application/json', ...headers }, method === 'POST' ? '{}' : undefined);
        expect(attack(r.status === 401 && JSON.parse(r.body).code === 'AUTH.NO_IDENTITY')).toBe(true);
      }
    }
    const token = JSON.parse(readFileSync(join(env.cloud.dataDir, 'credentials.json'), 'utf8')).token as string;
    expect(token).toBe(env.cloud.credentials.token);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect((await raw('GET', '/_local/stats', auth)).status).toBe(200);
    const purge = await raw('POST', '/_local/trigger/purge', auth, JSON.stringify({ Type: 'Timer', TriggerName: 'manual' }));
    expect(purge.status).toBe(200);
    expect(JSON.parse(purge.body)).toMatchObject({ code: 0, data: { purged: 0 } });
    // The trigger route runs only the functions no client may call (timers, pushes), never a client function.
    const other = await raw('POST', '/_local/trigger/deleteMyData', auth, '{"confirm":true}');
    expect(attack(other.status === 403)).toBe(true);
  });
});

describe('13. the H5 pages and static files', () => {
  test('H5 pages carry a Content-Security-Policy; the static folder cannot be left', async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'wish-static-'));
    mkdirSync(join(staticDir, 'js'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(staticDir, 'js', 'app.js'), 'console.log(1)');
    const dir = mkdtempSync(join(tmpdir(), 'wish-static-data-'));
    const cloud = await startLocalCloud({ port: 0, dataDir: dir, staticDir, quiet: true });
    try {
      const page = await raw('GET', '/', {}, undefined, cloud.url);
      const csp = String(page.headers['content-security-policy'] ?? '');
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("'unsafe-eval'");
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      for (const p of [
        '/%2e%2e/credentials.json',
        '/..%2f..%2fpackage.json',
        '/js/..%2f..%2f..%2fpackage.json',
        '/%00',
        '/..%5c..%5cpackage.json',
      ]) {
        const r = await raw('GET', p, {}, undefined, cloud.url);
        expect(attack([400, 404].includes(r.status) && !r.body.includes('secretKey') && !r.body.includes('"scripts"'))).toBe(true);
      }
    } finally {
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('14. header identity only on loopback', () => {
  test('the local cloud refuses to listen on anything but a loopback address', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wish-host-'));
    try {
      for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.com']) {
        await expect(startLocalCloud({ port: 0, dataDir: dir, quiet: true, host })).rejects.toThrow(/loopback|127\.0\.0\.1/);
        attack(true);
      }
      const cloud = await startLocalCloud({ port: 0, dataDir: dir, quiet: true, host: 'localhost' });
      expect((await fetch(`${cloud.url}/api/_health`)).status).toBe(200);
      await cloud.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('15. the js-sdk gateway routes (issue 23)', () => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const callPublic = (authorization?: string) =>
    raw(
      'POST',
      '/v1/functions/publicResults',
      { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      JSON.stringify({}),
    );

  test('a function call without a token the local cloud issued is refused before it runs', async () => {
    const ran = () => env.cloud.stats().functions.publicResults ?? 0;
    const before = ran();
    const other = gatewayTokens(Buffer.alloc(32, 7)).signInAnonymously();
    const signIn = JSON.parse(
      (await raw('POST', '/auth/v1/signin/anonymously?client_id=local', { 'content-type': 'text/plain' }, '{}')).body,
    ) as {
      access_token: string;
      refresh_token: string;
    };
    const [h, body] = signIn.access_token.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const authorization of [
      undefined,
      'Bearer ',
      'Bearer junk',
      `Bearer ${other.access_token}`, // signed with another key
      `Bearer ${signIn.refresh_token}`, // a refresh token is not an access token
      `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${body}.`, // unsigned
      `Bearer ${h}.${b64({ ...claims, sub: 'someone-else' })}.${signIn.access_token.split('.')[2]}`, // claims changed
      signIn.access_token, // no Bearer
    ]) {
      const r = await callPublic(authorization);
      expect(attack(r.status === 401 && JSON.parse(r.body).code === 'INVALID_ACCESS_TOKEN')).toBe(true);
    }
    expect(ran()).toBe(before);
    const me = await raw('GET', '/auth/v1/user/me', { authorization: `Bearer ${other.access_token}` });
    expect(attack(me.status === 401)).toBe(true);
    // The legitimate path: the token it issued runs the function, as an anonymous caller.
    const r = await callPublic(`Bearer ${signIn.access_token}`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).code).toBe(0);
    expect(ran()).toBe(before + 1);
    // An anonymous caller is no member: a signed-in function answers AUTH.NO_IDENTITY and writes nothing.
    const before2 = await everything();
    const claim = callOf('wishCards', { mode: 'link', cardNo: 'AAAA-BBBB-CCCC', wishId: 'w1' });
    const c = await raw(
      'POST',
      `/v1/functions/${claim.name}`,
      { 'content-type': 'application/json', authorization: `Bearer ${signIn.access_token}` },
      JSON.stringify(claim.data),
    );
    expect(JSON.parse(c.body)).toMatchObject({ code: 'AUTH.NO_IDENTITY' });
    attack(true);
    expect(await everything()).toBe(before2);
  });

  test('tokens expire; a refresh token gives new ones only while it is valid', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const t = gatewayTokens(Buffer.alloc(32, 1), () => now);
    const c = t.signInAnonymously();
    expect(t.userOf(`Bearer ${c.access_token}`)).toBe(c.sub);
    now += (ACCESS_TTL_S + 1) * 1000;
    expect(t.userOf(`Bearer ${c.access_token}`)).toBeNull();
    const renewed = t.refresh(c.refresh_token);
    expect(renewed?.sub).toBe(c.sub);
    expect(t.userOf(`Bearer ${renewed!.access_token}`)).toBe(c.sub);
    expect(t.refresh(c.access_token)).toBeNull();
    now += 31 * 24 * 3600 * 1000;
    expect(t.refresh(c.refresh_token)).toBeNull();
  });
});

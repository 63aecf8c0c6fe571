/**
 * Cloud calls (云调用) through wx-server-sdk's cloud.openapi, answered by the local cloud on the SDK's real wire
 * (`wx.openApi`, protobuf CommApiData in, CommOpenApiResp out): the request decodes to the documented fields, WeChat's
 * refusals come back as `errCode`/`errMsg`, wxacode.getUnlimited answers `{ contentType, buffer }`. And the CloudBase
 * notification adapter (WeChat subscribe message): template id from the environment, the page of the wish, the
 * template fields cut to WeChat's 20-character `thing` limit; no template id → nothing sent.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { startCloud } from './harness';
import { wechatNotifier } from '../../server/notify';
import { wx } from '../../server/wx';
import { decodeOpenApiRequest, decodeOpenApiResponse, encodeOpenApiResponse } from '../../localcloud/wx';

let env: Awaited<ReturnType<typeof startCloud>>;
beforeAll(async () => {
  env = await startCloud();
}, 60_000);
afterAll(async () => {
  delete process.env.WX_TEMPLATE_CLAIMED;
  await env.stop();
});

test('a subscribe message with the configured template, the wish page and fields WeChat accepts', async () => {
  process.env.WX_TEMPLATE_CLAIMED = 'tmpl-claimed-1';
  const at = '2026-11-24T02:30:00.000Z';
  await wechatNotifier.send('demo-resident', 'claimed', {
    title: '您的心愿有人认领了',
    body: '“想请人陪我聊聊天”已被党员认领，承诺 11月30日前完成',
    wishId: 'w123',
    at,
  });
  const [m, ...rest] = env.cloud.wxMessages();
  expect(rest).toEqual([]);
  expect(m).toMatchObject({ touser: 'demo-resident', template_id: 'tmpl-claimed-1', page: 'pages/wish/index?id=w123' });
  expect(m!.data.thing1!.value).toBe('您的心愿有人认领了');
  expect(m!.data.thing2!.value).toHaveLength(20);
  expect(m!.data.thing2!.value.endsWith('…')).toBe(true);
  expect(m!.data.time3!.value).toBe('2026-11-24 10:30'); // China time
});

test('a kind without a template id is not sent to WeChat', async () => {
  const before = env.cloud.wxMessages().length;
  await wechatNotifier.send('demo-resident', 'rejected', { title: 't', body: 'b', wishId: 'w1', at: new Date().toISOString() });
  expect(env.cloud.wxMessages()).toHaveLength(before);
});

test('a message WeChat refuses is an error (deliver logs it and carries on)', async () => {
  process.env.WX_TEMPLATE_CLAIMED = 'tmpl-claimed-1';
  const before = env.cloud.wxMessages().length;
  await expect(wechatNotifier.send('', 'claimed', { title: 't', body: 'b', wishId: 'w1', at: new Date().toISOString() })).rejects.toThrow(
    /40003/,
  );
  expect(env.cloud.wxMessages()).toHaveLength(before);
});

describe('the wire of a cloud call, as wx-server-sdk sends and reads it', () => {
  test('msgSecCheck through the SDK decodes to the documented fields (content, version, scene, openid) and answers camelCase', async () => {
    const r = await wx().openapi.security.msgSecCheck({ content: '想请人陪我聊聊天', version: 2, scene: 2, openid: 'demo-resident' });
    expect(r).toMatchObject({ errCode: 0, result: { suggest: 'pass', label: 100 } });
    expect(r.traceId).toMatch(/^[0-9a-f]{24}$/); // trace_id, camelCased by the SDK
    const call = env.cloud.wxCalls().at(-1)!;
    expect(call.apiName).toBe('security.msgSecCheck');
    expect(call.params).toEqual({ content: '想请人陪我聊聊天', version: 2, scene: 2, openid: 'demo-resident' });
    // The SDK turns camelCase into WeChat's snake_case before encoding.
    await expect(
      wx().openapi.security.mediaCheckAsync({ mediaUrl: 'cloud://local.bucket/x.png', mediaType: 2, version: 2, scene: 1, openid: 'o' }),
    ).rejects.toMatchObject({ errCode: 40097 });
    expect(env.cloud.wxCalls().at(-1)!.params).toEqual({
      media_url: 'cloud://local.bucket/x.png',
      media_type: 2,
      version: 2,
      scene: 1,
      openid: 'o',
    });
  });

  test('the bytes the SDK sends are a CommApiData the local cloud decodes; a CommOpenApiResp the SDK decodes', async () => {
    // Capture what the SDK's node-sdk puts on the wire (its requestData file part), and decode it here.
    const captured: Buffer[] = [];
    const { createServer } = await import('node:http');
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        captured.push(Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(
          encodeOpenApiResponse(
            'application/json',
            Buffer.from(JSON.stringify({ errcode: 0, errmsg: 'ok', result: { suggest: 'risky', label: 20006 } })),
          ),
        );
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as { port: number }).port;
    // A fresh copy of the SDK (its module state is one initialised client), pointed at the capturing server.
    let fresh!: { init: (o: object) => void; openapi: any };
    jest.isolateModules(() => {
      fresh = require('wx-server-sdk');
    });
    fresh.init({ env: 'local', secretId: 'x', secretKey: 'y', serviceUrl: `http://127.0.0.1:${port}/tcb` });
    const other = fresh;
    try {
      const r = await other.openapi.security.msgSecCheck({ content: 'abc', version: 2, scene: 4, openid: 'o-1' });
      expect(r).toMatchObject({ errCode: 0, result: { suggest: 'risky', label: 20006 } });
    } finally {
      proxy.close();
    }
    const body = captured[0]!;
    const boundary = /^--([^\r]+)\r\n/.exec(body.toString('latin1'))![1]!;
    const part = body
      .toString('latin1')
      .split(`--${boundary}`)
      .find((p) => p.includes('name="requestData"'))!;
    const bytes = Buffer.from(part.slice(part.indexOf('\r\n\r\n') + 4, -2), 'latin1');
    expect(body.toString('latin1')).toContain('name="action"\r\n\r\nwx.openApi');
    expect(decodeOpenApiRequest('security.msgSecCheck', bytes).params).toEqual({ content: 'abc', version: 2, scene: 4, openid: 'o-1' });
    // And our encoding reads back field for field.
    expect(decodeOpenApiResponse(encodeOpenApiResponse('image/png', Buffer.from([1, 2, 3])))).toMatchObject({
      contentType: 'image/png',
      errorCode: 0,
      respData: Buffer.from([1, 2, 3]),
    });
  });

  test('a WeChat refusal comes back through the SDK as errCode/errMsg', async () => {
    const data = { thing1: { value: '这是一段超过二十个字的通知标题，微信不会接受它的' } };
    await expect(wx().openapi.subscribeMessage.send({ touser: 'demo-resident', templateId: 't-1', data })).rejects.toMatchObject({
      errCode: 47003,
      errMsg: expect.stringContaining('data.thing1.value'),
    });
    await expect(wx().openapi.subscribeMessage.send({ touser: 'demo-resident', data })).rejects.toMatchObject({ errCode: 40037 });
    // An API the local cloud does not answer is a wire error, thrown by the SDK too (not a silent success).
    await expect(wx().openapi.wxacode.get({ path: 'card/index' })).rejects.toMatchObject({
      errMsg: expect.stringContaining('does not implement the cloud call wxacode.get'),
    });
  });
});

describe('wxacode.getUnlimited (the mini-program code of a wish card) through wx-server-sdk', () => {
  const decode = (png: Buffer) => {
    const img = PNG.sync.read(png);
    return jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data ?? null;
  };
  const getUnlimited = (data: object) => wx().openapi.wxacode.getUnlimited(data) as Promise<{ contentType: string; buffer: Buffer }>;

  test('answers { contentType, buffer } (locally: a standard QR code of the H5 page with the scene), or WeChat’s errors', async () => {
    const r = await getUnlimited({ scene: 'ABCD-EFGH-JKMN', page: 'card/index', checkPath: false, width: 280 });
    expect(r.contentType).toBe('image/png');
    expect(Buffer.isBuffer(r.buffer)).toBe(true);
    expect(decode(r.buffer)).toBe(`${env.cloud.url}/#/card/index?scene=ABCD-EFGH-JKMN`);
    expect(env.cloud.wxCalls().at(-1)!.params).toEqual({ scene: 'ABCD-EFGH-JKMN', page: 'card/index', check_path: false, width: 280 });
    // What WeChat refuses, as WeChat answers it: an errcode, thrown by the SDK as errCode.
    for (const [data, errCode] of [
      [{ scene: '', page: 'card/index' }, 40129],
      [{ scene: 'x'.repeat(33), page: 'card/index' }, 40129],
      [{ scene: '卡号', page: 'card/index' }, 40129],
      [{ scene: 'A', page: '/card/index' }, 41030],
      [{ scene: 'A', page: 'card/index?no=1' }, 41030],
      [{ scene: 'A', page: 'card/index', width: 100 }, 40159],
    ] as const)
      await expect(getUnlimited(data)).rejects.toMatchObject({ errCode, errMsg: expect.stringContaining('wxacode.getUnlimited:fail') });
  });

  test('an unsigned or tampered multipart request is refused like any other wire request', async () => {
    const form = new FormData();
    form.append('action', 'wx.openApi');
    form.append('apiName', 'wxacode.getUnlimited');
    form.append('requestData', new Blob([JSON.stringify({ scene: 'A', page: 'card/index' })])); // not even protobuf: refused first
    const res = await fetch(`${env.cloud.url}/tcb`, { method: 'POST', body: form });
    expect(await res.json()).toMatchObject({ code: 'SIGN_PARAM_INVALID' });
  });
});

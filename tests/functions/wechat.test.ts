/**
 * The CloudBase notification adapter (WeChat subscribe message) through the real SDK's callWxOpenApi,
 * answered by the local cloud's wx.api action: template id from the environment, the page of the wish,
 * the template fields cut to WeChat's 20-character `thing` limit; no template id → nothing sent.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { startCloud } from './harness';
import { wechatNotifier } from '../../server/notify';

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

describe('wxacode.getUnlimited (the mini-program code of a wish card) through the SDK’s binary open API', () => {
  const decode = (png: Buffer) => {
    const img = PNG.sync.read(png);
    return jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data ?? null;
  };
  const getUnlimited = (requestData: object, apiName = 'wxacode.getUnlimited') =>
    env.sdk.callCompatibleWxOpenApi({ apiName, requestData: Buffer.from(JSON.stringify(requestData)) as unknown as object });

  test('answers an image (locally: a standard QR code of the H5 page with the scene), or WeChat’s JSON errors', async () => {
    const png = await getUnlimited({ scene: 'ABCD-EFGH-JKMN', page: 'card/index', check_path: false, width: 280 });
    expect(Buffer.isBuffer(png)).toBe(true);
    expect(decode(png as Buffer)).toBe(`${env.cloud.url}/#/card/index?scene=ABCD-EFGH-JKMN`);
    // What WeChat refuses, as WeChat answers it: JSON with an errcode, not an image.
    expect(await getUnlimited({ scene: '', page: 'card/index' })).toMatchObject({ errcode: 40129 });
    expect(await getUnlimited({ scene: 'x'.repeat(33), page: 'card/index' })).toMatchObject({ errcode: 40129 });
    expect(await getUnlimited({ scene: '卡号', page: 'card/index' })).toMatchObject({ errcode: 40129 });
    expect(await getUnlimited({ scene: 'A', page: '/card/index' })).toMatchObject({ errcode: 41030 });
    expect(await getUnlimited({ scene: 'A', page: 'card/index?no=1' })).toMatchObject({ errcode: 41030 });
    expect(await getUnlimited({ scene: 'A', page: 'card/index', width: 100 })).toMatchObject({ errcode: 40159 });
    await expect(getUnlimited({ scene: 'A' }, 'wxacode.get')).rejects.toMatchObject({ code: 'LOCALCLOUD.NOT_IMPLEMENTED' });
  });

  test('an unsigned or tampered multipart request is refused like any other wire request', async () => {
    const form = new FormData();
    form.append('action', 'wx.openApi');
    form.append('apiName', 'wxacode.getUnlimited');
    form.append('requestData', new Blob([JSON.stringify({ scene: 'A', page: 'card/index' })]));
    const res = await fetch(`${env.cloud.url}/tcb`, { method: 'POST', body: form });
    expect(await res.json()).toMatchObject({ code: 'SIGN_PARAM_INVALID' });
  });
});

/**
 * The CloudBase notification adapter (WeChat subscribe message) through the real SDK's callWxOpenApi,
 * answered by the local cloud's wx.api action: template id from the environment, the page of the wish,
 * the template fields cut to WeChat's 20-character `thing` limit; no template id → nothing sent.
 */
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

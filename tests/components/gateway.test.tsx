/**
 * The gateway, both targets: H5 posts to the local cloud with the picked identity; weapp calls
 * Taro.cloud.callFunction. Each test sets TARO_ENV and loads fresh modules (as a build would).
 */
type Gateway = typeof import('@/services/gateway');
type TaroStub = typeof import('./stubs/taro');

const savedEnv = process.env.TARO_ENV;
afterEach(() => {
  process.env.TARO_ENV = savedEnv;
});

function load(env: 'h5' | 'weapp'): { gw: Gateway; taro: TaroStub } {
  process.env.TARO_ENV = env;
  let gw!: Gateway;
  let taro!: TaroStub;
  jest.isolateModules(() => {
    taro = require('@tarojs/taro');
    gw = require('@/services/gateway');
  });
  return { gw, taro };
}

describe('H5: local cloud over HTTP', () => {
  test('posts to /api/<name> with the picked identity and resolves data', async () => {
    const { gw, taro } = load('h5');
    taro.default.setStorageSync('dev-openid', 'demo-member');
    taro.default.request.mockResolvedValueOnce({
      statusCode: 200,
      header: {},
      data: { code: 0, data: { id: 'demo-member', role: 'member' } },
    });

    await expect(gw.call('whoami', {})).resolves.toEqual({ id: 'demo-member', role: 'member' });

    expect(taro.default.request).toHaveBeenCalledTimes(1);
    const opts = taro.default.request.mock.calls[0]![0] as { url: string; method: string; data: unknown; header: Record<string, string> };
    expect(opts.url).toBe('/api/whoami');
    expect(opts.method).toBe('POST');
    expect(opts.data).toEqual({});
    expect(opts.header['x-wx-openid']).toBe('demo-member');
    expect(opts.header['content-type']).toBe('application/json');
    expect(taro.default.cloud.callFunction).not.toHaveBeenCalled();
  });

  test('without a picked identity it acts as the demo resident', async () => {
    const { gw, taro } = load('h5');
    taro.default.request.mockResolvedValueOnce({ statusCode: 200, header: {}, data: { code: 0, data: 1 } });
    await gw.call('board', { limit: 5 });
    const opts = taro.default.request.mock.calls[0]![0] as { url: string; data: unknown; header: Record<string, string> };
    expect(opts.header['x-wx-openid']).toBe('demo-resident');
    expect(opts.url).toBe('/api/board');
    expect(opts.data).toEqual({ limit: 5 });
  });

  test('a non-200 answer rejects with the server code and Chinese message', async () => {
    const { gw, taro } = load('h5');
    taro.default.request.mockResolvedValueOnce({
      statusCode: 409,
      header: {},
      data: { code: 'WISH.ALREADY_CLAIMED', message: '手慢了，这个心愿已被其他党员认领' },
    });
    const err = await gw.call('claim', { wishId: 'w1', promisedBy: '2030-01-01' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(gw.GatewayError);
    expect(err).toMatchObject({ code: 'WISH.ALREADY_CLAIMED', message: '手慢了，这个心愿已被其他党员认领' });
    expect(gw.messageOf(err)).toBe('手慢了，这个心愿已被其他党员认领');
  });

  test('a network failure rejects with NETWORK and a Chinese message', async () => {
    const { gw, taro } = load('h5');
    taro.default.request.mockRejectedValueOnce(new Error('request:fail'));
    await expect(gw.call('whoami')).rejects.toMatchObject({ code: 'NETWORK', message: '网络不太好，请稍后再试' });
  });

  test('an answer without a code (e.g. an HTML error page) is a network failure', async () => {
    const { gw, taro } = load('h5');
    taro.default.request.mockResolvedValueOnce({ statusCode: 502, header: {}, data: '<html>Bad Gateway</html>' });
    await expect(gw.call('whoami')).rejects.toMatchObject({ code: 'NETWORK' });
  });

  test('photoUrl maps a local cloud file id to /files/<path>', () => {
    const { gw } = load('h5');
    expect(gw.photoUrl('cloud://local.bucket/wish-photos/a.jpg')).toBe('/files/wish-photos/a.jpg');
  });
});

describe('weapp: Taro.cloud.callFunction', () => {
  test('calls the function by name and resolves result.data', async () => {
    const { gw, taro } = load('weapp');
    taro.default.cloud.callFunction.mockResolvedValueOnce({ result: { code: 0, data: { items: [], cursor: null } } });
    await expect(gw.call('board', { limit: 20 })).resolves.toEqual({ items: [], cursor: null });
    expect(taro.default.cloud.callFunction).toHaveBeenCalledWith({ name: 'board', data: { limit: 20 } });
    expect(taro.default.request).not.toHaveBeenCalled();
  });

  test('an error answer rejects with its code and message', async () => {
    const { gw, taro } = load('weapp');
    taro.default.cloud.callFunction.mockResolvedValueOnce({ result: { code: 'AUTH.FORBIDDEN', message: '您没有权限做这件事' } });
    await expect(gw.call('publish', { wishId: 'w1' })).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN', message: '您没有权限做这件事' });
  });

  test('a failed call rejects with NETWORK', async () => {
    const { gw, taro } = load('weapp');
    taro.default.cloud.callFunction.mockRejectedValueOnce({ errMsg: 'cloud.callFunction:fail' });
    await expect(gw.call('whoami')).rejects.toMatchObject({ code: 'NETWORK', message: '网络不太好，请稍后再试' });
  });

  test('photos upload to cloud storage and the file id is the image src', async () => {
    const { gw, taro } = load('weapp');
    taro.default.cloud.uploadFile.mockResolvedValueOnce({ fileID: 'cloud://env.bucket/wish-photos/1.jpg' });
    await expect(gw.uploadPhoto('wxfile://tmp/1.jpg')).resolves.toEqual({
      fileID: 'cloud://env.bucket/wish-photos/1.jpg',
      url: 'cloud://env.bucket/wish-photos/1.jpg',
    });
    expect(gw.photoUrl('cloud://env.bucket/wish-photos/1.jpg')).toBe('cloud://env.bucket/wish-photos/1.jpg');
  });
});

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

  test('a photo: photoUpload names the place, the bytes go there with its signed authorisation; URLs come from fileUrls', async () => {
    const { gw, taro } = load('h5');
    const ticket = {
      cloudPath: 'uploads/0123456789abcdef/a.png',
      upload: {
        url: 'http://127.0.0.1:8787/cos/upload/uploads/0123456789abcdef/a.png',
        authorization: 'local-sign-1:ab',
        token: 'local',
        fileId: 'cloud://local.bucket/uploads/0123456789abcdef/a.png',
      },
    };
    taro.default.request.mockResolvedValueOnce({ statusCode: 200, header: {}, data: { code: 0, data: ticket } });
    const fetched: Array<[string, RequestInit | undefined]> = [];
    const realFetch = global.fetch;
    global.fetch = jest.fn(async (url: unknown, init?: RequestInit) => {
      fetched.push([String(url), init]);
      return String(url).startsWith('blob:') ? ({ blob: async () => new Blob(['x']) } as Response) : ({ status: 200 } as Response);
    }) as typeof fetch;
    try {
      await expect(gw.uploadPhoto('blob:http://127.0.0.1/1.png', { purpose: 'fulfil', wishId: 'w1' })).resolves.toEqual({
        fileID: ticket.upload.fileId,
      });
    } finally {
      global.fetch = realFetch;
    }
    const asked = taro.default.request.mock.calls[0]![0] as { url: string; data: unknown };
    expect(asked).toMatchObject({ url: '/api/photoUpload', data: { purpose: 'fulfil', wishId: 'w1', ext: 'png' } });
    expect(fetched[1]![0]).toBe('/cos/upload/uploads/0123456789abcdef/a.png'); // same origin as /api
    expect(fetched[1]![1]).toMatchObject({ method: 'PUT', headers: { authorization: 'local-sign-1:ab' } });
    // Shown through fileUrls' short-lived URLs, never by path.
    taro.default.request.mockResolvedValueOnce({
      statusCode: 200,
      header: {},
      data: { code: 0, data: { urls: { [ticket.upload.fileId]: 'http://x/files/a.png?sign=1.ab' } } },
    });
    await expect(gw.photoUrls([ticket.upload.fileId])).resolves.toEqual({ [ticket.upload.fileId]: 'http://x/files/a.png?sign=1.ab' });
    expect((taro.default.request.mock.calls[1]![0] as { url: string }).url).toBe('/api/fileUrls');
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

  test('photos upload to the path photoUpload hands out, and are shown through fileUrls (storage is private)', async () => {
    const { gw, taro } = load('weapp');
    const cloudPath = 'uploads/0123456789abcdef/0123456789abcdef0123456789abcdef.jpg';
    taro.default.cloud.callFunction.mockResolvedValueOnce({
      result: { code: 0, data: { cloudPath, upload: { url: 'https://cos', authorization: 'a', token: 't', fileId: 'x' } } },
    });
    taro.default.cloud.uploadFile.mockResolvedValueOnce({ fileID: `cloud://env.bucket/${cloudPath}` });
    await expect(gw.uploadPhoto('wxfile://tmp/1.jpg', { purpose: 'collect' })).resolves.toEqual({
      fileID: `cloud://env.bucket/${cloudPath}`,
    });
    expect(taro.default.cloud.callFunction).toHaveBeenCalledWith({ name: 'photoUpload', data: { purpose: 'collect', ext: 'jpg' } });
    expect(taro.default.cloud.uploadFile).toHaveBeenCalledWith({ cloudPath, filePath: 'wxfile://tmp/1.jpg' });
    taro.default.cloud.callFunction.mockResolvedValueOnce({
      result: { code: 0, data: { urls: { [`cloud://env.bucket/${cloudPath}`]: 'https://tmp/1.jpg?sign' } } },
    });
    await expect(gw.photoUrls([`cloud://env.bucket/${cloudPath}`])).resolves.toEqual({
      [`cloud://env.bucket/${cloudPath}`]: 'https://tmp/1.jpg?sign',
    });
    expect(taro.default.cloud.callFunction).toHaveBeenLastCalledWith({
      name: 'fileUrls',
      data: { fileIds: [`cloud://env.bucket/${cloudPath}`] },
    });
  });
});

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

/** The browser's fetch, answering the function calls in turn (`answers`: status and JSON body, or a body that is not
 * JSON, or a failure) and the photo PUT; every call recorded. Restored after each test. */
const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
});
type Answer = { status: number; body?: unknown; notJson?: true } | Error;
function mockFetch(...answers: Answer[]): Array<[string, RequestInit | undefined]> {
  const calls: Array<[string, RequestInit | undefined]> = [];
  global.fetch = jest.fn(async (url: unknown, init?: RequestInit) => {
    calls.push([String(url), init]);
    if (String(url).startsWith('blob:')) return { blob: async () => new Blob(['x']) } as Response;
    if (init?.method === 'PUT') return { status: 200 } as Response;
    const a = answers.shift();
    if (!a) throw new Error(`no answer for ${String(url)}`);
    if (a instanceof Error) throw a;
    return {
      status: a.status,
      json: async () => {
        if (a.notJson) throw new SyntaxError('Unexpected token <');
        return a.body;
      },
    } as Response;
  }) as typeof fetch;
  return calls;
}
const sent = (call: [string, RequestInit | undefined]) => ({
  url: call[0],
  method: call[1]?.method,
  data: JSON.parse(String(call[1]?.body)),
  header: call[1]?.headers as Record<string, string>,
});

describe("H5: local cloud over HTTP (the browser's fetch)", () => {
  test('posts to /api/<function> with the operation as its action, the picked identity, and resolves data', async () => {
    const { gw, taro } = load('h5');
    taro.default.setStorageSync('dev-openid', 'demo-member');
    const calls = mockFetch({ status: 200, body: { code: 0, data: { id: 'demo-member', role: 'member' } } });

    await expect(gw.call('whoami', {})).resolves.toEqual({ id: 'demo-member', role: 'member' });

    expect(calls).toHaveLength(1);
    const opts = sent(calls[0]!);
    expect(opts.url).toBe('/api/account');
    expect(opts.method).toBe('POST');
    expect(opts.data).toEqual({ action: 'whoami' });
    expect(opts.header['x-wx-openid']).toBe('demo-member');
    expect(opts.header['content-type']).toBe('application/json');
    expect(taro.default.request).not.toHaveBeenCalled();
    expect(taro.default.cloud.callFunction).not.toHaveBeenCalled();
  });

  test('without a picked identity it acts as the demo resident', async () => {
    const { gw } = load('h5');
    const calls = mockFetch({ status: 200, body: { code: 0, data: 1 } });
    await gw.call('board', { limit: 5 });
    const opts = sent(calls[0]!);
    expect(opts.header['x-wx-openid']).toBe('demo-resident');
    expect(opts.url).toBe('/api/wishes');
    expect(opts.data).toEqual({ limit: 5, action: 'board' });
  });

  test('a non-200 answer rejects with the server code and Chinese message', async () => {
    const { gw } = load('h5');
    mockFetch({ status: 409, body: { code: 'WISH.ALREADY_CLAIMED', message: '手慢了，这个心愿已被其他党员认领' } });
    const err = await gw.call('claim', { wishId: 'w1', promisedBy: '2030-01-01' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(gw.GatewayError);
    expect(err).toMatchObject({ code: 'WISH.ALREADY_CLAIMED', message: '手慢了，这个心愿已被其他党员认领' });
    expect(gw.messageOf(err)).toBe('手慢了，这个心愿已被其他党员认领');
  });

  test('a network failure rejects with NETWORK and a Chinese message', async () => {
    const { gw } = load('h5');
    mockFetch(new TypeError('Failed to fetch'));
    await expect(gw.call('whoami')).rejects.toMatchObject({ code: 'NETWORK', message: '网络不太好，请稍后再试' });
  });

  test('an answer without a code (e.g. an HTML error page) is a network failure', async () => {
    const { gw } = load('h5');
    mockFetch({ status: 502, notJson: true });
    await expect(gw.call('whoami')).rejects.toMatchObject({ code: 'NETWORK' });
    mockFetch({ status: 200, body: '<html>Bad Gateway</html>' });
    await expect(gw.call('whoami')).rejects.toMatchObject({ code: 'NETWORK' });
  });

  test('a photo: photoUpload names the place, the bytes go there with its signed authorisation; URLs come from fileUrls', async () => {
    const { gw } = load('h5');
    const ticket = {
      cloudPath: 'uploads/0123456789abcdef/a.png',
      upload: {
        url: 'http://127.0.0.1:8787/cos/upload/uploads/0123456789abcdef/a.png',
        authorization: 'local-sign-1:ab',
        token: 'local',
        fileId: 'cloud://local.bucket/uploads/0123456789abcdef/a.png',
      },
    };
    const calls = mockFetch(
      { status: 200, body: { code: 0, data: ticket } },
      { status: 200, body: { code: 0, data: { urls: { [ticket.upload.fileId]: 'http://x/files/a.png?sign=1.ab' } } } },
    );
    await expect(gw.uploadPhoto('blob:http://127.0.0.1/1.png', { purpose: 'fulfil', wishId: 'w1' })).resolves.toEqual({
      fileID: ticket.upload.fileId,
    });
    expect(sent(calls[0]!)).toMatchObject({
      url: '/api/files',
      data: { action: 'photoUpload', purpose: 'fulfil', wishId: 'w1', ext: 'png' },
    });
    expect(calls[2]![0]).toBe('/cos/upload/uploads/0123456789abcdef/a.png'); // same origin as /api
    expect(calls[2]![1]).toMatchObject({ method: 'PUT', headers: { authorization: 'local-sign-1:ab' } });
    // Shown through fileUrls' short-lived URLs, never by path.
    await expect(gw.photoUrls([ticket.upload.fileId])).resolves.toEqual({ [ticket.upload.fileId]: 'http://x/files/a.png?sign=1.ab' });
    expect(calls[3]![0]).toBe('/api/files');
  });
});

describe('weapp: Taro.cloud.callFunction', () => {
  test('calls the function that serves the operation (with its action where grouped) and resolves result.data', async () => {
    const { gw, taro } = load('weapp');
    taro.default.cloud.callFunction.mockResolvedValueOnce({ result: { code: 0, data: { items: [], cursor: null } } });
    await expect(gw.call('board', { limit: 20 })).resolves.toEqual({ items: [], cursor: null });
    expect(taro.default.cloud.callFunction).toHaveBeenCalledWith({ name: 'wishes', data: { limit: 20, action: 'board' } });
    // A stage is its own function, with the event as it is.
    taro.default.cloud.callFunction.mockResolvedValueOnce({ result: { code: 0, data: { _id: 'w1' } } });
    await gw.call('claim', { wishId: 'w1', promisedBy: '2030-01-01' });
    expect(taro.default.cloud.callFunction).toHaveBeenLastCalledWith({ name: 'claim', data: { wishId: 'w1', promisedBy: '2030-01-01' } });
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
    expect(taro.default.cloud.callFunction).toHaveBeenCalledWith({
      name: 'files',
      data: { action: 'photoUpload', purpose: 'collect', ext: 'jpg' },
    });
    expect(taro.default.cloud.uploadFile).toHaveBeenCalledWith({ cloudPath, filePath: 'wxfile://tmp/1.jpg' });
    taro.default.cloud.callFunction.mockResolvedValueOnce({
      result: { code: 0, data: { urls: { [`cloud://env.bucket/${cloudPath}`]: 'https://tmp/1.jpg?sign' } } },
    });
    await expect(gw.photoUrls([`cloud://env.bucket/${cloudPath}`])).resolves.toEqual({
      [`cloud://env.bucket/${cloudPath}`]: 'https://tmp/1.jpg?sign',
    });
    expect(taro.default.cloud.callFunction).toHaveBeenLastCalledWith({
      name: 'files',
      data: { action: 'fileUrls', fileIds: [`cloud://env.bucket/${cloudPath}`] },
    });
  });
});

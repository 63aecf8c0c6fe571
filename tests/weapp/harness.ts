/**
 * The weapp bundle (dist/weapp, `npm run build:weapp`) run headlessly under WeChat's own parts:
 * `miniprogram-simulate` compiles every WXML file with WeChat's compiler `wcc` and renders through WeChat's component
 * framework (`miniprogram-exparser`, via `j-component`) into jsdom. What this file adds, and nothing more:
 *
 * - `App` / `Page` shims: the platform's constructors (the bundle calls `App(...)` in app.js and `Page(...)` in each
 *   page). A page's options become a custom component's methods, and the component's `attached` runs the page's
 *   `onLoad(query)` / `onShow()`, `ready` its `onReady()` — so Taro's page code, its `setData`, its event handler `eh`
 *   and the recursive `comp` component run as they do on a phone.
 * - A recording `wx`: every API the bundle may read, each recorded; any other property read is recorded as unknown
 *   (a test fails on it). `wx.cloud.callFunction` goes to a real local cloud (`tests/functions/harness.ts`
 *   `startCloud()`) as the demo user the test acts as; `wx.cloud.uploadFile` puts the bytes where the `photoUpload`
 *   ticket says. Navigation is recorded, not performed: a test opens the next page itself (`follow`).
 *
 * Limits: no pixel layout; native components (input, picker) get the change events the test dispatches; no real
 * network or storage beyond the local cloud.
 */
import { accessSync, chmodSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../..');
export const DIST = join(ROOT, 'dist/weapp');

/** WeChat's compilers ship in miniprogram-compiler without the execute bit (npm does not keep it for them): set it. */
export function prepareCompilers(): void {
  const dir = join(ROOT, 'node_modules/miniprogram-compiler/bin/linux');
  if (process.platform !== 'linux') return; // mac/windows binaries: miniprogram-compiler sets them itself
  for (const bin of ['wcc', 'wcsc']) {
    const file = join(dir, bin);
    try {
      accessSync(file, constants.X_OK);
    } catch {
      try {
        chmodSync(file, statSync(file).mode | 0o111);
      } catch (e) {
        throw new Error(
          `WeChat's compiler ${file} is not executable and could not be made so (${(e as Error).message}): run chmod +x on it`,
        );
      }
    }
  }
}

export interface CallRecord {
  name: string;
  data: Record<string, unknown>;
  openid: string;
  result?: any;
}

/** Sizes in bytes (UTF-8 of the JSON) of each setData call a page made. */
export interface SetDataRecord {
  route: string;
  bytes: number;
  at: number;
}

type Opts = Record<string, any>;

/** WeChat's async API convention: success/fail/complete callbacks, or a promise when none is given. */
function asyncApi<R>(name: string, run: (o: Opts) => Promise<R> | R) {
  return (o: Opts = {}) => {
    const p = Promise.resolve()
      .then(() => run(o))
      .then((res) => ({ errMsg: `${name}:ok`, ...(res as object) }));
    if (o.success || o.fail || o.complete) {
      p.then(
        (r) => {
          o.success?.(r);
          o.complete?.(r);
        },
        (e) => {
          const err = { errMsg: `${name}:fail ${e?.message ?? e}` };
          o.fail?.(err);
          o.complete?.(err);
        },
      );
      return undefined;
    }
    return p;
  };
}

export interface WxWorld {
  wx: any;
  calls: Array<{ api: string; args: unknown[] }>;
  unknown: Set<string>;
  cloudCalls: CallRecord[];
  cloudProblems: string[];
  navigations: Array<{ api: string; url?: string; delta?: number }>;
  toasts: string[];
  modals: Array<{ title?: string; content?: string }>;
  storage: Map<string, unknown>;
  /** The user the mini-program runs as (the platform's WX_OPENID for the cloud). */
  openid: string;
  inflight: number;
  /** When a cloud call, an upload or a setData last happened (settling waits for quiet). */
  lastActivity: number;
  /** Files the chooser hands out: temp path → bytes. */
  files: Map<string, Buffer>;
  /** What chooseMedia / chooseImage answer next (temp paths). */
  nextChosen: string[];
  /** The answer to the next showModal (confirm by default). */
  modalConfirm: boolean;
}

/** The documented shapes of wx.cloud's calls this app may make (wx.cloud.callFunction: name, data; uploadFile: cloudPath, filePath). */
const CLOUD_FIELDS: Record<string, readonly string[]> = {
  init: ['env', 'traceUser'],
  callFunction: ['name', 'data', 'config', 'success', 'fail', 'complete'],
  uploadFile: ['cloudPath', 'filePath', 'config', 'success', 'fail', 'complete'],
};

export function createWx(cloudUrl: string, openid: string): WxWorld {
  const world: WxWorld = {
    wx: null,
    calls: [],
    unknown: new Set(),
    cloudCalls: [],
    cloudProblems: [],
    navigations: [],
    toasts: [],
    modals: [],
    storage: new Map(),
    openid,
    inflight: 0,
    lastActivity: Date.now(),
    files: new Map(),
    nextChosen: [],
    modalConfirm: true,
  };
  const tickets = new Map<string, { url: string; authorization: string; fileId: string }>();
  const checkFields = (api: 'init' | 'callFunction' | 'uploadFile', o: Opts) => {
    for (const k of Object.keys(o)) if (!CLOUD_FIELDS[api]!.includes(k)) world.cloudProblems.push(`wx.cloud.${api}: unknown field ${k}`);
  };
  const tracked = async <T>(run: () => Promise<T>): Promise<T> => {
    world.inflight++;
    try {
      return await run();
    } finally {
      world.inflight--;
      world.lastActivity = Date.now();
    }
  };

  const cloud = {
    init: (o: Opts = {}) => {
      checkFields('init', o);
      world.calls.push({ api: 'cloud.init', args: [o] });
    },
    // https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/functions/Cloud.callFunction.html
    callFunction: asyncApi('cloud.callFunction', (o) =>
      tracked(async () => {
        checkFields('callFunction', o);
        if (typeof o.name !== 'string') world.cloudProblems.push('wx.cloud.callFunction: name is not a string');
        const record: CallRecord = { name: o.name, data: o.data ?? {}, openid: world.openid };
        world.cloudCalls.push(record);
        const res = await fetch(`${cloudUrl}/api/${o.name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-wx-openid': world.openid },
          body: JSON.stringify(o.data ?? {}),
        });
        const result = await res.json();
        record.result = result;
        // The platform answers a function's return value whatever it is; a transport failure (no such function,
        // timeout) rejects. The local cloud answers a function error with a non-200 status.
        if (res.status >= 500 && !(result && typeof result === 'object' && 'code' in result)) throw new Error(`callFunction ${res.status}`);
        const ticket = result?.data;
        if (ticket?.cloudPath && ticket.upload) tickets.set(ticket.cloudPath, ticket.upload);
        return { result, requestID: `req-${world.cloudCalls.length}` };
      }),
    ),
    // https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/storage/uploadFile/client.uploadFile.html
    uploadFile: asyncApi('cloud.uploadFile', (o) =>
      tracked(async () => {
        checkFields('uploadFile', o);
        world.calls.push({ api: 'cloud.uploadFile', args: [o] });
        const ticket = tickets.get(o.cloudPath);
        if (!ticket) throw new Error(`no upload ticket for ${o.cloudPath}`);
        const bytes = world.files.get(o.filePath);
        if (!bytes) throw new Error(`no such temp file ${o.filePath}`);
        const res = await fetch(ticket.url, {
          method: 'PUT',
          headers: { authorization: ticket.authorization },
          body: new Uint8Array(bytes),
        });
        if (res.status !== 200) throw new Error(`upload PUT ${res.status}: ${await res.text()}`);
        return { fileID: ticket.fileId, statusCode: 200 };
      }),
    ),
  };

  const nav = (api: string) =>
    asyncApi(api, (o) => {
      world.navigations.push({ api, url: o.url, delta: o.delta });
      return {};
    });
  const chooser = (api: string) =>
    asyncApi(api, (o) => {
      const paths = world.nextChosen.splice(0);
      if (!paths.length) throw new Error('cancel');
      world.calls.push({ api, args: [o] });
      return api === 'chooseMedia'
        ? { type: 'image', tempFiles: paths.map((p) => ({ tempFilePath: p, size: world.files.get(p)?.length ?? 0, fileType: 'image' })) }
        : { tempFilePaths: paths, tempFiles: paths.map((p) => ({ path: p, size: world.files.get(p)?.length ?? 0 })) };
    });
  const windowInfo = {
    pixelRatio: 2,
    screenWidth: 375,
    screenHeight: 812,
    windowWidth: 375,
    windowHeight: 700,
    statusBarHeight: 44,
    safeArea: { left: 0, right: 375, top: 44, bottom: 778, width: 375, height: 734 },
    screenTop: 0,
  };
  const systemInfo = {
    ...windowInfo,
    brand: 'devtools',
    model: 'iPhone X',
    system: 'iOS 16',
    platform: 'devtools',
    version: '8.0.50',
    SDKVersion: '3.5.0',
    language: 'zh_CN',
    fontSizeSetting: 16,
  };

  const api: Record<string, unknown> = {
    cloud,
    // https://developers.weixin.qq.com/miniprogram/dev/api/base/wx.env.html (Taro copies it to Taro.env)
    env: { USER_DATA_PATH: 'wxfile://usr' },
    // Storage (sync and async): the large-text switch and the app's own keys.
    getStorageSync: (k: string) => (world.storage.has(k) ? world.storage.get(k) : ''),
    setStorageSync: (k: string, v: unknown) => void world.storage.set(k, v),
    removeStorageSync: (k: string) => void world.storage.delete(k),
    getStorage: asyncApi('getStorage', (o) => {
      if (!world.storage.has(o.key)) throw new Error('data not found');
      return { data: world.storage.get(o.key) };
    }),
    setStorage: asyncApi('setStorage', (o) => void world.storage.set(o.key, o.data)),
    removeStorage: asyncApi('removeStorage', (o) => void world.storage.delete(o.key)),
    // Navigation: recorded.
    navigateTo: nav('navigateTo'),
    redirectTo: nav('redirectTo'),
    reLaunch: nav('reLaunch'),
    switchTab: nav('switchTab'),
    navigateBack: nav('navigateBack'),
    // Interaction.
    showToast: asyncApi('showToast', (o) => void world.toasts.push(o.title)),
    hideToast: asyncApi('hideToast', () => ({})),
    showLoading: asyncApi('showLoading', () => ({})),
    hideLoading: asyncApi('hideLoading', () => ({})),
    showModal: asyncApi('showModal', (o) => {
      world.modals.push({ title: o.title, content: o.content });
      return { confirm: world.modalConfirm, cancel: !world.modalConfirm };
    }),
    setNavigationBarTitle: asyncApi('setNavigationBarTitle', () => ({})),
    stopPullDownRefresh: asyncApi('stopPullDownRefresh', () => ({})),
    setClipboardData: asyncApi('setClipboardData', () => ({})),
    makePhoneCall: asyncApi('makePhoneCall', () => ({})),
    previewImage: asyncApi('previewImage', () => ({})),
    // Media.
    chooseMedia: chooser('chooseMedia'),
    chooseImage: chooser('chooseImage'),
    chooseMessageFile: asyncApi('chooseMessageFile', () => {
      throw new Error('cancel');
    }),
    downloadFile: asyncApi('downloadFile', (o) => ({ tempFilePath: `wxfile://tmp/${String(o.url).length}.xlsx`, statusCode: 200 })),
    openDocument: asyncApi('openDocument', () => ({})),
    // Privacy and subscriptions.
    requirePrivacyAuthorize: asyncApi('requirePrivacyAuthorize', () => ({})),
    requestSubscribeMessage: asyncApi('requestSubscribeMessage', () => ({})),
    // Device.
    getWindowInfo: () => ({ ...windowInfo }),
    getSystemInfoSync: () => ({ ...systemInfo }),
    getSystemInfo: asyncApi('getSystemInfo', () => ({ ...systemInfo })),
    getDeviceInfo: () => ({ brand: systemInfo.brand, model: systemInfo.model, system: systemInfo.system, platform: systemInfo.platform }),
    getAppBaseInfo: () => ({ SDKVersion: systemInfo.SDKVersion, language: 'zh_CN', version: systemInfo.version, fontSizeSetting: 16 }),
    getMenuButtonBoundingClientRect: () => ({ width: 87, height: 32, top: 48, right: 368, bottom: 80, left: 281 }),
    canIUse: () => true,
    nextTick: (fn: () => void) => void Promise.resolve().then(fn),
    createSelectorQuery: () => selectorQuery(),
    createOffscreenCanvas: () => ({ getContext: () => null, width: 0, height: 0 }),
    request: asyncApi('request', (o) => {
      throw new Error(`wx.request is not served in these tests (${o.url})`);
    }),
    onAppRoute: () => undefined,
    onAppShow: () => undefined,
    onAppHide: () => undefined,
    offAppShow: () => undefined,
    offAppHide: () => undefined,
    // webpack's chunk registry (the bundle keeps it on wx).
    webpackJsonp: undefined as unknown,
  };
  delete api.webpackJsonp;

  function selectorQuery() {
    const q: any = {
      in: () => q,
      select: () => q,
      selectAll: () => q,
      selectViewport: () => q,
      boundingClientRect: () => q,
      scrollOffset: () => q,
      fields: () => q,
      node: () => q,
      exec: (cb?: (r: unknown[]) => void) => cb?.([]),
    };
    return q;
  }

  const recorded = new Set(['webpackJsonp']);
  for (const [k, v] of Object.entries(api)) {
    if (typeof v === 'function' && k !== 'nextTick') {
      const fn = v as (...a: unknown[]) => unknown;
      api[k] = (...args: unknown[]) => {
        if (!k.startsWith('get') && k !== 'canIUse') world.calls.push({ api: k, args });
        return fn(...args);
      };
    }
  }
  world.wx = new Proxy(api, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !(key in target) && !recorded.has(key)) world.unknown.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  return world;
}

/** Bytes of a setData payload as the platform counts them: the JSON text, UTF-8. */
export const payloadBytes = (data: unknown) => Buffer.byteLength(JSON.stringify(data), 'utf8');

/** A CSS selector over the app's class names, for the rendered tree: simulate renders a page as the component `main`,
 * and exparser prefixes its classes with the component's name (`.btn` → `.main--btn`). */
export const cls = (selector: string) => selector.replace(/\.(-?[_a-zA-Z][-_a-zA-Z0-9]*)/g, '.main--$1');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function readAppJson(): { pages: string[]; subPackages: Array<{ root: string; pages: string[] }> } {
  return JSON.parse(readFileSync(join(DIST, 'app.json'), 'utf8'));
}

/** Every page route in app.json, main package first. */
export function allRoutes(): string[] {
  const app = readAppJson();
  return [...app.pages, ...app.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
}

export function distExists(): boolean {
  return existsSync(join(DIST, 'app.js'));
}

export interface OpenedPage {
  route: string;
  /** The j-component root of the page (its shadow tree holds Taro's template output). */
  comp: any;
  /** The page instance (Taro's page options bound to the component: onLoad, eh, setData …). */
  instance: any;
  /** This page's setData payloads, in order. */
  setData: SetDataRecord[];
  /** Bytes of the page's first setData (Taro's initial mount of the page). */
  firstRenderBytes: number;
  /** Bytes of every setData until the page first settled (its data loaded and shown). */
  loadedBytes: number;
  root: HTMLElement;
  text(): string;
  /** The first rendered element matching `selector`, in the app's own class names (`.btn-claim`; see `cls`). */
  $(selector: string): HTMLElement | null;
  $$(selector: string): HTMLElement[];
  /** Tap an element (by CSS selector, or the innermost element whose text contains `text`) through touchstart/touchend. */
  tap(target: string | { text: string | RegExp }): Promise<void>;
  /** Type into an input or textarea: the native component's `input` event, as the platform sends it. */
  type(selector: string, value: string): Promise<void>;
  /** A native component's change event (picker, switch …). */
  change(selector: string, detail: object): Promise<void>;
  unload(): void;
}

export interface MiniApp {
  world: WxWorld;
  /** Template and render problems, console errors and unhandled rejections seen so far. */
  problems: string[];
  setData: SetDataRecord[];
  open(route: string, query?: Record<string, string>): Promise<OpenedPage>;
  /** Open the page the last navigation asked for. */
  follow(): Promise<OpenedPage>;
  /** Wait until no cloud call is in flight and no setData happened for a while. */
  settle(timeoutMs?: number): Promise<void>;
  /** Act as another demo user from now on (a fresh whoami needs a fresh app: see boot). */
  close(): void;
}

const g = globalThis as any;

/**
 * Boots the bundle in this jest environment (jsdom): simulate and the bundle are loaded in an isolated module registry
 * each time, so each person gets a fresh app (Taro's runtime, the app's session cache) as on their own phone.
 */
export function bootApp(
  cloudUrl: string,
  openid: string,
  opts: { storage?: Record<string, unknown>; /** another build folder (a modified copy of dist/weapp) */ dist?: string } = {},
): MiniApp {
  prepareCompilers();
  const dist = opts.dist ?? DIST;
  if (!existsSync(join(dist, 'app.js'))) throw new Error(`${dist}/app.js is missing: run npm run build:weapp`);
  const world = createWx(cloudUrl, openid);
  for (const [k, v] of Object.entries(opts.storage ?? {})) world.storage.set(k, v);
  const problems: string[] = [];
  const allSetData: SetDataRecord[] = [];
  let simulate: any;
  let exparser: any;
  let appOptions: any = null;
  const stack: any[] = [];
  /** The page being loaded (its js calls Page()), and the open request its next instance answers. */
  let loadingRoute: string | null = null;
  let opening: { route: string; query: Record<string, string>; record: (i: any) => void } | null = null;
  /** Component ids of the pages this app has loaded: a page's js runs once per app, as on the phone. */
  const loaded = new Map<string, string>();

  jest.isolateModules(() => {
    simulate = require('miniprogram-simulate');
    exparser = require('miniprogram-exparser');
  });
  // simulate put its own wx on the global; ours replaces it before the bundle reads it.
  g.wx = world.wx;
  g.App = (o: any) => {
    appOptions = o;
  };
  g.getApp = () => appOptions;
  g.getCurrentPages = () => [...stack];
  g.Page = (options: any) => {
    const methods: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(options)) if (typeof v === 'function') methods[k] = v;
    const route = loadingRoute!;
    g.Component({
      data: options.data ?? {},
      methods,
      lifetimes: {
        attached(this: any) {
          // eslint-disable-next-line @typescript-eslint/no-this-alias -- the page instance, wrapped below
          const self = this;
          const target = opening!;
          if (target.route !== route) throw new Error(`opened ${target.route} but got an instance of ${route}`);
          const original = self.setData.bind(self);
          self.route = target.route;
          self.__route__ = target.route;
          self.setData = (data: object, cb?: () => void) => {
            const rec = { route: target.route, bytes: payloadBytes(data), at: Date.now() };
            allSetData.push(rec);
            world.lastActivity = rec.at;
            try {
              original(data);
            } catch (e) {
              problems.push(`${target.route}: setData threw ${(e as Error).message}`);
            }
            if (cb) Promise.resolve().then(cb);
          };
          target.record(self);
          stack.push(self);
          self.onLoad?.(target.query);
          self.onShow?.();
        },
        ready(this: any) {
          this.onReady?.();
        },
      },
    });
  };

  // Console errors and warnings (React's, Taro's, the WXML runtime's "Template … not found") and unhandled rejections.
  const origError = console.error;
  const origWarn = console.warn;
  console.error = (...a: unknown[]) => {
    problems.push(`console.error: ${a.map(String).join(' ')}`);
  };
  console.warn = (...a: unknown[]) => {
    problems.push(`console.warn: ${a.map(String).join(' ')}`);
  };
  const onRejection = (reason: unknown) => problems.push(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`);
  process.on('unhandledRejection', onRejection);

  jest.isolateModules(() => {
    require(join(dist, 'app.js'));
  });
  if (!appOptions) throw new Error('app.js did not call App()');
  const launch = { path: 'pages/index/index', query: {}, scene: 1001 };
  appOptions.onLaunch?.call(appOptions, launch);
  appOptions.onShow?.call(appOptions, launch);

  const opened: OpenedPage[] = [];

  async function settle(timeoutMs = 15_000) {
    const start = Date.now();
    for (;;) {
      await sleep(15);
      const quiet = world.inflight === 0 && Date.now() - world.lastActivity > 100;
      if (quiet) return;
      if (Date.now() - start > timeoutMs) throw new Error(`page did not settle in ${timeoutMs} ms (${world.inflight} calls in flight)`);
    }
  }

  function textTarget(root: HTMLElement, text: string | RegExp): HTMLElement | null {
    const all = Array.from(root.querySelectorAll<HTMLElement>('*'));
    const hit = (el: HTMLElement) => (typeof text === 'string' ? (el.textContent ?? '').includes(text) : text.test(el.textContent ?? ''));
    // The innermost element holding the text, then up to the nearest one Taro listens on (bindtap).
    const inner = all.filter(hit).filter((el) => !Array.from(el.children).some((c) => hit(c as HTMLElement)));
    return inner[0] ?? null;
  }

  async function open(route: string, query: Record<string, string> = {}): Promise<OpenedPage> {
    let instance: any = null;
    opening = { route, query, record: (i) => (instance = i) };
    const from = allSetData.length;
    let id = loaded.get(route);
    if (!id) {
      loadingRoute = route;
      // The page's js (and its subpackage's sub-vendors / sub-common chunks) must run in this app's module registry:
      // a module cached by an earlier app would not push its chunk into this app's wx.webpackJsonp.
      jest.isolateModules(() => {
        id = simulate.load(join(dist, route), { rootPath: dist });
      });
      loadingRoute = null;
      loaded.set(route, id!);
    }
    const comp = simulate.render(id);
    if (!comp) throw new Error(`${route}: its js did not register a page (Page() not called)`);
    const parent = document.createElement('div');
    document.body.appendChild(parent);
    comp.attach(parent);
    opening = null;
    if (!instance) throw new Error(`${route}: Page() was not called`);
    // Taro mounts the page asynchronously (React's scheduler): wait for its first setData, then for the page to settle.
    world.lastActivity = Date.now();
    for (let waited = 0; !allSetData.slice(from).some((r) => r.route === route); waited += 10) {
      if (waited > 10_000) throw new Error(`${route}: no setData within 10 s of onLoad`);
      await sleep(10);
    }
    await settle();
    const mine = () => allSetData.slice(from).filter((r) => r.route === route);
    const firstRenderBytes = mine()[0]!.bytes;
    const loadedBytes = mine().reduce((n, r) => n + r.bytes, 0);
    const root = comp.dom as HTMLElement;
    const page: OpenedPage = {
      route,
      comp,
      instance,
      get setData() {
        return mine();
      },
      firstRenderBytes,
      loadedBytes,
      root,
      text: () => root.textContent ?? '',
      $: (s) => root.querySelector(cls(s)),
      $$: (s) => Array.from(root.querySelectorAll(cls(s))),
      async tap(target) {
        const el = typeof target === 'string' ? root.querySelector<HTMLElement>(cls(target)) : textTarget(root, target.text);
        if (!el) throw new Error(`${route}: nothing to tap at ${typeof target === 'string' ? target : String(target.text)}`);
        const touch = (t: string) =>
          new (window as any).TouchEvent(t, {
            bubbles: true,
            cancelable: true,
            touches:
              t === 'touchstart'
                ? [new (window as any).Touch({ identifier: 1, target: el, pageX: 1, pageY: 1, clientX: 1, clientY: 1 })]
                : [],
            changedTouches: [new (window as any).Touch({ identifier: 1, target: el, pageX: 1, pageY: 1, clientX: 1, clientY: 1 })],
          });
        el.dispatchEvent(touch('touchstart'));
        el.dispatchEvent(touch('touchend'));
        world.lastActivity = Date.now();
        await settle();
      },
      async type(selector, value) {
        const el = root.querySelector<any>(cls(selector));
        if (!el?.__wxElement) throw new Error(`${route}: no input at ${selector}`);
        exparser.Event.dispatchEvent(
          el.__wxElement,
          exparser.Event.create('input', { value, cursor: value.length, keyCode: 0 }, { bubbles: false }),
        );
        world.lastActivity = Date.now();
        await settle();
      },
      async change(selector, detail) {
        const el = root.querySelector<any>(cls(selector));
        if (!el?.__wxElement) throw new Error(`${route}: no component at ${selector}`);
        exparser.Event.dispatchEvent(el.__wxElement, exparser.Event.create('change', detail, { bubbles: false }));
        world.lastActivity = Date.now();
        await settle();
      },
      unload() {
        instance.onUnload?.();
        comp.detach();
        parent.remove();
        const i = stack.indexOf(instance);
        if (i >= 0) stack.splice(i, 1);
      },
    };
    opened.push(page);
    return page;
  }

  return {
    world,
    problems,
    setData: allSetData,
    open,
    async follow() {
      const last = world.navigations[world.navigations.length - 1];
      if (!last?.url) throw new Error('no navigation to follow');
      const [path, qs] = last.url.replace(/^\//, '').split('?');
      return open(path!, Object.fromEntries(new URLSearchParams(qs ?? '')));
    },
    settle,
    close() {
      for (const p of opened.splice(0)) {
        try {
          p.unload();
        } catch (e) {
          problems.push(`${p.route}: unload threw ${(e as Error).message}`);
        }
      }
      console.error = origError;
      console.warn = origWarn;
      process.off('unhandledRejection', onRejection);
    },
  };
}

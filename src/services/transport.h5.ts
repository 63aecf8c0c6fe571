/**
 * H5 ONLY: functions over HTTP on the local cloud (`LOCAL_CLOUD_URL/api/<name>`), with the demo
 * identity in `x-wx-openid`. Required by gateway.ts only when TARO_ENV is 'h5'.
 *
 * CloudBase mode (issue 23): a build with `WEB_CLOUD=cloudbase` bakes the environment id in (TCB_WEB_ENV) and every
 * call goes through @cloudbase/js-sdk (transport.tcb.ts, loaded lazily: the first screen does not carry it), signed
 * in anonymously. A local build takes the same path when the browser's storage says `web-cloud: js-sdk`, against the
 * local cloud's copy of the gateway's wire (the browser tests: the real SDK, one build).
 */
import { GatewayError, networkError, type Transport } from './answer';
import { currentOpenid } from './devIdentity';

function base(): string {
  return typeof LOCAL_CLOUD_URL === 'string' ? LOCAL_CLOUD_URL.replace(/\/$/, '') : '';
}

export const WEB_CLOUD_KEY = 'web-cloud';

/** Whether calls go through @cloudbase/js-sdk, and to which environment (origin: the local cloud, else CloudBase). */
export function webCloud(): { env: string; origin: string | null } | null {
  if (typeof TCB_WEB_ENV === 'string' && TCB_WEB_ENV) return { env: TCB_WEB_ENV, origin: null };
  try {
    if (localStorage.getItem(WEB_CLOUD_KEY) === 'js-sdk') return { env: 'local', origin: base() || location.origin };
  } catch {
    // no storage: the local cloud's own /api
  }
  return null;
}

/** The functions the CloudBase web site calls (the card page, 公开栏): the only ones that serve an anonymous login. A
 * mini-program-only page under the site's 请在微信小程序中打开 cover sends nothing (src/components/MiniProgramOnly.tsx). */
export const WEB_FUNCTIONS = ['wishCards', 'publicResults'] as const;

export const transport: Transport = {
  async send(name, data) {
    const cloud = webCloud();
    if (cloud && !cloud.origin && !(WEB_FUNCTIONS as readonly string[]).includes(name))
      throw new GatewayError('AUTH.NO_IDENTITY', '请在微信小程序中打开');
    if (cloud) {
      let tcb: typeof import('./transport.tcb');
      try {
        tcb = await import(/* webpackChunkName: "tcb" */ './transport.tcb');
      } catch {
        throw networkError();
      }
      return tcb.send(cloud.env, cloud.origin, name, data);
    }
    // The browser's own fetch (every browser the app supports has it): Taro.request's H5 version brings fetch,
    // AbortController and JSONP polyfills, ~10 KB gzip on the first screen (issue 8, part 6).
    try {
      const res = await fetch(`${base()}/api/${name}`, {
        method: 'POST',
        body: JSON.stringify(data ?? {}),
        headers: { 'content-type': 'application/json', 'x-wx-openid': currentOpenid() },
      });
      // A non-200 answer still carries {code, message}.
      return (await res.json()) as unknown;
    } catch {
      throw networkError();
    }
  },

  // The bytes go to the local cloud's COS-style PUT with the signed, expiring authorisation the photoUpload function
  // handed out for this one path (the local cloud refuses anything else, and anything that is not an image).
  async upload(filePath, ticket) {
    let res: Response;
    try {
      const blob = await (await fetch(filePath)).blob();
      // Same origin as the functions (the local cloud's own URL may name 127.0.0.1 where the page says localhost).
      const target = `${base()}${new URL(ticket.upload.url, 'http://local').pathname}`;
      res = await fetch(target, { method: 'PUT', body: blob, headers: { authorization: ticket.upload.authorization } });
    } catch {
      throw networkError();
    }
    if (res.status === 400)
      throw new GatewayError(
        'INPUT.INVALID',
        ticket.cloudPath.endsWith('.xlsx')
          ? '这个文件不是 Excel 表格（.xlsx），请用下载的模板填写后再导入'
          : '只能上传 jpg、png、webp 或 gif 图片',
      );
    if (res.status === 413) throw new GatewayError('INPUT.TOO_LARGE', '图片不能超过 10 MB');
    if (res.status !== 200) throw networkError();
    return { fileID: ticket.upload.fileId };
  },

  // A link to the file on the local cloud's own origin (as for uploads); the file is served as an attachment.
  async openDocument(url, fileName) {
    const u = new URL(url, 'http://local');
    const a = document.createElement('a');
    a.href = `${base()}${u.pathname}${u.search}`;
    a.download = fileName;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
  },
};

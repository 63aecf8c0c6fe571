/**
 * The one place that initialises wx-server-sdk, WeChat's documented client for cloud calls (云调用): "在云函数中
 * 通过 wx-server-sdk" (https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/openapi/openapi.html).
 * `wx().openapi.<namespace>.<api>(data)` encodes `data` as the protobuf `CommApiData` and sends it with its nested
 * @cloudbase/node-sdk's `callCompatibleWxOpenApi` (wire action `wx.openApi`); the answer is a `CommOpenApiResp`
 * (wx-server-sdk src/api/openapi/namespace/generic.ts, src/api/cloud/provider/tcb/api/callWXOpenAPI.ts). Results come
 * back camelCase with `errCode: 0`; a WeChat error is thrown as `{ errCode, errMsg }`.
 *
 * Where it points is the same switch as server/cloud.ts (the database stays there, on @cloudbase/node-sdk):
 * TCB_SERVICE_URL (the local cloud's wire endpoint) with TCB_ENV/TCB_SECRET_ID/TCB_SECRET_KEY, which `cloud.init`
 * passes through to its node-sdk's `tcb.init` (wx-server-sdk src/index.ts getProviderInitOptions); an explicit key
 * pair outside CloudBase; on CloudBase the platform's own environment (DYNAMIC_CURRENT_ENV).
 */
import cloud from 'wx-server-sdk';
import { sdkTarget } from './cloud';

export type WxSdk = typeof cloud;
let inited = false;

export function wx(): WxSdk {
  if (!inited) {
    const options = sdkTarget() ?? { env: cloud.DYNAMIC_CURRENT_ENV as unknown as string };
    // The key pair and serviceUrl are node-sdk init options the SDK passes through; its own typings list only env.
    cloud.init(options as Parameters<WxSdk['init']>[0]);
    inited = true;
  }
  return cloud;
}

/** A WeChat error as wx-server-sdk throws it (`CloudSDKError`: errCode, errMsg), or a plain Error. */
export function wxError(e: unknown): string {
  if (e && typeof e === 'object' && 'errCode' in e)
    return `${String((e as { errCode: unknown }).errCode)} ${String((e as { errMsg?: unknown }).errMsg ?? '')}`;
  return e instanceof Error ? e.message : String(e);
}

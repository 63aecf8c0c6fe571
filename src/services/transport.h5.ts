/**
 * H5 ONLY: functions over HTTP on the local cloud (`LOCAL_CLOUD_URL/api/<name>`), with the demo
 * identity in `x-wx-openid`. Required by gateway.ts only when TARO_ENV is 'h5'.
 */
import Taro from '@tarojs/taro';
import { networkError, settle, type Transport, type Uploaded } from './answer';
import { currentOpenid } from './devIdentity';

function base(): string {
  return typeof LOCAL_CLOUD_URL === 'string' ? LOCAL_CLOUD_URL.replace(/\/$/, '') : '';
}

export const transport: Transport = {
  async send(name, data) {
    let res: { statusCode: number; data: unknown };
    try {
      res = await Taro.request({
        url: `${base()}/api/${name}`,
        method: 'POST',
        data,
        header: { 'content-type': 'application/json', 'x-wx-openid': currentOpenid() },
      });
    } catch {
      throw networkError();
    }
    // A non-200 answer still carries {code, message}.
    return res.data;
  },

  async upload(filePath, name) {
    let json: unknown;
    try {
      const blob = await (await fetch(filePath)).blob();
      const res = await fetch(`${base()}/api/_upload?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        body: blob,
        headers: { 'content-type': blob.type || 'application/octet-stream', 'x-wx-openid': currentOpenid() },
      });
      json = await res.json();
    } catch {
      throw networkError();
    }
    if (json && typeof json === 'object' && 'fileID' in json) return json as Uploaded;
    return settle<Uploaded>(json);
  },

  photoUrl(fileID) {
    const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileID);
    return m ? `${base()}/files/${m[1]}` : fileID;
  },
};

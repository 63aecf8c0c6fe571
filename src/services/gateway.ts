/**
 * The one place the app calls cloud functions.
 *
 * weapp: Taro.cloud.callFunction (transport.cloud.ts; the platform supplies the caller's identity).
 * h5:    POST LOCAL_CLOUD_URL/api/<name> on the local cloud with the demo identity (transport.h5.ts).
 *
 * The transport is required inside a `process.env.TARO_ENV` constant branch: the build replaces it,
 * webpack drops the other branch, so no H5 code (no demo identity, no LOCAL_CLOUD_URL) reaches the
 * weapp bundle and no Taro.cloud code reaches the H5 bundle.
 */
import { settle, type Transport, type Uploaded } from './answer';

export { GatewayError, NETWORK_MESSAGE, messageOf, type Uploaded } from './answer';

const transport: Transport =
  process.env.TARO_ENV === 'h5'
    ? (require('./transport.h5') as typeof import('./transport.h5')).transport
    : (require('./transport.cloud') as typeof import('./transport.cloud')).transport;

/** Call function `name`: resolves with `data` when `code === 0`, else rejects with a GatewayError. */
export async function call<T>(name: string, data: object = {}): Promise<T> {
  return settle<T>(await transport.send(name, data));
}

/** Upload one chosen photo (a temp file path from chooseImage / chooseMedia). */
export function uploadPhoto(filePath: string): Promise<Uploaded> {
  const ext = (/\.(\w{1,5})(?:$|\?)/.exec(filePath)?.[1] ?? 'jpg').toLowerCase();
  const name = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}.${/^(jpe?g|png|gif|webp)$/.test(ext) ? ext : 'jpg'}`;
  return transport.upload(filePath, name);
}

/** A src for <Image>: the fileID itself in the mini-program; the local cloud's file URL in H5. */
export function photoUrl(fileID: string): string {
  return transport.photoUrl(fileID);
}

/** A fresh id for one form: a double tap (or a retry) with the same id writes once. */
export function newRequestId(): string {
  return `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

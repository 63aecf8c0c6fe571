/**
 * The one place the app calls cloud functions.
 *
 * Pages name an operation (`claim`, `board` …); the gateway calls the deployed function that serves it, with the
 * operation's `action` where that function groups several (src/core/functions.ts).
 * weapp: Taro.cloud.callFunction (transport.cloud.ts; the platform supplies the caller's identity).
 * h5:    POST LOCAL_CLOUD_URL/api/<function> on the local cloud with the demo identity (transport.h5.ts).
 *
 * The transport is required inside a `process.env.TARO_ENV` constant branch: the build replaces it,
 * webpack drops the other branch, so no H5 code (no demo identity, no LOCAL_CLOUD_URL) reaches the
 * weapp bundle and no Taro.cloud code reaches the H5 bundle.
 */
import { callOf } from '../core/functions';
import { settle, type Transport, type UploadTicket, type Uploaded } from './answer';

export { GatewayError, NETWORK_MESSAGE, messageOf, type Uploaded } from './answer';

const transport: Transport =
  process.env.TARO_ENV === 'h5'
    ? (require('./transport.h5') as typeof import('./transport.h5')).transport
    : (require('./transport.cloud') as typeof import('./transport.cloud')).transport;

/** Run operation `operation` (src/core/functions.ts: a stage is its own function, any other an `action` of the function
 * that groups it): resolves with `data` when `code === 0`, else rejects with a GatewayError. */
export async function call<T>(operation: string, data: object = {}): Promise<T> {
  const fn = callOf(operation, data);
  return settle<T>(await transport.send(fn.name, fn.data));
}

/** What a photo is for: a new wish (collect), or progress / fulfilment of a wish the caller is working on. */
export type PhotoTarget = { purpose: 'collect' } | { purpose: 'progress' | 'fulfil'; wishId: string };

/** Upload one chosen photo (a temp file path from chooseImage / chooseMedia): the photoUpload function records it
 * as the caller's for `target` and names the place; the transport puts the bytes there. */
export async function uploadPhoto(filePath: string, target: PhotoTarget): Promise<Uploaded> {
  const ext = (/\.(\w{1,5})(?:$|\?)/.exec(filePath)?.[1] ?? 'jpg').toLowerCase();
  const ticket = await call<UploadTicket>('photoUpload', { ...target, ext: /^(jpe?g|png|gif|webp)$/.test(ext) ? ext : 'jpg' });
  return transport.upload(filePath, ticket);
}

/** Upload a filled import spreadsheet (a temp file path, or an H5 blob: URL): the importBatch function names the
 * place in the caller's own imports/ folder; the transport puts the bytes there. Resolves with the file id. */
export async function uploadSpreadsheet(filePath: string): Promise<Uploaded> {
  const ticket = await call<UploadTicket>('importBatch', { mode: 'upload' });
  return transport.upload(filePath, ticket);
}

/** Short-lived URLs (5 minutes) for photos the caller may see, from the fileUrls function — in the mini-program as
 * in H5: storage itself is private. Ids the caller may not see make the whole call fail. */
export async function photoUrls(fileIds: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (let i = 0; i < fileIds.length; i += 20) {
    const r = await call<{ urls: Record<string, string> }>('fileUrls', { fileIds: fileIds.slice(i, i + 20) });
    Object.assign(out, r.urls);
  }
  return out;
}

/** Open a file the server made (an exported ledger, by its temporary URL): in the mini-program wx.downloadFile +
 * wx.openDocument with the share menu; in H5 a download. */
export function openDocument(url: string, fileName: string): Promise<void> {
  return transport.openDocument(url, fileName);
}

/** A fresh id for one form: a double tap (or a retry) with the same id writes once. */
export function newRequestId(): string {
  return `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

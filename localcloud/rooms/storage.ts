/**
 * The HTTP side of storage (the files themselves and what the wire's storage.* actions hand out: localcloud/storage.ts):
 *   PUT /cos/upload/<path>   the upload target storage.getUploadMetadata hands out, by its signed authorization
 *   GET /files/<path>?sign=  a stored file, by the signed, expiring URL getTempFileURL hands out
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UploadRefused, XLSX_TYPE, storedTypeOf, type Storage } from '../storage';
import { UPLOAD_LIMIT, readBody, send } from './http';

export function storageRoom({ storage }: { storage: Storage }) {
  /** The SDK's upload PUT (and the H5 app's, with the metadata the photoUpload function hands out). Refusals are
   * COS-shaped XML, which the SDK turns into a STORAGE_REQUEST_FAIL error; success is an empty body. */
  async function cosUpload(path: string, req: IncomingMessage, res: ServerResponse) {
    const cos = (status: number, code: string, message: string) =>
      send(
        res,
        status,
        `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>local-${randomBytes(6).toString('hex')}</RequestId><TraceId>local</TraceId></Error>`,
        'application/xml',
      );
    let bytes: Buffer;
    try {
      bytes = await readBody(req, UPLOAD_LIMIT);
    } catch {
      return cos(413, 'EntityTooLarge', 'at most 10 MB');
    }
    const auth = req.headers.authorization;
    try {
      storage.put(path, typeof auth === 'string' ? auth : undefined, bytes);
    } catch (e) {
      if (e instanceof UploadRefused) return cos(e.status, e.code, e.message);
      throw e;
    }
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  }

  /** A stored file by its temporary URL: the signature must be valid and unexpired; served as the image its bytes
   * are (anything else as an attachment), with nosniff so a browser never reads it as a page. */
  function storedFile(path: string, req: IncomingMessage, res: ServerResponse) {
    const sign = new URL(req.url ?? '', 'http://x').searchParams.get('sign');
    const abs = storage.readable(path, sign);
    if (!abs)
      return send(res, 403, 'Forbidden: a file URL needs a valid, unexpired signature (getTempFileURL)', 'text/plain; charset=utf-8');
    if (!existsSync(abs) || !statSync(abs).isFile()) return send(res, 404, 'Not found', 'text/plain; charset=utf-8');
    const type = storage.typeOf(abs);
    const body = readFileSync(abs);
    // A spreadsheet (an exported ledger) is always a download, never shown inline.
    const sheet = !type && storedTypeOf(decodeURIComponent(path), body) === XLSX_TYPE;
    res.writeHead(200, {
      'content-type': type ?? (sheet ? XLSX_TYPE : 'application/octet-stream'),
      'content-length': body.length,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      ...(type ? {} : { 'content-disposition': 'attachment' }),
    });
    res.end(body);
  }

  return { cosUpload, storedFile };
}

/**
 * File storage: the SDK's storage actions (getUploadMetadata → PUT, batchGetDownloadUrl,
 * batchDeleteFile) and the files themselves under <dataDir>/files. File ids: cloud://local.bucket/<path>.
 *
 * Like COS behind CloudBase, nothing here answers without a signature: getUploadMetadata hands out an
 * `authorization` signed for that one path that expires in 10 minutes (the PUT checks it), and getTempFileURL
 * hands out `/files/<path>?sign=<expiry>.<signature>` URLs that expire after `max_age` seconds. The key is
 * random per process: a restart invalidates every outstanding upload and URL, as an expired one would be.
 * Only images are stored (the bytes are checked: JPEG, PNG, WebP, GIF), and .xlsx workbooks under ledgers/ and imports/
 * (issue 11: exported ledgers, imported batches; checked as OOXML zips); a stored file is never overwritten,
 * and a file is served with the type its bytes have plus `x-content-type-options: nosniff`.
 */
import { QUOTAS } from './quotas';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { DbError } from './db/engine';

/** How long an upload authorisation lasts (COS's signed upload is short-lived too). */
export const UPLOAD_AUTH_SECONDS = 600;
/** getTempFileURL without max_age: CloudBase's default is a day; the local cloud caps any max_age there too. */
export const MAX_URL_SECONDS = 86_400;

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';

/** The image type the bytes say (magic numbers), or null: never trust the name. */
export function imageTypeOf(b: Buffer): ImageType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 10 && /^GIF8[79]a$/.test(b.toString('latin1', 0, 6))) return 'image/gif';
  return null;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Folders that may hold spreadsheets (issue 11): ledgers the functions export, batches organisers import. */
export const SPREADSHEET_DIRS = ['ledgers/', 'imports/'] as const;

/** An .xlsx by its bytes: a ZIP whose entries name the OOXML content types and a workbook (never the name). */
export function isSpreadsheet(b: Buffer): boolean {
  if (b.length < 30 || b.readUInt32LE(0) !== 0x04034b50) return false;
  const text = b.toString('latin1');
  return text.includes('[Content_Types].xml') && text.includes('xl/workbook.xml');
}

/** The type a stored file is served with: an image by its magic numbers, or an .xlsx in a spreadsheet folder. */
export function storedTypeOf(path: string, b: Buffer): ImageType | typeof XLSX_TYPE | null {
  const image = imageTypeOf(b);
  if (image) return image;
  return SPREADSHEET_DIRS.some((d) => path.startsWith(d)) && isSpreadsheet(b) ? XLSX_TYPE : null;
}

/** Why a PUT was refused: the HTTP status and the COS error code its XML body carries. */
export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const BUCKET = 'local.bucket';
export const FILE_PREFIX = `cloud://${BUCKET}/`;
export const STORAGE_ACTIONS = ['storage.getUploadMetadata', 'storage.batchGetDownloadUrl', 'storage.batchDeleteFile'] as const;

export const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'application/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
  woff: 'font/woff',
  woff2: 'font/woff2',
};

export class Storage {
  private readonly key = randomBytes(32);

  constructor(
    readonly root: string,
    private baseUrl: () => string,
    private now: () => number = Date.now,
  ) {
    mkdirSync(root, { recursive: true });
  }

  private sign(kind: 'put' | 'get', path: string, expiry: number): string {
    return createHmac('sha256', this.key).update(`${kind}\n${path}\n${expiry}`).digest('hex');
  }

  private valid(kind: 'put' | 'get', path: string, expiry: number, signature: string): boolean {
    if (!Number.isInteger(expiry) || expiry * 1000 <= this.now() || !/^[0-9a-f]{64}$/.test(signature)) return false;
    return timingSafeEqual(Buffer.from(this.sign(kind, path, expiry), 'hex'), Buffer.from(signature, 'hex'));
  }

  private expiry(seconds: number): number {
    return Math.floor(this.now() / 1000) + seconds;
  }

  /** The `authorization` a PUT of `path` must carry: `local-sign-<expiry>:<hmac>`. */
  uploadAuthorization(path: string): string {
    const exp = this.expiry(UPLOAD_AUTH_SECONDS);
    return `local-sign-${exp}:${this.sign('put', path, exp)}`;
  }

  /** A temporary URL of a stored file, valid for `maxAge` seconds (1..MAX_URL_SECONDS). */
  signedUrl(path: string, maxAge: number = MAX_URL_SECONDS): string {
    const exp = this.expiry(Math.max(1, Math.min(MAX_URL_SECONDS, Math.floor(maxAge) || MAX_URL_SECONDS)));
    return `${this.baseUrl()}/files/${encodeURI(path)}?sign=${exp}.${this.sign('get', path, exp)}`;
  }

  /** The absolute path of a file a `GET /files/<path>?sign=…` may read, or null (unsigned, expired, another file's). */
  readable(path: string, sign: string | null): string | null {
    const abs = this.resolve(path);
    const m = /^(\d{1,12})\.([0-9a-f]{64})$/.exec(sign ?? '');
    if (!abs || !m) return null;
    return this.valid('get', decodeURIComponent(path), Number(m[1]), m[2]!) ? abs : null;
  }

  /** The file id a temporary URL of this local cloud names (`<origin>/files/<path>?sign=…`), if a `GET` of it would
   * serve the file now (signed, unexpired, stored); else null. The media check uses it: WeChat fetches the URL. */
  fileOfUrl(url: string): string | null {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return null;
    }
    if (u.origin !== new URL(this.baseUrl()).origin || !u.pathname.startsWith('/files/')) return null;
    const path = u.pathname.slice('/files/'.length);
    const abs = this.readable(path, u.searchParams.get('sign'));
    return abs && existsSync(abs) ? `${FILE_PREFIX}${decodeURIComponent(path)}` : null;
  }

  /** The image type of a stored file, read from its first bytes (null if it is not an image). */
  typeOf(abs: string): ImageType | null {
    const fd = openSync(abs, 'r');
    try {
      const head = Buffer.alloc(16);
      return imageTypeOf(head.subarray(0, readSync(fd, head, 0, 16, 0)));
    } finally {
      closeSync(fd);
    }
  }

  /** `PUT /cos/upload/<path>`: the signed authorisation of this path, image bytes, never over a stored file. */
  put(rawPath: string, authorization: string | undefined, bytes: Buffer): string {
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      throw new UploadRefused(400, 'InvalidURI', 'invalid path');
    }
    const m = /^local-sign-(\d{1,12}):([0-9a-f]{64})$/.exec(authorization ?? '');
    if (!m || !this.valid('put', path, Number(m[1]), m[2]!))
      throw new UploadRefused(403, 'AccessDenied', 'the upload needs the authorization getUploadMetadata signed for this path');
    return this.write(path, bytes);
  }

  /** The absolute path of a storage path, or null if it would leave the storage folder. */
  resolve(path: string): string | null {
    let clean: string;
    try {
      clean = decodeURIComponent(path);
    } catch {
      return null;
    }
    if (!clean || clean.includes('\0') || clean.includes('..')) return null;
    const abs = normalize(join(this.root, clean));
    return abs.startsWith(this.root + sep) ? abs : null;
  }

  /** The bytes of a stored file by its file id (null if there is none). */
  bytesOf(fileID: string): Buffer | null {
    const path = this.pathOf(fileID);
    const abs = path && this.resolve(path);
    return abs && existsSync(abs) ? readFileSync(abs) : null;
  }

  pathOf(fileID: unknown): string | null {
    return typeof fileID === 'string' && fileID.startsWith(FILE_PREFIX) ? fileID.slice(FILE_PREFIX.length) : null;
  }

  /** Stores an image at a new path: a file already there is never overwritten. */
  write(path: string, bytes: Buffer): string {
    const abs = this.resolve(path);
    if (!abs) throw new UploadRefused(400, 'InvalidURI', 'invalid file path');
    if (!storedTypeOf(path, bytes))
      throw new UploadRefused(400, 'InvalidImage', 'only JPEG, PNG, WebP or GIF images (and .xlsx under ledgers/ or imports/) are stored');
    mkdirSync(dirname(abs), { recursive: true });
    try {
      writeFileSync(abs, bytes, { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST')
        throw new UploadRefused(409, 'FileAlreadyExists', 'a stored file is never overwritten');
      throw e;
    }
    return FILE_PREFIX + path;
  }

  handle(action: string, body: Record<string, unknown>) {
    switch (action) {
      case 'storage.getUploadMetadata': {
        const path = String(body.path ?? '');
        if (!this.resolve(path)) throw new DbError('INVALID_PARAM', 'invalid file path');
        return {
          data: {
            url: `${this.baseUrl()}/cos/upload/${encodeURI(path)}`,
            token: 'local',
            authorization: this.uploadAuthorization(path),
            fileId: FILE_PREFIX + path,
            cosFileId: path,
          },
        };
      }
      case 'storage.batchGetDownloadUrl': {
        const list = Array.isArray(body.file_list) ? (body.file_list as Array<{ fileid?: string; max_age?: number }>) : [];
        return {
          data: {
            download_list: list.map(({ fileid, max_age }) => {
              const path = this.pathOf(fileid);
              const abs = path && this.resolve(path);
              return abs && existsSync(abs)
                ? { fileID: fileid, tempFileURL: this.signedUrl(path, Number(max_age)), code: 'SUCCESS' }
                : { fileID: fileid, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST' };
            }),
          },
        };
      }
      case 'storage.batchDeleteFile': {
        const list = Array.isArray(body.fileid_list) ? (body.fileid_list as string[]) : [];
        // "从云存储空间删除文件，一次最多 50 个" (Cloud.deleteFile; localcloud/quotas.ts): more is refused whole, nothing
        // deleted. The page names no error code: INVALID_PARAM is CloudBase's code for a bad parameter.
        if (list.length > QUOTAS.deleteFile.limit)
          throw new DbError(
            'INVALID_PARAM',
            `deleteFile takes at most ${QUOTAS.deleteFile.limit} file ids a call, not ${list.length} (${QUOTAS.deleteFile.doc})`,
          );
        return {
          data: {
            delete_list: list.map((fileID) => {
              const path = this.pathOf(fileID);
              const abs = path && this.resolve(path);
              if (!abs || !existsSync(abs)) return { fileID, code: 'STORAGE_FILE_NONEXIST' };
              rmSync(abs);
              return { fileID, code: 'SUCCESS' };
            }),
          },
        };
      }
      default:
        throw new DbError('LOCALCLOUD.NOT_IMPLEMENTED', `local cloud does not implement ${action}`);
    }
  }
}

/**
 * File storage: the SDK's storage actions (getUploadMetadata → PUT, batchGetDownloadUrl,
 * batchDeleteFile) and the files themselves under <dataDir>/files. File ids: cloud://local.bucket/<path>.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { DbError } from './db/engine';

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
  constructor(
    readonly root: string,
    private baseUrl: () => string,
  ) {
    mkdirSync(root, { recursive: true });
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

  pathOf(fileID: unknown): string | null {
    return typeof fileID === 'string' && fileID.startsWith(FILE_PREFIX) ? fileID.slice(FILE_PREFIX.length) : null;
  }

  write(path: string, bytes: Buffer): string {
    const abs = this.resolve(path);
    if (!abs) throw new DbError('INVALID_PARAM', 'invalid file path');
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, bytes);
    return FILE_PREFIX + path;
  }

  handle(action: string, body: Record<string, unknown>) {
    switch (action) {
      case 'storage.getUploadMetadata': {
        const path = String(body.path ?? '');
        if (!this.resolve(path)) throw new DbError('INVALID_PARAM', 'invalid file path');
        return {
          data: { url: `${this.baseUrl()}/cos/upload/${encodeURI(path)}`, token: 'local', authorization: 'local', fileId: FILE_PREFIX + path, cosFileId: path },
        };
      }
      case 'storage.batchGetDownloadUrl': {
        const list = Array.isArray(body.file_list) ? (body.file_list as Array<{ fileid?: string }>) : [];
        return {
          data: {
            download_list: list.map(({ fileid }) => {
              const path = this.pathOf(fileid);
              const abs = path && this.resolve(path);
              return abs && existsSync(abs)
                ? { fileID: fileid, tempFileURL: `${this.baseUrl()}/files/${encodeURI(path)}`, code: 'SUCCESS' }
                : { fileID: fileid, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST' };
            }),
          },
        };
      }
      case 'storage.batchDeleteFile': {
        const list = Array.isArray(body.fileid_list) ? (body.fileid_list as string[]) : [];
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

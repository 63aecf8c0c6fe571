/**
 * Who uploaded which photo, and for what. A photo id is only accepted on a wish if the caller uploaded it for that
 * purpose (and that wish): an id someone has merely seen cannot be attached anywhere.
 *
 * 1. `photoUpload` (the function) issues an upload: a path under a prefix derived from the caller's openid,
 *    `uploads/<ownerKey>/<32 random hex>.<ext>`, recorded in `files` as `{ _id: <random>, path, owner, purpose,
 *    wishId, state: 'issued', issuedAt }`, plus the SDK's upload metadata for that path (the local cloud signs it;
 *    the H5 app PUTs with it). In the mini-program the client uploads with `Taro.cloud.uploadFile({ cloudPath })`;
 *    storage.rules.json lets a signed-in client write only files it owns and read none.
 * 2. `collect`, `progress` and `fulfil` call `attachPhotos`: each id must parse to such a path with the caller's
 *    own key, its record must be the caller's, for this purpose (and this wish), not yet attached elsewhere, and
 *    the file must exist. The record is then marked attached to the wish, in one conditional update.
 * 3. Deletion (`deleteMyData`, `purge`, a risky media verdict) deletes the files with the SDK's deleteFile.
 */
import { createHash, randomBytes } from 'node:crypto';
import { fail, type Actor, type Failure, type PhotoPurpose } from '../src/core';
import { cloud } from './cloud';
import {
  addFile,
  attachFile,
  fileById,
  markFilesDeleted,
  pathOf,
  unattachedFilesBefore,
  uploadPathOf,
  uploadRecordOf,
  type FileDoc,
} from './store';

export { pathOf, uploadRecordOf, type FileDoc };
export const UPLOAD_DIR = 'uploads';

/** The caller's folder under uploads/: derived from the openid, so the server recognises its own caller's paths
 * without a lookup, and the openid itself never appears in a file id. */
export function ownerKey(openid: string): string {
  return createHash('sha256').update(`wish-photo\n${openid}`).digest('hex').slice(0, 16);
}

export interface IssuedUpload {
  cloudPath: string;
  /** The SDK's upload metadata for this path (url, signed authorization, token, fileId); the H5 app PUTs with it. */
  upload: { url: string; authorization: string; token: string; fileId: string };
}

export async function issueUpload(
  actor: Actor,
  purpose: PhotoPurpose,
  wishId: string | null,
  ext: string,
  now: Date,
): Promise<IssuedUpload> {
  const id = randomBytes(16).toString('hex');
  const cloudPath = `${UPLOAD_DIR}/${ownerKey(actor.id)}/${id}.${ext}`;
  const meta = (await cloud().getUploadMetadata({ cloudPath })) as {
    data?: { url: string; authorization: string; token: string; fileId: string };
  };
  if (!meta.data?.url || !meta.data.fileId) throw new Error(`getUploadMetadata gave no upload url for ${cloudPath}`);
  const { url, authorization, token, fileId } = meta.data;
  const doc: FileDoc = { _id: id, path: cloudPath, fileId, owner: actor.id, purpose, wishId, state: 'issued', issuedAt: now.toISOString() };
  await addFile(doc);
  return { cloudPath, upload: { url, authorization, token, fileId } };
}

const notOwned = (message?: string) => fail('PHOTO.NOT_OWNED', message);

/**
 * Accepts `fileIds` on wish `wishId` for `purpose` only if `owner` uploaded each of them for it (see above), and
 * records them as attached. Reads everything first, so a refusal changes nothing; an id already attached to this
 * same wish is accepted again (a retried call).
 */
export async function attachPhotos(
  fileIds: readonly string[],
  owner: string,
  purpose: PhotoPurpose,
  wishId: string,
  now: Date,
): Promise<Failure | null> {
  const ids = [...new Set(fileIds)];
  if (!ids.length) return null;
  if (ids.length !== fileIds.length) return notOwned('同一张照片只能上传一次');
  const key = ownerKey(owner);
  const docs: FileDoc[] = [];
  for (const fileId of ids) {
    const m = uploadPathOf(fileId);
    if (!m || m.ownerKey !== key) return notOwned();
    const doc = await fileById(m.record);
    if (!doc || doc.owner !== owner || doc.path !== pathOf(fileId) || doc.purpose !== purpose) return notOwned();
    if (doc.state === 'deleted') return notOwned('照片已被删除，请重新选择照片');
    if (doc.wishId !== null && doc.wishId !== wishId) return notOwned();
    if (doc.state === 'attached' && doc.wishId !== wishId) return notOwned();
    docs.push(doc);
  }
  // The file must really be there (uploaded to this environment): the storage answers for each id.
  const found = await cloud().getTempFileURL({ fileList: ids.map((fileID) => ({ fileID, maxAge: 60 })) });
  const present = new Set(
    (found.fileList as Array<{ fileID: string; code: string }>).filter((f) => f.code === 'SUCCESS').map((f) => f.fileID),
  );
  if (!ids.every((id) => present.has(id))) return notOwned('照片还没有上传完成，请重新选择照片');
  for (const doc of docs) {
    if (doc.state === 'attached') continue;
    if (!(await attachFile(doc._id, owner, wishId, now.toISOString()))) {
      const again = await fileById(doc._id);
      if (again?.state !== 'attached' || again.wishId !== wishId) return notOwned(); // attached elsewhere meanwhile
    }
  }
  return null;
}

/** deleteFile takes at most 50 file ids a call ("一次最多 50 个", Cloud.deleteFile; localcloud/quotas.ts). */
export const DELETE_FILE_BATCH = 50;

/** deleteFile over any number of ids, 50 a call; the per-file results of every call, in order. */
export async function deleteFilesInBatches(fileIds: readonly string[]): Promise<Array<{ fileID: string; code: string }>> {
  const out: Array<{ fileID: string; code: string }> = [];
  for (let i = 0; i < fileIds.length; i += DELETE_FILE_BATCH) {
    const r = await cloud().deleteFile({ fileList: fileIds.slice(i, i + DELETE_FILE_BATCH) });
    out.push(...(r.fileList as Array<{ fileID: string; code: string }>));
  }
  return out;
}

/** Deletes the files (a file already gone is no error) and marks their records deleted. */
export async function deleteFiles(fileIds: readonly string[], now: Date): Promise<number> {
  const ids = [...new Set(fileIds)];
  if (!ids.length) return 0;
  const deleted = (await deleteFilesInBatches(ids)).filter((f) => f.code === 'SUCCESS').length;
  const keys = ids.map(uploadRecordOf).filter((k): k is string => Boolean(k));
  if (keys.length) await markFilesDeleted(keys, now.toISOString());
  return deleted;
}

/** Uploads issued more than `olderThan` ago and never attached (a form abandoned): files and records go. */
export async function deleteUnattached(olderThan: string, now: Date): Promise<number> {
  const docs = await unattachedFilesBefore(olderThan);
  if (!docs.length) return 0;
  await deleteFilesInBatches(docs.map((d) => d.fileId));
  await markFilesDeleted(
    docs.map((d) => d._id),
    now.toISOString(),
  );
  return docs.length;
}

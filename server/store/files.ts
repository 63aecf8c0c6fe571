/**
 * Uploads (`files`): who uploaded which file, for what, and whether it is attached to a wish or deleted (server/photos.ts
 * explains the rules; server/batch.ts, server/ledger.ts and server/cards.ts record their own files here too).
 */
import type { PhotoPurpose } from '../../src/core';
import { FILES } from './collections';
import { db } from './db';

export interface FileDoc {
  _id: string; // the random part of the path
  path: string;
  fileId: string; // cloud://<env>.<bucket>/<path>, as the upload metadata gives it
  owner: string; // openid of the uploader
  purpose: PhotoPurpose | 'import' | 'import-errors' | 'ledger' | 'cardCode';
  wishId: string | null; // null for `collect` until the wish is stored
  state: 'issued' | 'attached' | 'deleted';
  issuedAt: string;
  attachedAt?: string;
  deletedAt?: string;
}

const UPLOAD_PATH = /^uploads\/([0-9a-f]{16})\/([0-9a-f]{32})\.(jpg|jpeg|png|webp|gif)$/;

/** The storage path of a `cloud://<env>.<bucket>/<path>` file id. */
export function pathOf(fileId: string): string | null {
  const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileId);
  return m ? m[1]! : null;
}

/** The owner key and record id of an uploaded photo's file id (`uploads/<ownerKey>/<record id>.<ext>`), or null. */
export function uploadPathOf(fileId: string): { ownerKey: string; record: string } | null {
  const m = UPLOAD_PATH.exec(pathOf(fileId) ?? '');
  return m ? { ownerKey: m[1]!, record: m[2]! } : null;
}

/** The `files` record id of an uploaded photo's file id (the random part of its path), or null for any other id. */
export function uploadRecordOf(fileId: string): string | null {
  return uploadPathOf(fileId)?.record ?? null;
}

/** Records an issued file (a taken id fails). */
export async function addFile(doc: FileDoc): Promise<void> {
  await db().collection(FILES).add(doc);
}

/** One file record by its id, or undefined. */
export async function fileById(id: string): Promise<FileDoc | undefined> {
  return (await db().collection(FILES).doc(id).get()).data[0] as FileDoc | undefined;
}

/** Marks an issued record of `owner` attached to `wishId` if it still is issued and for no other wish (one conditional
 * update); whether it did. */
export async function attachFile(id: string, owner: string, wishId: string, at: string): Promise<boolean> {
  const _ = db().command;
  const r = await db()
    .collection(FILES)
    .where({ _id: id, owner, state: 'issued', wishId: _.in([null, wishId]) })
    .update({ state: 'attached', wishId, attachedAt: at });
  return r.updated === 1;
}

/** Marks these records deleted (one request). */
export async function markFilesDeleted(ids: readonly string[], at: string): Promise<void> {
  await db()
    .collection(FILES)
    .where({ _id: db().command.in([...ids]) })
    .update({ state: 'deleted', deletedAt: at });
}

/** Up to 1000 records issued before `before` and never attached (a form abandoned). */
export async function unattachedFilesBefore(before: string): Promise<FileDoc[]> {
  const r = await db()
    .collection(FILES)
    .where({ state: 'issued', issuedAt: db().command.lt(before) })
    .limit(1000)
    .get();
  return r.data as FileDoc[];
}

// 照片地址 fileUrls: short-lived temporary URLs (5 minutes) for photos of wishes the caller may see — the resident's
// own photos for those who see the contact, evidence (fulfilment, progress) for those who see the evidence
// (src/core/privacy.ts visiblePhotosOf). Storage itself is private (storage.rules.json): this is the only way a
// client gets to see a photo, in the mini-program as in H5.
import { FileUrlsEvent, fail, visiblePhotosOf } from '../../src/core';
import { cloud } from '../../server/cloud';
import { defineFunction } from '../../server/runner';
import { wishesWithFiles } from '../../server/store';

/** Seconds a temporary photo URL stays valid: long enough to load a page, short enough that a copied URL dies. */
export const PHOTO_URL_SECONDS = 300;

export const main = defineFunction('fileUrls', FileUrlsEvent, async (event, { actor }) => {
  const wanted = [...new Set(event.fileIds)];
  const visible = new Set((await wishesWithFiles(wanted)).flatMap((w) => visiblePhotosOf(w, actor)));
  if (!wanted.every((id) => visible.has(id))) return fail('AUTH.FORBIDDEN', '您不能查看这些照片');
  const r = await cloud().getTempFileURL({ fileList: wanted.map((fileID) => ({ fileID, maxAge: PHOTO_URL_SECONDS })) });
  const urls: Record<string, string> = {};
  for (const f of r.fileList as Array<{ fileID: string; tempFileURL: string; code: string }>)
    if (f.code === 'SUCCESS') urls[f.fileID] = f.tempFileURL;
  return { urls, maxAge: PHOTO_URL_SECONDS };
});

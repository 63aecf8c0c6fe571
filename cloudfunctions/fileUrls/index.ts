// 照片地址 fileUrls: temporary URLs for photos of wishes whose private part (evidence) the caller may see.
import { FileUrlsEvent, canSeeEvidence, fail } from '../../src/core';
import { cloud } from '../../server/cloud';
import { defineFunction } from '../../server/runner';
import { filesOf, wishesWithFiles } from '../../server/store';

export const main = defineFunction('fileUrls', FileUrlsEvent, async (event, { actor }) => {
  const wanted = [...new Set(event.fileIds)];
  const visible = new Set((await wishesWithFiles(wanted)).filter((w) => canSeeEvidence(w, actor)).flatMap(filesOf));
  if (!wanted.every((id) => visible.has(id))) return fail('AUTH.FORBIDDEN', '您不能查看这些照片');
  const r = await cloud().getTempFileURL({ fileList: wanted.map((fileID) => ({ fileID, maxAge: 3600 })) });
  const urls: Record<string, string> = {};
  for (const f of r.fileList as Array<{ fileID: string; tempFileURL: string; code: string }>)
    if (f.code === 'SUCCESS') urls[f.fileID] = f.tempFileURL;
  return { urls };
});

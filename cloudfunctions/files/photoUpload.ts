// 上传照片 photoUpload: hands out the place to upload one photo, for one purpose. The path lies under a folder derived
// from the caller's openid (uploads/<ownerKey>/<random>.<ext>) and is recorded as the caller's (server/photos.ts), so
// collect, progress and fulfil accept only photos the caller uploaded for them. progress and fulfil need a wish the
// caller may do that on now. The answer: { cloudPath, upload: { url, authorization, token, fileId } } — the
// mini-program uploads with Taro.cloud.uploadFile({ cloudPath }), the H5 app PUTs to upload.url with upload.authorization.
import { PhotoUploadEvent, availableActions, fail } from '../../src/core';
import { issueUpload } from '../../server/photos';
import { defineFunction } from '../../server/runner';
import { getWish } from '../../server/store';

export const main = defineFunction(
  'photoUpload',
  PhotoUploadEvent,
  async (event, { actor, now }) => {
    if (event.wishId) {
      const wish = await getWish(event.wishId);
      if (!wish) return fail('WISH.NOT_FOUND');
      if (event.purpose === 'collect' || !availableActions(wish, actor, now).includes(event.purpose))
        return fail('AUTH.FORBIDDEN', '您现在不能为这个心愿上传照片');
    }
    return issueUpload(actor, event.purpose, event.wishId ?? null, event.ext === 'jpeg' ? 'jpg' : event.ext, now);
  },
  { write: true },
);

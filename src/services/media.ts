/**
 * The photo port: choose photos on the phone and upload them, answering `cloud://` file ids.
 * weapp: Taro.chooseMedia + Taro.cloud.uploadFile (through the gateway's transport).
 * H5:    Taro.chooseImage (a file input) + POST /api/_upload on the local cloud (same transport).
 * Pages never call the SDK or Taro.request directly: they call `choosePhotos`.
 */
import Taro from '@tarojs/taro';
import { uploadPhoto } from './gateway';

async function pick(count: number): Promise<string[]> {
  if (process.env.TARO_ENV === 'weapp') {
    const r = await Taro.chooseMedia({ count, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['album', 'camera'] });
    return r.tempFiles.map((f) => f.tempFilePath);
  }
  const r = await Taro.chooseImage({ count, sizeType: ['compressed'] });
  return r.tempFilePaths;
}

export function isCancel(e: unknown): boolean {
  return Boolean(e && typeof e === 'object' && /cancel/i.test(String((e as { errMsg?: string }).errMsg ?? '')));
}

/** Choose up to `count` photos and upload them one by one; resolves with their file ids ([] when cancelled). */
export async function choosePhotos(count: number): Promise<string[]> {
  let paths: string[];
  try {
    paths = await pick(Math.max(1, Math.min(9, count)));
  } catch (e) {
    if (isCancel(e)) return [];
    throw e;
  }
  const ids: string[] = [];
  for (const p of paths.slice(0, count)) ids.push((await uploadPhoto(p)).fileID);
  return ids;
}

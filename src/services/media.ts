/**
 * The photo port: choose photos on the phone and upload them, answering `cloud://` file ids.
 * Each upload first asks the photoUpload function where (a path recorded as the caller's, for this purpose), then:
 * weapp: Taro.chooseMedia + Taro.cloud.uploadFile to that path (through the gateway's transport).
 * H5:    Taro.chooseImage (a file input) + PUT with the signed upload metadata on the local cloud (same transport).
 * Pages never call the SDK or Taro.request directly: they call `choosePhotos`.
 */
import Taro from '@tarojs/taro';
import { uploadPhoto, type PhotoTarget } from './gateway';

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

/** A photo uploaded from this device: its file id, and the local file to preview it with (not yet on any wish,
 * so fileUrls would not show it). */
export interface ChosenPhoto {
  fileID: string;
  preview: string;
}

/** Choose up to `count` photos and upload them one by one for `target`; resolves with them ([] when cancelled). */
export async function choosePhotos(count: number, target: PhotoTarget): Promise<ChosenPhoto[]> {
  let paths: string[];
  try {
    paths = await pick(Math.max(1, Math.min(9, count)));
  } catch (e) {
    if (isCancel(e)) return [];
    throw e;
  }
  const out: ChosenPhoto[] = [];
  for (const p of paths.slice(0, count)) out.push({ fileID: (await uploadPhoto(p, target)).fileID, preview: p });
  return out;
}

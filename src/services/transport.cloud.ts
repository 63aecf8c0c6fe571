/** The mini-program: CloudBase functions and storage; the platform supplies the caller's identity. */
import Taro from '@tarojs/taro';
import { networkError, type Transport } from './answer';

export const transport: Transport = {
  async send(name, data) {
    try {
      const res = (await Taro.cloud.callFunction({ name, data: data as Record<string, unknown> })) as { result?: unknown };
      return res.result;
    } catch {
      throw networkError();
    }
  },

  async upload(filePath, name) {
    try {
      const res = await Taro.cloud.uploadFile({ cloudPath: `wish-photos/${name}`, filePath });
      return { fileID: res.fileID, url: res.fileID };
    } catch {
      throw networkError();
    }
  },

  photoUrl(fileID) {
    return fileID; // <Image> accepts cloud:// file ids in the mini-program
  },
};

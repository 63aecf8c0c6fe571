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

  // The path comes from the photoUpload function (the caller's own folder); storage.rules.json lets a signed-in
  // user write only their own files. Photos are shown through fileUrls' temporary URLs, never read by file id.
  async upload(filePath, ticket) {
    try {
      const res = await Taro.cloud.uploadFile({ cloudPath: ticket.cloudPath, filePath });
      return { fileID: res.fileID };
    } catch {
      throw networkError();
    }
  },

  // wx.downloadFile to a temp file, then wx.openDocument with showMenu: the organiser can forward it in a chat.
  async openDocument(url) {
    let filePath: string;
    try {
      const res = await Taro.downloadFile({ url });
      if (res.statusCode !== 200) throw new Error(String(res.statusCode));
      filePath = res.tempFilePath;
    } catch {
      throw networkError();
    }
    await Taro.openDocument({ filePath, fileType: 'xlsx', showMenu: true });
  },
};

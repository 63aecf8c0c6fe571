/**
 * Choosing a filled import spreadsheet (issue 11), organiser-only so it stays out of the main package.
 * weapp: wx.chooseMessageFile — such files usually arrive in a WeChat chat. H5: a file input, opened from the tap.
 * Resolves with a path the gateway's transport can upload (a temp file path, or a blob: URL), or null when cancelled.
 */
import Taro from '@tarojs/taro';
import { isCancel } from '@/services/media';

export interface ChosenFile {
  path: string;
  name: string;
  size: number;
}

export function chooseSpreadsheet(): Promise<ChosenFile | null> {
  if (process.env.TARO_ENV === 'h5') {
    // Created and clicked inside the tap's handler (no await before it), as browsers require for a file dialog.
    return new Promise((resolve) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      input.style.display = 'none';
      input.addEventListener('change', () => {
        const f = input.files?.[0];
        input.remove();
        resolve(f ? { path: URL.createObjectURL(f), name: f.name, size: f.size } : null);
      });
      input.addEventListener('cancel', () => {
        input.remove();
        resolve(null);
      });
      document.body.appendChild(input);
      input.click();
    });
  }
  return Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx'] }).then(
    (r) => {
      const f = r.tempFiles[0];
      return f ? { path: f.path, name: f.name, size: f.size } : null;
    },
    (e: unknown) => {
      if (isCancel(e)) return null;
      throw e;
    },
  );
}

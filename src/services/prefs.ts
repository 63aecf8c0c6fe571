/**
 * The large-text switch: on or off, kept in Taro storage so it stays on across launches.
 * Every page frame reads it when shown; the class `large-text` on the page scales all text.
 */
import Taro from '@tarojs/taro';

export const LARGE_TEXT_KEY = 'large-text';

export function isLargeText(): boolean {
  try {
    return Taro.getStorageSync(LARGE_TEXT_KEY) === 'on';
  } catch {
    return false;
  }
}

export function setLargeText(on: boolean): void {
  try {
    Taro.setStorageSync(LARGE_TEXT_KEY, on ? 'on' : 'off');
  } catch {
    /* storage full or unavailable: the switch still works for this page */
  }
}

/**
 * H5 ONLY: the local demo identities. Imported only behind `process.env.TARO_ENV === 'h5'`, so none
 * of this reaches the mini-program build (check: `grep -r demo-resident dist/weapp` finds nothing).
 */
import Taro from '@tarojs/taro';

export const DEV_OPENID_KEY = 'dev-openid';

export interface DemoUser {
  openid: string;
  roleLabel: string;
  name: string;
}

export const DEMO_USERS: DemoUser[] = [
  { openid: 'demo-resident', roleLabel: '居民', name: '王秀英' },
  { openid: 'demo-member', roleLabel: '党员', name: '李明' },
  { openid: 'demo-member-2', roleLabel: '党员', name: '赵华' },
  { openid: 'demo-organiser', roleLabel: '社区', name: '陈静' },
  // 安康社区, a second community under the same street: for trying cross-organisation rules by hand.
  { openid: 'demo-organiser-2', roleLabel: '社区', name: '刘芳' },
  { openid: 'demo-member-3', roleLabel: '党员', name: '孙强' },
];

export function currentOpenid(): string {
  let v: unknown;
  try {
    v = Taro.getStorageSync(DEV_OPENID_KEY);
  } catch {
    v = '';
  }
  return typeof v === 'string' && v ? v : DEMO_USERS[0]!.openid;
}

export function setOpenid(openid: string): void {
  Taro.setStorageSync(DEV_OPENID_KEY, openid);
}

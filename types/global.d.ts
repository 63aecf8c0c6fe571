/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.css';

/** H5 build only (config/index.ts defineConstants): base URL of the local cloud, '' = same origin. */
declare const LOCAL_CLOUD_URL: string;
/** H5 only: the CloudBase environment the web pages call through @cloudbase/js-sdk ('' = the local cloud's /api). */
declare const TCB_WEB_ENV: string;
/** H5 only: an image of the mini-program's code (WX_MINIPROGRAM_CODE_URL) for the 请在微信小程序中打开 page; '' = none. */
declare const MINI_PROGRAM_CODE_URL: string;
/** weapp build only: the CloudBase environment id. */
declare const CLOUD_ENV: string;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV?: 'weapp' | 'h5' | string;
  }
}

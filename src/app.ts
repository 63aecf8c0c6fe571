import { createElement, type PropsWithChildren } from 'react';
import Taro, { useLaunch } from '@tarojs/taro';
import { WebSiteGate, isCloudWebSite } from './components/MiniProgramOnly';
import './app.css';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'weapp') {
      // The environment from the build's env file (TCB_ENV_ID); without one, DevTools' default environment.
      Taro.cloud.init(CLOUD_ENV ? { env: CLOUD_ENV, traceUser: true } : { traceUser: true });
    }
  });
  // The CloudBase web site (WEB_CLOUD=cloudbase) serves the card page and 公开栏; any other page says 请在微信小程序中打开.
  return process.env.TARO_ENV === 'h5' && isCloudWebSite() ? createElement(WebSiteGate, null, children) : children;
}

export default App;

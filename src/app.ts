import { type PropsWithChildren } from 'react';
import Taro, { useLaunch } from '@tarojs/taro';
import './app.css';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'weapp') {
      // The environment from the build's env file (TCB_ENV_ID); without one, DevTools' default environment.
      Taro.cloud.init(CLOUD_ENV ? { env: CLOUD_ENV, traceUser: true } : { traceUser: true });
    }
  });
  return children;
}

export default App;

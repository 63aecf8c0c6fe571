import type { UserConfigExport } from '@tarojs/cli';

export default {
  logger: { quiet: false, stats: true },
  mini: {},
  // No hot reload: with Preact (config/index.ts) Taro would load @prefresh/webpack for it, which is not installed;
  // `npm run dev:h5` rebuilds on change and the page is reloaded by hand.
  h5: { devServer: { hot: false } },
} satisfies UserConfigExport<'webpack5'>;

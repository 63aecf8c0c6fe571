import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import devConfig from './dev';
import prodConfig from './prod';

/**
 * Taro build config (webpack5 runner, React).
 * - Each target writes to its own folder: dist/weapp, dist/h5.
 * - LOCAL_CLOUD_URL exists only in the H5 build (the local cloud); CLOUD_ENV (TCB_ENV_ID from the env file) only
 *   in the weapp build.
 *   Neither target's constant reaches the other target's bundle.
 */
/** The env file (ENV_FILE, default .env; see .env.example) under the process's own environment, which wins. */
function deployEnv(): Record<string, string | undefined> {
  const file = path.resolve(__dirname, '..', process.env.ENV_FILE || '.env');
  return { ...(existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {}), ...process.env };
}

export default defineConfig<'webpack5'>(async (merge) => {
  const env = process.env.TARO_ENV;
  const deploy = deployEnv();
  // Subscribe-message template ids by notice kind (weapp only), e.g.
  // SUBSCRIBE_TEMPLATES='{"claimed":"tmpl-id","fulfilled":"…"}' npm run build:weapp
  const templates = (() => {
    try {
      const t = JSON.parse(process.env.SUBSCRIBE_TEMPLATES || '{}') as unknown;
      return t && typeof t === 'object' ? t : {};
    } catch {
      return {};
    }
  })();
  const defineConstants: Record<string, string> =
    env === 'h5'
      ? { LOCAL_CLOUD_URL: JSON.stringify(process.env.LOCAL_CLOUD_URL ?? ''), SUBSCRIBE_TEMPLATES: '{}' }
      : // The CloudBase environment the mini-program calls (TCB_ENV_ID; '' = DevTools' default environment).
        { CLOUD_ENV: JSON.stringify(deploy.TCB_ENV_ID || deploy.CLOUD_ENV || ''), SUBSCRIBE_TEMPLATES: JSON.stringify(templates) };

  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'micro-wish',
    date: '2025-11-23',
    designWidth: 375,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${env}`,
    plugins: [],
    defineConstants,
    alias: { '@': path.resolve(__dirname, '..', 'src') },
    copy: { patterns: [], options: {} },
    framework: 'react',
    // Mini-program: Chinese text as UTF-8 (3 bytes a character) instead of Taro's default \uXXXX escapes
    // (6 bytes): the same code, about 8 KB less in the main package. The mini-program runtime reads UTF-8.
    ...(env === 'weapp' ? { terser: { enable: true, config: { output: { ascii_only: false } } } } : {}),
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin);
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: { filename: 'js/[name].[hash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[hash].css', chunkFilename: 'css/[name].[chunkhash].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin);
      },
    },
  };

  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig);
  return merge({}, baseConfig, prodConfig);
});

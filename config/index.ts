import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin';
import type Chain from 'webpack-chain';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ChunkManifestPlugin } from './chunkManifest';
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

/**
 * The pure core (src/core) has no top-level side effects, so a page that imports a label from `@/core` need not
 * bring the rest of it (the event schemas, valibot, the figures, the ledgers): webpack follows `@/core`'s re-exports
 * to the modules actually used (issue 8, part 6). The weapp build then also leaves core modules that only
 * subpackages use in those subpackages.
 */
function coreWithoutSideEffects(chain: Chain): void {
  chain.module
    .rule('core-side-effect-free')
    .test(/[\\/]src[\\/]core[\\/]/)
    .set('sideEffects', false);
}

/**
 * Webpack keeps a module's code for every export any chunk uses: a core module the main package needs (validation,
 * wish, errors, …) also carried, in the main package, the exports only subpackages use (the organiser's event
 * schemas and the valibot parts they need, …). Weapp only: the core and the components imported from a subpackage's
 * own code are a copy of their own (a webpack layer, kept by what that copy imports from the core, the components and
 * valibot), used only by subpackages, so Taro's optimizeMainPackage leaves it in those subpackages; the main package
 * keeps what its pages use (-5.6 KB, scripts/package-size.mjs). The core is pure (no state, no classes), the
 * components hold no module state (what is shared — session, prefs, the gateway — is in src/services, which stays one
 * module) and valibot's schemas are plain objects, so two copies behave as one.
 */
/** app.config.ts `subPackages` roots (src/<root>/). */
const SUBPACKAGE_ROOTS = ['member', 'organiser', 'account', 'consent', 'card', 'public'];
const SUBPACKAGE_LAYER = 'subpackages';
const COPY_QUERY = '?subpackages';
/** What the copy brings into the layer: the core, the components and valibot. Anything else it imports (dayjs; Taro's
 * runtime, which the build provides for globals such as `URL`) stays the one module the main package has. */
const LAYERED = /[\\/](src[\\/](core|components)|node_modules[\\/]valibot)[\\/]/;
/** The parts of webpack's compiler this plugin taps (webpack 5: NormalModuleFactory.hooks.afterResolve). */
interface ResolvedModule {
  createData: { layer?: string | null; resource?: string };
}
interface FactoryHooks {
  hooks: { afterResolve: { tap(name: string, fn: (data: ResolvedModule) => void): void } };
}
class SubpackageCoreCopy {
  apply(compiler: { hooks: { normalModuleFactory: { tap(name: string, fn: (nmf: FactoryHooks) => void): void } } }) {
    compiler.hooks.normalModuleFactory.tap('SubpackageCoreCopy', (nmf) => {
      nmf.hooks.afterResolve.tap('SubpackageCoreCopy', ({ createData }) => {
        if (createData.layer !== SUBPACKAGE_LAYER) return;
        if (!LAYERED.test(createData.resource ?? '')) createData.layer = null;
        // Taro's MiniSplitChunksPlugin moves a subpackages-only module by its `resource`: the copy needs one of its own,
        // or the main package's module of the same file would move with it.
        else if (!createData.resource?.includes(COPY_QUERY))
          createData.resource += createData.resource?.includes('?') ? `&${COPY_QUERY.slice(1)}` : COPY_QUERY;
      });
    });
  }
}
function subpackageCoreCopy(chain: Chain): void {
  chain.set('experiments', { ...(chain.get('experiments') as object | undefined), layers: true });
  chain.module
    .rule('subpackage-core-copy')
    .test(/[\\/]src[\\/](core|components)[\\/]/)
    .set('issuer', new RegExp(`[\\\\/]src[\\\\/](${SUBPACKAGE_ROOTS.join('|')})[\\\\/]`))
    .set('layer', SUBPACKAGE_LAYER);
  chain.plugin('subpackage-core-copy').use(SubpackageCoreCopy);
}

/**
 * F2 (the workbench's trend chart, organiser subpackage) and its @antv dependencies import `tslib` and a few
 * `@babel/runtime` helpers, modules that the main package / H5 entry already holds for Taro. Webpack keeps a module's
 * exports by what the whole build uses and stops inlining a module two chunks share, so F2 would grow the main
 * package (+3.6 KB: tslib's __awaiter, __generator, …; the typeof helper as a module of its own) and the H5 first
 * screen. Resolved here to the packages' other files (tslib's other ES file, the helpers' CommonJS builds), F2's
 * copies are modules of their own and stay with F2 in the organiser subpackage (docs/figures.md, "Trend").
 */
function antvOwnHelpers(chain: Chain): void {
  chain.module
    .rule('antv-own-helpers')
    .test(/[\\/]node_modules[\\/]@antv[\\/]/)
    .resolve.alias.set('tslib$', require.resolve('tslib/tslib.es6.js'))
    .set('@babel/runtime/helpers/esm', path.dirname(require.resolve('@babel/runtime/helpers/typeof')));
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
      ? {
          LOCAL_CLOUD_URL: JSON.stringify(process.env.LOCAL_CLOUD_URL ?? ''),
          // WEB_CLOUD=cloudbase: the pages anyone may open call that environment through @cloudbase/js-sdk (issue 23;
          // `npm run deploy` builds it so). Otherwise '' and the local cloud's /api.
          TCB_WEB_ENV: JSON.stringify(process.env.WEB_CLOUD === 'cloudbase' ? deploy.TCB_ENV_ID || '' : ''),
          // The mini-program's code (an image URL) that its 请在微信小程序中打开 page shows (src/components/MiniProgramOnly.tsx).
          MINI_PROGRAM_CODE_URL: JSON.stringify(deploy.WX_MINIPROGRAM_CODE_URL || ''),
          SUBSCRIBE_TEMPLATES: '{}',
        }
      : // The CloudBase environment the mini-program calls (TCB_ENV_ID; '' = DevTools' default environment).
        { CLOUD_ENV: JSON.stringify(deploy.TCB_ENV_ID || deploy.CLOUD_ENV || ''), SUBSCRIBE_TEMPLATES: JSON.stringify(templates) };

  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'micro-wish',
    date: '2025-11-23',
    designWidth: 375,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${env}`,
    // Taro writes base.wxml templates for a default list of components besides those the app uses; this drops the
    // ones we never use (scroll-view: ~9 KB of the main package). A page that uses one gets it back (Taro adds every
    // component the code imports).
    plugins: [path.resolve(__dirname, 'unused-templates.js')],
    defineConstants,
    alias: { '@': path.resolve(__dirname, '..', 'src') },
    copy: { patterns: [], options: {} },
    // H5 renders with Preact (react and react-dom resolve to preact/compat): React DOM alone was most of the 100 KB
    // first-screen budget (issue 8, part 6). The mini-program keeps React through Taro's own reconciler.
    framework: env === 'h5' ? 'preact' : 'react',
    // Mini-program: Chinese text as UTF-8 (3 bytes a character) instead of Taro's default \uXXXX escapes
    // (6 bytes): the same code, about 8 KB less in the main package. The mini-program runtime reads UTF-8.
    ...(env === 'weapp' ? { terser: { enable: true, config: { output: { ascii_only: false } } } } : {}),
    // Levels of nested templates in base.wxml (Taro's default 16): each level repeats the view and text templates
    // (~2.7 KB a level, all in the main package). A node nested deeper than this renders through Taro's recursive
    // `comp` component (one more component boundary, same output). 8 levels take ~19 KB off the main package
    // (issue 8, part 6).
    baseLevel: 8,
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin);
        coreWithoutSideEffects(chain);
        antvOwnHelpers(chain);
        subpackageCoreCopy(chain);
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
        coreWithoutSideEffects(chain);
        antvOwnHelpers(chain);
        // Taro splits only the entry's chunks ('initial'): every page is an async chunk, so each page carried its own
        // copy of what pages share (Taro's components, the app's components and services, the core, dayjs, …), 23
        // chunks of 4 MB in all. Splitting async chunks too ('all') puts each shared module in one chunk, loaded by
        // the pages that need it (Taro's own cache groups otherwise: taro, vendors, common). The first screen and the
        // totals: scripts/h5-size.mjs (issue 8, part 6).
        chain.optimization.splitChunks({
          chunks: 'all',
          hidePathInfo: true,
          minSize: 0,
          cacheGroups: {
            default: false,
            defaultVendors: false,
            common: { name: false, minChunks: 2, priority: 1 },
            vendors: { name: false, minChunks: 2, test: /[\\/]node_modules[\\/]/, priority: 10 },
            taro: {
              name: false,
              test: (m: { context?: string }) => /[\\/]node_modules[\\/]@tarojs[\\/]/.test(m.context ?? ''),
              priority: 100,
            },
          },
        });
        chain.plugin('chunk-manifest').use(ChunkManifestPlugin, [path.resolve(__dirname, '..', 'dist/h5.chunks.json')]);
      },
    },
  };

  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig);
  return merge({}, baseConfig, prodConfig);
});

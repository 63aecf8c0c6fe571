// babel-preset-taro: https://docs.taro.zone/docs/next/babel-config
module.exports = {
  // JSX for Preact in the H5 build (config/index.ts), React elsewhere (weapp, and jest's component tests).
  // No hot reload (its Preact plugins, @prefresh/*, are not installed; config/dev.ts turns it off for webpack too).
  presets: [['taro', { framework: process.env.TARO_ENV === 'h5' ? 'preact' : 'react', ts: true, compiler: 'webpack5', hot: false }]],
  overrides: [
    {
      // The pure core builds its valibot schemas, label tables and regular expressions in top-level calls, which
      // the minifier must keep unless they are marked side-effect free: every function's event schema then reached
      // the app (issue 8, part 6). The core has no top-level side effects by design (src/core: pure, imports only
      // valibot), so its top-level calls in assignments are annotated #__PURE__ and the unused ones dropped.
      test: /[\\/]src[\\/]core[\\/]/,
      plugins: ['annotate-pure-calls'],
    },
  ],
};

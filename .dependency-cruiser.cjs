/** The layer rules, enforced by `npm run lint` (dependency-cruiser). */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'src/core is the pure lifecycle: no Taro, no CloudBase, no storage, no node built-ins, no app code.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: {
        pathNot: ['^src/core/', '^node_modules/(valibot|dayjs)/'],
      },
    },
    {
      name: 'pages-use-the-gateway',
      comment: 'Pages and components never import a CloudBase SDK or server code.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: ['^server/', '^cloudfunctions/', '^localcloud/', 'node_modules/@cloudbase/(?!js-sdk/)'] },
    },
    {
      name: 'web-sdk-only-in-its-transport',
      comment: "The web SDK (@cloudbase/js-sdk) only in the gateway's CloudBase web transport, which the H5 transport loads lazily.",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/services/transport\\.tcb\\.ts$' },
      to: { path: 'node_modules/@cloudbase/js-sdk/' },
    },
    {
      name: 'server-does-not-know-the-local-cloud',
      comment: 'Functions and server code run unchanged on CloudBase: they must not import the local cloud or the app.',
      severity: 'error',
      from: { path: '^(server|cloudfunctions)/' },
      to: { path: ['^localcloud/', '^src/(?!core/)', 'node_modules/@tarojs/'] },
    },
    {
      name: 'functions-only-through-the-runner',
      comment: 'A cloud function uses the shared runner and store, not the SDK directly.',
      severity: 'error',
      from: { path: '^cloudfunctions/' },
      to: { path: 'node_modules/@cloudbase/' },
    },
    {
      name: 'only-the-store-touches-the-database',
      comment:
        "The database handle (server/store/db.ts) only in the storage port (server/store/): functions and every other module read and write through the store's named operations (issue 21). The server modules listed in pathNot still query it themselves and are to move into the store; none may be added. (`cloud().database()` written outside the store is eslint's no-restricted-properties in eslint.config.mjs.)",
      severity: 'error',
      from: {
        path: '^(server|cloudfunctions|src|localcloud)/',
        pathNot: ['^server/store/'],
      },
      to: { path: '^server/store/db\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^cloudfunctions/[^/]+/index\\.js$', '^dist/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

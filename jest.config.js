// One jest run, nine projects (fourteen with the second engine, below). `npm test` runs them all (scripts/test-all.mjs).
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2021' },
    module: { type: 'commonjs' },
  },
];
/** node's environment plus one PGlite per worker process for the local clouds its test files start (tests/node-environment.js). */
const LOCAL_CLOUDS = '<rootDir>/tests/node-environment.js';
const base = { transform: { '^.+\\.(ts|tsx)$': swc }, moduleNameMapper: { '^@/(.*)$': '<rootDir>/src/$1' } };

const projects = [
  { ...base, displayName: 'core', testEnvironment: 'node', testMatch: ['<rootDir>/tests/core/**/*.test.ts'] },
  { ...base, displayName: 'localcloud', testEnvironment: LOCAL_CLOUDS, testMatch: ['<rootDir>/tests/localcloud/**/*.test.ts'] },
  // Every query the functions make must be served by an index declared in database/collections.json: the local
  // cloud refuses any other (LOCALCLOUD_STRICT_INDEXES=refuse), so each suite's calls check the declaration.
  {
    ...base,
    displayName: 'functions',
    testEnvironment: LOCAL_CLOUDS,
    testMatch: ['<rootDir>/tests/functions/**/*.test.ts'],
    setupFiles: ['<rootDir>/tests/functions/strict-indexes.ts'],
  },
  {
    ...base,
    displayName: 'security',
    testEnvironment: LOCAL_CLOUDS,
    testMatch: ['<rootDir>/tests/security/**/*.test.ts'],
  },
  {
    ...base,
    displayName: 'components',
    testEnvironment: 'jsdom',
    testMatch: ['<rootDir>/tests/components/**/*.test.tsx'],
    moduleNameMapper: {
      ...base.moduleNameMapper,
      '^@tarojs/components$': '<rootDir>/tests/components/stubs/components.tsx',
      '^@tarojs/taro$': '<rootDir>/tests/components/stubs/taro.ts',
      '\\.(css|scss)$': '<rootDir>/tests/components/stubs/style.ts',
    },
  },
  // The contract suite: the local cloud here; a real CloudBase environment under npm run test:cloud (CLOUD_CONTRACT=1).
  {
    ...base,
    displayName: 'contract',
    testEnvironment: LOCAL_CLOUDS,
    testMatch: ['<rootDir>/tests/cloud/**/*.test.ts'],
    setupFiles: ['<rootDir>/tests/functions/strict-indexes.ts'],
  },
  // The deployment plan (npm run deploy -- --dry-run): no credentials, no network.
  { ...base, displayName: 'deploy', testEnvironment: 'node', testMatch: ['<rootDir>/tests/deploy/**/*.test.ts'] },
  // The weapp bundle (dist/weapp) under WeChat's own WXML compiler and component framework, in jsdom (tests/weapp).
  // globalSetup builds dist/weapp when it is missing or older than src/ and config/.
  {
    ...base,
    displayName: 'weapp',
    // node (the local cloud runs in the same process) with a jsdom window for WeChat's component framework.
    testEnvironment: '<rootDir>/tests/weapp/environment.js',
    testMatch: ['<rootDir>/tests/weapp/**/*.test.ts'],
    globalSetup: '<rootDir>/tests/weapp/build.ts',
  },
  { ...base, displayName: 'browser', testEnvironment: LOCAL_CLOUDS, testMatch: ['<rootDir>/tests/browser/**/*.test.ts'] },
];

/** The projects that store data run a second time against a PostgreSQL server when TEST_DATABASE_URL names one
 * (scripts/test-all.mjs starts a throw-away cluster): the same files, in the same run, shared out over the same workers. */
const STORED = ['localcloud', 'functions', 'security', 'contract', 'browser'];
const onPostgres = process.env.TEST_DATABASE_URL
  ? projects
      .filter((p) => STORED.includes(p.displayName))
      .map((p) => ({ ...p, displayName: `${p.displayName}·pg`, setupFiles: [...(p.setupFiles ?? []), '<rootDir>/tests/postgres-env.js'] }))
  : [];

module.exports = {
  // 30 s per test, not jest's 5 s. Security tests make dozens of calls each (races, every field of every
  // function), and each function's first call starts its instance (a worker that loads the SDK): a loaded
  // two-core machine ran tests past 5 s. (testTimeout is a global option: inside a project jest ignores it.)
  testTimeout: 30_000,
  projects: [...projects, ...onPostgres],
  // With TIMING_REPORT (scripts/test-all.mjs), a row per test file: its project, time and counts.
  reporters: process.env.TIMING_REPORT ? ['default', '<rootDir>/tests/timing-reporter.js'] : ['default'],
};

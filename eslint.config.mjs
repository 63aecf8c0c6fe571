import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// China time is computed in one module, src/core/dates.ts (issue 21): nowhere else writes the offset.
const CHINA_TIME_MESSAGE =
  'China time lives in src/core/dates.ts (chinaDate, chinaInstant, chinaPeriod, chinaTime …): no offset arithmetic elsewhere';
const CHINA_TIME = [
  ...[60, 3600, 3600000].flatMap((n) => [
    `BinaryExpression[operator='*'][left.value=8][right.value=${n}]`,
    `BinaryExpression[operator='*'][left.value=${n}][right.value=8]`,
  ]),
  'Literal[value=480]',
  'Literal[value=-480]',
  'Literal[value=28800]',
  'Literal[value=28800000]',
  'Literal[value=/[+]08:?00/]',
  'TemplateElement[value.raw=/[+]08:?00/]',
  "Literal[value='Asia/Shanghai']",
].map((selector) => ({ selector, message: CHINA_TIME_MESSAGE }));

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', '.localcloud/**', '.scratch/**', 'cloudfunctions/*/index.js', 'coverage/**', '**/*.map'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.{ts,tsx,js,cjs,mjs}'],
    rules: { 'no-restricted-syntax': ['error', ...CHINA_TIME] },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      // Pages go through the one gateway (src/services/gateway.ts).
      'no-restricted-syntax': [
        'error',
        ...CHINA_TIME,
        {
          selector: "MemberExpression[object.name='Taro'][property.name='request']",
          message: 'Call functions through src/services/gateway.ts',
        },
        {
          selector: "MemberExpression[object.name='Taro'][property.name='cloud']",
          message: 'Call functions through src/services/gateway.ts',
        },
      ],
    },
  },
  {
    files: ['src/services/**', 'src/app.ts'],
    rules: { 'no-restricted-syntax': ['error', ...CHINA_TIME] },
  },
  {
    // The one China-time module; tests state instants in China time on purpose.
    files: ['src/core/dates.ts', 'tests/**', 'bench/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // One storage port (issue 21): only server/store/ opens the database (server/store/db.ts); functions, other server
    // modules and pages read and write through the store's named operations. dependency-cruiser's
    // only-the-store-touches-the-database sees imports of the handle; this sees `cloud().database()` written anywhere.
    files: ['server/**/*.ts', 'cloudfunctions/**/*.ts', 'src/**/*.{ts,tsx}'],
    ignores: ['server/store/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'database', message: 'Only the store (server/store/) opens the database: read and write through its named operations' },
      ],
    },
  },
  {
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    // Tests and benchmarks read untyped JSON answers.
    files: ['tests/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);

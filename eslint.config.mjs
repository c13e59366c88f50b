// Lint: typescript-eslint's type-checked recommended rules over the sources, scripts and tests;
// formatting is Prettier's (eslint-config-prettier turns off the rules that would fight it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'test-artifacts/**',
      'web/**',
      'teams/**',
      'coverage/**',
      '*.config.js',
      '*.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json', './tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      // `_name` is a value deliberately left out (`const { eTag: _ignored, ...rest } = state`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `async` marks functions that implement a promise-returning contract (botbuilder's Storage,
      // restify's handlers) also when their own body happens to be synchronous.
      '@typescript-eslint/require-await': 'off',
      // Patient text is cleaned of control characters on purpose (bookingAnswers, bookingExport).
      'no-control-regex': 'off',
    },
  },
  {
    // Jest's asymmetric matchers (expect.any, expect.stringMatching…) and response bodies are typed
    // `any` by Jest and fetch themselves; the tests check their shape with assertions instead.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  prettier,
  {
    // After `prettier`, which turns max-len off: Prettier leaves long comments, strings and regexes as they are.
    rules: { 'max-len': ['error', { code: 120, ignoreUrls: true }] },
  },
  {
    // The console's pages are HTML in `html` templates: one element a line reads better than a broken tag.
    files: ['bot/staff/**/*.ts'],
    rules: { 'max-len': ['error', { code: 120, ignoreUrls: true, ignoreTemplateLiterals: true }] },
  },
);

// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // The language-detector measurement has its own packages, installed only to run it.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'tools/language-detectors/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Tests read real-shaped platform JSON fixtures; typing every nested field would add nothing.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/channels/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['telegraf*', 'botbuilder*', 'botframework-*', 'twitter-api-v2*'], message: 'Platform SDKs are imported only under src/channels/<platform>/.' }],
      }],
    },
  },
  {
    files: ['flows/**/*.ts', 'src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['telegraf*', 'botbuilder*', 'twitter-api-v2*', 'redis*', 'fastify*', 'node:*'], message: 'The flow and core are pure: no platform, I/O or server imports.' }],
      }],
    },
  },
);

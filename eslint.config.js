// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layering: inner modules must not import outer ones (see docs/architecture.md); nothing imports the web console (console/). */
const layer = (files, forbidden) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [...forbidden, 'console'].map((dir) => ({ group: [`**/${dir}/*`, `**/${dir}/**`], message: `${files[0]} must not depend on ${dir}/` })),
    }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  layer(['src/message/**'], ['core', 'actions', 'backend', 'transports', 'config', 'app', 'testing']),
  layer(['src/protocol/**'], ['core', 'actions', 'backend', 'transports', 'config', 'app', 'testing']),
  layer(['src/core/**'], ['actions', 'transports', 'app', 'backend/sandbox', 'testing']),
  layer(['src/actions/**'], ['transports', 'app', 'backend/sandbox', 'testing']),
  layer(['src/backend/**'], ['core', 'actions', 'transports', 'app', 'testing']),
  layer(['src/transports/**'], ['actions', 'app', 'backend/sandbox', 'testing']),
  layer(['src/config/**'], ['core', 'actions', 'backend', 'transports', 'app', 'testing']),
  layer(['src/record/**'], ['core', 'actions', 'backend', 'transports', 'config', 'app', 'testing']),
  layer(['src/app/**'], ['testing']),
  // The test kit drives cqhttpd from outside: the composition root and the control API, never the sandbox or actions.
  layer(['src/testing/**'], ['core', 'actions', 'backend']),
  layer(['src/cli.ts', 'test/**', 'bench/**', 'scripts/**', 'examples/**'], []),
  { files: ['src/cli.ts', 'test/**', 'bench/**', 'scripts/**', 'examples/**'], rules: { 'no-console': 'off' } },
);

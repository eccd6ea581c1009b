import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layeringConfigs } from './eslint/layering.mjs';

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'dist/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['test/**', 'bench/**', 'devinfra/**/main.ts', 'workers/reconcile.ts'],
    rules: { 'no-console': 'off' },
  },
  ...layeringConfigs(),
  { files: ['*.js', '*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
);

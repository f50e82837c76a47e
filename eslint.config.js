import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'packages/db/src/generated/**', '.chorus/**', 'artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // The web panel's components and hooks: the rules of hooks and React Compiler's checks, a
    // missing effect dependency included (a stale closure is a bug, not a style).
    files: ['apps/web/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: { ...reactHooks.configs.flat.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Tool configs are read by their tools, which want a default export.
    files: ['*.config.{js,ts}', 'apps/web/vite.config.ts', 'test/global-setup.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Taro loads the mini-program's build config, app, pages and their configs by default export.
    files: ['apps/miniprogram/config/*.ts', 'apps/miniprogram/src/app.{ts,config.ts}', 'apps/miniprogram/src/pages/**/*.{ts,tsx}'],
    rules: { 'no-restricted-syntax': 'off' },
  },
)

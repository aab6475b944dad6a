// Lint rules: typescript-eslint strict on TS and Svelte; imports run only downward (CONTRIBUTING.md).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['dist', 'dev-dist', 'data', 'node_modules', 'coverage', 'bench-results', 'bench/.odk-dist'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src/shared/**/*'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/app/**', '**/server/**', 'dexie', 'node:*', 'svelte', 'svelte/*'] },
      ],
    },
  },
  {
    files: ['src/app/**/*'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/server/**', 'node:*'] }] },
  },
  {
    // Screens read and write through state/ classes handed down by typed context (state/context.ts),
    // never Dexie, a table or the sync engine themselves: ui → state → sync → db.
    files: ['src/app/ui/**/*', 'src/app/App.svelte'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['dexie', '**/db/*', '**/sync/*'],
              allowTypeImports: true,
              message: 'Screens get data from state/ classes through context (src/app/state/context.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/app/**', 'dexie', 'svelte', 'svelte/*'] }] },
  },
);

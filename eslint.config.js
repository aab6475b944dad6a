// Lint rules: typescript-eslint strict on TS and Svelte; imports run only downward (CONTRIBUTING.md).
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import layers from './eslint.layers.json' with { type: 'json' };

/**
 * no-restricted-paths zones from the layer order (eslint.layers.json, docs/architecture.md "Layers"):
 * a folder of src/app or src/server may import only folders ranked lower or equal on its side, and
 * never the side's top-level files (the composition root, ".").
 */
function layerZones(side) {
  const order = Object.entries(layers[side]);
  return order
    .filter(([folder]) => folder !== '.')
    .flatMap(([folder, rank]) => {
      const target = `src/${side}/${folder}`;
      const higher = order.filter(([f, r]) => f !== '.' && r > rank).map(([f]) => `src/${side}/${f}`);
      const message = `Layers (docs/architecture.md): ${side}/${folder} imports only lower layers.`;
      const zones = [{ target, from: [`src/${side}/*.{ts,svelte}`], message }];
      if (higher.length > 0) zones.push({ target, from: higher, message });
      return zones;
    });
}

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
  {
    // Layers that hold: no upward import between folders, no import cycle between files.
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver()],
      // Components are not followed for cycles (their parse needs the TS parser inside the Svelte
      // one); tests/unit/layers.test.ts finds cycles through them with bench/layers.ts.
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        { basePath: import.meta.dirname, zones: [...layerZones('app'), ...layerZones('server')] },
      ],
    },
  },
);

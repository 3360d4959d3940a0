/**
 * Lint rules for the whole repository, including the import boundaries of the house style:
 * `platform/` and `http/` never import from `modules/`, and a module is imported only through its
 * `index.ts`. test/lint-boundaries.test.ts proves these rules still bite.
 */
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import security from 'eslint-plugin-security';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['data/', '.diligence-test/', 'scratch/', 'coverage/', 'web/dist/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  security.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    // Flags every `object[key]`, which in typed code is nearly always a false alarm; the keys
    // here come from typed unions or the environment, never from request input.
    rules: { 'security/detect-object-injection': 'off' },
  },
  {
    // Tests and fixtures write temporary files at paths they build themselves.
    files: ['test/**', '**/*.test.ts', 'bench/**', 'scripts/**'],
    rules: { 'security/detect-non-literal-fs-filename': 'off' },
  },
  {
    // The server logs only through the redacting logger; the CLI talks to a terminal.
    files: ['src/**'],
    ignores: ['src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/**'],
    plugins: { boundaries },
    settings: {
      // Patterns below are relative to this folder, whatever directory eslint runs from.
      'boundaries/root-path': import.meta.dirname,
      'boundaries/elements': [
        { type: 'platform', pattern: 'src/platform', partialMatch: false },
        { type: 'http', pattern: 'src/http', partialMatch: false },
        { type: 'module', pattern: 'src/modules/*', partialMatch: false },
      ],
      // Every other source file (config, composition, main, cli) is known too, so the rules
      // check its imports; files outside src/ stay unknown and unchecked.
      'boundaries/files': [{ category: 'source', pattern: 'src/**' }],
    },
    rules: {
      // Imports inside one module are "internal" and never checked; the last matching policy wins.
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          policies: [
            {
              to: { element: { type: 'module' } },
              disallow: { to: { element: { fileInternalPath: '!index.ts' } } },
              message: 'Import another module only through its index.ts.',
            },
            {
              from: { element: { types: { anyOf: ['platform', 'http'] } } },
              disallow: { to: { element: { type: 'module' } } },
              message: 'platform/ and http/ never import from modules/.',
            },
          ],
        },
      ],
    },
  },
);

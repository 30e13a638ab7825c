// ESLint (`npm run lint`, with `prettier --check`): typescript-eslint's type-checked recommended
// rules on the TypeScript, each file typed by its environment's tsconfig (tsconfig.json's
// references), and eslint-plugin-lit / eslint-plugin-wc on the element, the headless recognizer,
// the app and the examples. Formatting is Prettier's alone: no stylistic rules here.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['lib/', 'dist/', 'models/', 'reports/', '.cache/', 'coverage/', 'test-results/', 'examples/react/dist/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `const { omitted, ...rest } = value` is how the code drops a field.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    // Plain JavaScript (the bin script, worker entry shims, this file) and the React example,
    // which no tsconfig covers: syntax rules only.
    files: ['**/*.js', '**/*.mjs', 'examples/**/*.tsx'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['test/consumers/app.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['src/element/**/*.ts', 'src/session/**/*.ts', 'src/app/**/*.ts', 'examples/**/*.{ts,tsx}'],
    extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended']],
  },
);

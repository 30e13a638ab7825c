import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * Builds the React example (`npm run build:examples` → examples/react/dist/) against the built
 * package in lib/ (run `npm run build:lib` first), with React's automatic JSX runtime.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, 'examples/react'),
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
});

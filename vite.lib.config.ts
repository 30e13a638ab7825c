import { defineConfig } from 'vite';
import { portableAssetUrls, shippedModels, wasmBinaries } from './scripts/vite-plugins.ts';

/**
 * The package build (`npm run build:lib` → lib/): ES modules for `<digit-listener>`, with Lit
 * bundled so a plain HTML page can import it without an import map. `digit-listener.js`
 * registers the tag; `digit-listener-class.js` only exports the class (register it under any
 * name, or subclass it). The recognizer worker and the capture worklet are separate files, and
 * the shipped model and tfjs' wasm files sit beside the modules in `models/` and `wasm/`, where
 * the element looks by default (`model-src` / `wasm-path` point elsewhere).
 */
export default defineConfig({
  worker: { format: 'es' },
  // tfjs-wasm's emscripten glue reads `__filename` behind a `typeof` test; webpack 5 folds the
  // test to true and leaves the bare name, which throws in the browser worker. An ES module never
  // has `__filename` (browser or Node), so the glue's browser path is unchanged.
  define: { __filename: 'undefined' },
  publicDir: false,
  base: './', // worker and worklet URLs relative to the module, wherever the package is served
  build: {
    outDir: 'lib',
    target: 'es2022',
    lib: {
      entry: { 'digit-listener': 'src/element/define.ts', 'digit-listener-class': 'src/element/digit-listener.ts', recognizer: 'src/session/index.ts' },
      formats: ['es'],
    },
    chunkSizeWarningLimit: 2000,
  },
  plugins: [shippedModels(''), wasmBinaries(''), portableAssetUrls()],
});

import { defineConfig } from 'vite';

/**
 * The package's command line (`npm run build:lib`, after vite.lib.config.ts): `lib/cli.js`, one
 * ES module for Node 20+ built from src/cli/bundled.ts with everything it imports — tfjs (core,
 * layers, wasm backend), wavefile, fft.js — bundled in, so `bin/digit-listener.js` runs from an
 * installed package without tsx and without any dependency. The wasm binaries and the shipped
 * models it reads are the ones the package build already emits into `lib/wasm/` and
 * `lib/models/`, so this build adds one file and never empties `lib/`.
 */
export default defineConfig({
  publicDir: false,
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: 'src/cli/bundled.ts',
    outDir: 'lib',
    emptyOutDir: false,
    target: 'node20',
    minify: true, // 0.9 MB instead of 2.3 MB; errors the CLI expects are reported by message, not stack
    sourcemap: false,
    copyPublicDir: false,
    rolldownOptions: {
      output: {
        format: 'es',
        entryFileNames: 'cli.js',
        codeSplitting: false,
        // tfjs-backend-wasm's Emscripten glue is CommonJS and reads __dirname / __filename in Node.
        banner: [
          "import { fileURLToPath as __cliFileURLToPath } from 'node:url';",
          "import { dirname as __cliDirname } from 'node:path';",
          'const __filename = __cliFileURLToPath(import.meta.url);',
          'const __dirname = __cliDirname(__filename);',
        ].join('\n'),
      },
    },
  },
});

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const MODELS_DIR = resolve(import.meta.dirname, 'models');
const MODEL_FILE = /\.(json|bin)$/;

/**
 * The shipped models, `models/<name>/model.json|weights.bin`, in a `models/` folder beside the
 * element's module, where `<digit-listener>` looks by default: emitted as `assets/models/…` (so
 * the PWA precache sees them) and served in dev at any `…/models/<name>/<file>` path. Our own
 * few lines instead of a copy plugin: copy plugins write files after the bundle is closed, too
 * late for the service worker's precache manifest.
 */
function shippedModels(): Plugin {
  const files = () =>
    readdirSync(MODELS_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(MODELS_DIR, d.name)).filter((f) => MODEL_FILE.test(f)).map((f) => `${d.name}/${f}`));
  return {
    name: 'digit-listener-models',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = decodeURIComponent((req.url ?? '').split('?')[0]).match(/\/models\/([^/]+\/[^/]+)$/)?.[1];
        if (!name || !files().includes(name)) return next();
        res.setHeader('Content-Type', name.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        res.end(readFileSync(join(MODELS_DIR, name)));
      });
    },
    generateBundle() {
      for (const name of files()) {
        this.emitFile({ type: 'asset', fileName: `assets/models/${name}`, source: readFileSync(join(MODELS_DIR, name)) });
      }
    },
  };
}

/**
 * Cross-origin isolation (COOP + COEP): makes SharedArrayBuffer available, which tfjs needs for
 * its multi-threaded wasm binary. Set on the dev and preview servers; a host serving dist/ must
 * send the same two headers (README, "Hosting"). Everything the app loads is same-origin, so
 * `require-corp` blocks nothing.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});

const WASM_DIR = resolve(import.meta.dirname, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/**
 * tfjs' wasm binaries under their own names in a `wasm/` folder beside the element's module,
 * where `src/element/recognizer-client.ts` looks by default: emitted as `assets/wasm/*` (the
 * bundle's chunks live in `assets/`, and the service worker precaches them), served in dev at
 * any `…/wasm/<file>` path.
 */
function wasmBinaries(): Plugin {
  return {
    name: 'digit-listener-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = (req.url ?? '').split('?')[0].match(/\/wasm\/([^/]+\.wasm)$/)?.[1];
        if (!file || !WASM_FILES.includes(file)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(join(WASM_DIR, file)));
      });
    },
    generateBundle() {
      for (const file of WASM_FILES) this.emitFile({ type: 'asset', fileName: `assets/wasm/${file}`, source: readFileSync(join(WASM_DIR, file)) });
    },
  };
}

export default defineConfig({
  server: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  preview: { port: 4173, headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
  plugins: [
    shippedModels(),
    wasmBinaries(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false, // registered by src/app/main.ts with workbox-window
      includeAssets: ['icons/*.png', 'icons/*.svg'],
      manifest: {
        name: 'Digit Listener',
        short_name: 'Digits',
        description: 'Say a digit, see it — recognized on your device, offline. No audio leaves the device.',
        start_url: '.',
        scope: '.',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b57d0',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // App shell, worker/worklet bundles, wasm binaries and the shipped model.
        globPatterns: ['**/*.{js,css,html,png,svg,wasm,json,bin,webmanifest}'],
        globIgnores: ['**/report.json', '**/tfjs-backend-wasm-threaded-simd.wasm'],
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        navigateFallback: 'index.html',
      },
    }),
  ],
});

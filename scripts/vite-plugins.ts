/**
 * Vite plugins shared by the app build (vite.config.ts) and the package build (vite.lib.config.ts):
 * they put the shipped models and tfjs' wasm files where `<digit-listener>` looks by default —
 * `models/` and `wasm/` beside the module that holds the element — and serve them there in dev.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';
import { WASM_FILES } from '../src/model/wasm-files.ts';

const MODELS_DIR = resolve(import.meta.dirname, '..', 'models');
/** Model files, and the licence, notice and model card that ship beside third-party weights (models/encoder/). */
const MODEL_FILE = /\.(json|bin)$|^(LICENSE|NOTICE|MODEL_CARD\.md)$/;

/**
 * The shipped models, `models/<name>/model.json|weights.bin` (the speech encoder with its
 * licence, notice and model card in `models/encoder/`), in a `models/` folder beside the
 * element's module, where `<digit-listener>` looks by default: emitted as `<prefix>models/…` (the
 * app's chunks live in `assets/`; the PWA precache sees them) and served in dev at any `…/models/<name>/<file>` path. Our own
 * few lines instead of a copy plugin: copy plugins write files after the bundle is closed, too
 * late for the service worker's precache manifest.
 */
export function shippedModels(prefix = 'assets/'): Plugin {
  const files = () =>
    // models/<name>/ and the string model in models/<name>/strings/.
    (readdirSync(MODELS_DIR, { recursive: true }) as string[])
      .map((path) => path.split(sep).join('/'))
      .filter((path) => path.includes('/') && MODEL_FILE.test(path.slice(path.lastIndexOf('/') + 1)));
  return {
    name: 'digit-listener-models',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = decodeURIComponent((req.url ?? '').split('?')[0]).match(/\/models\/([^/]+\/(?:strings\/)?[^/]+)$/)?.[1];
        if (!name || !files().includes(name)) return next();
        res.setHeader('Content-Type', name.endsWith('.json') ? 'application/json' : /\.bin$/.test(name) ? 'application/octet-stream' : 'text/plain; charset=utf-8');
        res.end(readFileSync(join(MODELS_DIR, name)));
      });
    },
    generateBundle() {
      for (const name of files()) {
        this.emitFile({ type: 'asset', fileName: `${prefix}models/${name}`, source: readFileSync(join(MODELS_DIR, name)) });
      }
    },
  };
}

const WASM_DIR = resolve(import.meta.dirname, '..', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');

/**
 * tfjs' wasm binaries under their own names in a `wasm/` folder beside the element's module,
 * where `src/session/assets.ts` points by default: emitted as `<prefix>wasm/*`
 * (the service worker precaches them), served in dev at
 * any `…/wasm/<file>` path.
 */
export function wasmBinaries(prefix = 'assets/'): Plugin {
  return {
    name: 'digit-listener-wasm',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = (req.url ?? '').split('?')[0].match(/\/wasm\/([^/]+\.wasm)$/)?.[1];
        if (!file || !(WASM_FILES as readonly string[]).includes(file)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(join(WASM_DIR, file)));
      });
    },
    generateBundle() {
      for (const file of WASM_FILES) this.emitFile({ type: 'asset', fileName: `${prefix}wasm/${file}`, source: readFileSync(join(WASM_DIR, file)) });
    },
  };
}

/**
 * The package's asset URLs in the one form every bundler understands: `new URL('./file',
 * import.meta.url)` with a literal, `./`-relative path (webpack 5 reads a path without `./` as a
 * package name), and `new Worker(new URL('./worker.js', import.meta.url), …)` for the worker
 * (webpack's and Vite's worker pattern; Vite's lib output wraps it in a second `new URL`). The
 * `@vite-ignore` comments that keep this repository's own builds quiet (src/session/assets.ts)
 * are dropped so a consumer's Vite does not ignore the URLs. Fails the build on a URL it does not
 * know, rather than ship one a bundler would miss.
 */
export function portableAssetUrls(): Plugin {
  return {
    name: 'digit-listener-portable-asset-urls',
    renderChunk(code) {
      const out = code
        .replace(/new URL\(\s*\/\* @vite-ignore \*\/\s*new URL\("(assets\/[^"]+)", import\.meta\.url\)\.href,\s*"" \+ import\.meta\.url\s*\)/g, 'new URL("./$1", import.meta.url)')
        .replace(/new URL\("(assets\/[^"]+)", import\.meta\.url\)/g, 'new URL("./$1", import.meta.url)')
        .replace(/\/\* @vite-ignore \*\/\s*/g, '');
      const odd = out.match(/new URL\(\s*"(?!\.\/)[^"]*",\s*import\.meta\.url\)|"" \+ import\.meta\.url/);
      if (odd) this.error(`an asset URL a bundler would not find: ${odd[0]}`);
      return out === code ? null : { code: out, map: null };
    },
  };
}

/**
 * Where the recognizer finds its files when the page sets nothing: the shipped models, tfjs'
 * wasm binaries, the recognizer worker and the capture worklet, all beside the module that holds
 * this code (the package's `lib/`, or the app's `assets/`).
 *
 * Every URL is a literal `new URL('./…', import.meta.url)`: the pattern Vite, webpack 5, Rollup
 * and esbuild-based bundlers understand. A web developer's bundler sees these files, copies them
 * into the build and rewrites the URLs (zero configuration); a page loading `lib/` as is
 * resolves them beside the module. In this repository's own builds the files do not exist next to
 * the source, so `scripts/vite-plugins.ts` emits them there, and Vite is told to leave the URLs
 * alone (`@vite-ignore`; the package build drops the comments — `portableAssetUrls` in
 * scripts/vite-plugins.ts — so a consumer's bundler does not ignore them).
 */
import { WASM_FILES } from '../model/wasm-files';
import type { ModelSources } from '../worker/protocol';

/** The shipped speech encoder and its word and string heads: model.json and weights.bin of each, by literal URL. */
export function shippedModels(): ModelSources {
  return {
    word: {
      url: new URL(/* @vite-ignore */ './models/default/model.json', import.meta.url).href,
      weights: { 'weights.bin': new URL(/* @vite-ignore */ './models/default/weights.bin', import.meta.url).href },
    },
    encoder: {
      url: new URL(/* @vite-ignore */ './models/encoder/model.json', import.meta.url).href,
      weights: { 'weights.bin': new URL(/* @vite-ignore */ './models/encoder/weights.bin', import.meta.url).href },
    },
    anchors: { url: new URL(/* @vite-ignore */ './models/default/anchors.json', import.meta.url).href },
    strings: {
      url: new URL(/* @vite-ignore */ './models/default/strings/model.json', import.meta.url).href,
      weights: { 'weights.bin': new URL(/* @vite-ignore */ './models/default/strings/weights.bin', import.meta.url).href },
    },
  };
}

/** The shipped wasm binaries: file name → URL, by literal URL. */
export function shippedWasm(): Record<string, string> {
  return {
    'tfjs-backend-wasm.wasm': new URL(/* @vite-ignore */ './wasm/tfjs-backend-wasm.wasm', import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL(/* @vite-ignore */ './wasm/tfjs-backend-wasm-simd.wasm', import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL(/* @vite-ignore */ './wasm/tfjs-backend-wasm-threaded-simd.wasm', import.meta.url).href,
  };
}

/**
 * The wasm binaries in a folder the page names (`wasmPath` option / `wasm-path` attribute):
 * file name → URL.
 * @param dir folder URL, absolute or relative to the page (`document.baseURI`)
 */
export function wasmIn(dir: string | URL): Record<string, string> {
  const base = new URL(dir, globalThis.document?.baseURI ?? globalThis.location?.href);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return Object.fromEntries(WASM_FILES.map((f) => [f, new URL(f, base).href]));
}

/**
 * File names of tfjs' three wasm binaries (plain, SIMD, threaded SIMD), as tfjs asks for them.
 * Its own module, free of any environment: the page (`session/assets.ts`) and the build's Vite
 * plugins (`scripts/vite-plugins.ts`, in Node) both read it.
 */
export const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

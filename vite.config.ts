import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { APP_HEADERS, CROSS_ORIGIN_ISOLATION_HEADERS, securityHeaders } from './scripts/security-headers.ts';
import { shippedModels, wasmBinaries } from './scripts/vite-plugins.ts';

export default defineConfig({
  server: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  preview: { port: 4173, headers: { ...APP_HEADERS } },
  plugins: [
    securityHeaders(),
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

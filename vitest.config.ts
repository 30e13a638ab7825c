import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // Two cores: the browser tests play audio in real time and must not starve.
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // Browser states follow model loading and real-time audio: give polled assertions time.
    expect: { poll: { timeout: 10_000 } },
    // One file at a time: the browser tests play audio in real time and must not be starved
    // of the machine's two cores by the training or CLI tests.
    fileParallelism: false,
  },
});

/** Names this test run, so browser test files build the app once and share it (test/browser/app-harness.ts). */
export default function setup(): void {
  process.env.DIGIT_TEST_RUN = `${Date.now()}-${process.pid}`;
}

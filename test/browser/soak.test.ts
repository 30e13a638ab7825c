/**
 * The short browser soak: the production app (built for the soak into .cache/soak/dist) listens
 * for 72 s to a fake microphone looping 23 s of the soak stream (five digits in 10 dB noise,
 * silence, stationary noise, a non-digit word); `npm run soak` listens for ten minutes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSoakResult, runBrowserSoak } from '../../scripts/soak/browser-soak';
import { findChromium } from './chromium';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('short soak in Chromium: a looping fake microphone for 72 s', () => {
  let result: BrowserSoakResult;

  beforeAll(async () => {
    // Heap growth counts from the end of the second loop: two loops of 18 s are measured either way.
    result = await runBrowserSoak({ seconds: 72, loopSeconds: 18, durationScale: 0.1, sampleEverySeconds: 8, warmupSeconds: 36 });
    console.log(
      `browser soak: ${result.loops.map((l) => `loop ${l.loop + 1}: ${l.correct}/${l.expected}`).join(', ')}; heap growth after warm-up ` +
        `page ${result.growth.page} B, worker ${result.growth.worker} B, worklet ${result.growth.worklet} B`,
    );
  }, 180_000);

  it('keeps recognizing the looped digits on every pass, without errors', () => {
    expect(result.errors).toEqual([]);
    expect(result.loops).toHaveLength(3);
    for (const loop of result.loops) {
      expect(loop.expected).toBe(5);
      expect(loop.correct, `loop ${loop.loop + 1}`).toBeGreaterThanOrEqual(4);
    }
    const { falseAccepts } = result.score;
    expect(falseAccepts.silence + falseAccepts['stationary-noise'] + falseAccepts['between digits']).toBe(0);
    // The loop's one non-digit word ("purple") is read as "two" now and then (0.86 on the first pass).
    expect(falseAccepts.speech).toBeLessThanOrEqual(1);
  });

  it('does not grow the JS heap of the page or the recognizer worker over the last two loops', () => {
    // Measured: 40–65 KB in the worker, 10–16 KB in the page over the last two loops (compiled
    // code settling; the ten-minute soak levels off at ≈ 180 KB). Injected leaks, measured: the
    // pipeline keeping every feature window (16 KB each) adds 264 KB to the worker, the worker
    // keeping every step 530 KB. With the string model (issue 13) the worker's code settles
    // through the second loop too: from the end of the first loop it grew 132–149 KB in four runs,
    // leveling off (samples every 8 s: +74, +6, +43, −1, −6, +23 KB); from the end of the second, 60 KB.
    expect(result.heap[result.warmupIndex].atSeconds).toBeGreaterThanOrEqual(result.loopSeconds);
    expect(result.growth.page).not.toBeNull();
    expect(result.growth.worker).not.toBeNull(); // the worker's heap is reachable (DevTools auto-attach)
    expect(result.growth.page!).toBeLessThan(150_000);
    expect(result.growth.worker!).toBeLessThan(150_000);
  });
});

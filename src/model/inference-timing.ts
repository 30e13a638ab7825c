import type { DigitClassifier } from './classifier';

/** Time per window of {@link DigitClassifier.predict}, ms. */
export interface InferenceTiming {
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly runs: number;
}

/**
 * Times `runs` classifications of one fixed log-mel-like window `[windowFrames, melBins]`
 * (values around ln-power −10, deterministic) after `warmup` untimed ones, with
 * `performance.now()`; normalisation and softmax are included, as in the product. Used by
 * `npm run bench` in Node and in the browser worker, so both figures mean the same thing.
 *
 * @throws RangeError if `runs` is not a positive integer
 */
export function measureInference(classifier: DigitClassifier, runs: number, warmup = 50): InferenceTiming {
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`measureInference: runs must be a positive integer, got ${runs}`);
  const { windowFrames } = classifier.metadata.window;
  const { melBins } = classifier.metadata.frontend;
  const window = Float32Array.from({ length: windowFrames * melBins }, (_, i) => -10 + 4 * Math.sin(i * 0.37) * Math.cos(i * 0.011));
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    classifier.predict(window);
    if (i >= warmup) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { medianMs: at(0.5), p95Ms: at(0.95), runs };
}

import type { DigitClassifier } from './classifier';
import type { SpeechEncoder } from './encoder';

/** Time per call, ms: median and 95th percentile over `runs` timed calls. */
export interface InferenceTiming {
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly runs: number;
}

/** A fixed log-mel-like stretch `[frames, melBins]` in dB (deterministic): what the timings read. */
function syntheticLogMel(frames: number, melBins: number): Float32Array {
  return Float32Array.from({ length: frames * melBins }, (_, i) => 30 + 20 * Math.sin(i * 0.37) * Math.cos(i * 0.011));
}

/** Times `runs` calls of `call` after `warmup` untimed ones, with `performance.now()`. */
function time(call: () => void, runs: number, warmup: number): InferenceTiming {
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`measureInference: runs must be a positive integer, got ${runs}`);
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    call();
    if (i >= warmup) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { medianMs: at(0.5), p95Ms: at(0.95), runs };
}

/**
 * Times `runs` classifications of one fixed window `[windowFrames, melBins]` by the word model —
 * the encoder's pass over the window (K embeddings) and the head, softmax included, as the
 * recognizer decides a word — after `warmup` untimed ones. Used by `npm run bench` in Node and in
 * the browser worker, so both figures mean the same thing.
 *
 * @throws RangeError if `runs` is not a positive integer
 */
export function measureInference(classifier: DigitClassifier, runs: number, warmup = 50): InferenceTiming {
  const window = syntheticLogMel(classifier.metadata.window.windowFrames, classifier.metadata.frontend.melBins);
  return time(() => classifier.predict(window), runs, warmup);
}

/**
 * Times the speech encoder per embedding step: `steps` embeddings computed in one pass over their
 * `contextFrames + stepFrames·(steps − 1)` frames, the time divided by `steps`. `steps` 1 is one
 * embedding alone (76 frames); the string reader computes two per pass (its `hopSteps`).
 *
 * @throws RangeError if `runs` or `steps` is not a positive integer
 */
export function measureEncoderStep(encoder: SpeechEncoder, runs: number, steps = 1, warmup = 50): InferenceTiming {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`measureEncoderStep: steps must be a positive integer, got ${steps}`);
  const frames = syntheticLogMel(encoder.contextFrames + encoder.stepFrames * (steps - 1), encoder.metadata.frontend.melBins);
  const t = time(() => encoder.encode(frames), runs, warmup);
  return { medianMs: t.medianMs / steps, p95Ms: t.p95Ms / steps, runs };
}

/**
 * Digit strings said with short gaps, as people say a PIN or a phone number: real FSDD test
 * clips joined by 50–300 ms of silence go through the same recognizer as the browser, and the
 * digits must come out one by one, in order.
 */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasmBackend } from '../src/model/backend';
import { loadModels } from '../src/cli/models';
import { type RecognizerModels, StreamingRecognizer } from '../src/pipeline/recognizer';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { DEFAULT_MODEL_DIR } from '../src/cli/paths';
import { clipSequence, FSDD_DIR, fsddClip } from './helpers/fsdd';

const RATE = 8000;
const GAPS_S = [0.05, 0.1, 0.15, 0.2, 0.3];

/** Five 4-digit strings per speaker from the FSDD test split (indices 0–4), fixed by a seed. */
function testStrings(): string[][] {
  const clips = readdirSync(FSDD_DIR)
    .filter((f) => /_[0-4]\.wav$/.test(f))
    .map((f) => f.slice(0, -4))
    .sort();
  const speakers = [...new Set(clips.map((c) => c.split('_')[1]))];
  let seed = 11;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  return speakers.flatMap((s) => {
    const own = clips.filter((c) => c.split('_')[1] === s);
    return Array.from({ length: 5 }, () => Array.from({ length: 4 }, () => own[next(own.length)]));
  });
}

function recognize(recognizer: StreamingRecognizer, signal: Float32Array): number[] {
  const digits: number[] = [];
  for (let i = 0; i < signal.length; i += 1024) digits.push(...recognizer.push(signal.subarray(i, i + 1024)).detections.map((d) => d.digit));
  digits.push(...recognizer.flush().detections.map((d) => d.digit));
  return digits;
}

describe('digit strings with 50–300 ms gaps (FSDD test clips, shipped model)', () => {
  let models: RecognizerModels;
  beforeAll(async () => {
    await initWasmBackend();
    models = await loadModels(DEFAULT_MODEL_DIR);
  });

  const strings = testStrings();
  for (const gap of GAPS_S) {
    it(`reads 30 strings said with ${gap * 1000} ms gaps, digit by digit`, () => {
      let exact = 0;
      let inPlace = 0;
      for (const clips of strings) {
        const truth = clips.map((c) => Number(c[0]));
        const got = recognize(new StreamingRecognizer(models, RATE), clipSequence(clips, gap, 1));
        if (got.join('') === truth.join('')) exact++;
        inPlace += truth.filter((d, i) => got[i] === d).length;
      }
      console.log(`${gap * 1000} ms gaps: ${exact}/30 strings exact, ${inPlace}/120 digits in place`);
      // Single words score 97.7 % here, so ~91 % of 4-digit strings is the ceiling. Before the
      // gate noted pauses and windows masked other speech, these strings gave 2 / 5 / 7 / 11 /
      // 16 of 30 right at 50 / 100 / 150 / 200 / 300 ms.
      expect(exact).toBeGreaterThanOrEqual(23);
      expect(inPlace).toBeGreaterThanOrEqual(105);
    });
  }

  it('reports each digit read in a string with a span that starts by its word and overlaps it', () => {
    // The CTC spike of a digit often starts late in the word or after it; the reported span
    // runs from the token before it to the end of the spike.
    let stringDigits = 0;
    let holding = 0;
    for (const clips of strings.slice(0, 15)) {
      const signal = clipSequence(clips, 0.05, 1);
      let t = 500;
      const spans = clips.map((c) => {
        const ms = (fsddClip(c).samples.length / RATE) * 1000;
        const span = { digit: Number(c[0]), startMs: t, endMs: t + ms };
        t += ms + 50;
        return span;
      });
      const recognizer = new StreamingRecognizer(models, RATE);
      const detections = [recognizer.push(signal), recognizer.flush()].flatMap((step) => step.detections).filter((d) => d.source === 'string');
      detections.forEach((d, i) => {
        if (detections.length !== spans.length || d.digit !== spans[i].digit) return;
        stringDigits++;
        if (d.startMs <= spans[i].startMs + 100 && d.endMs > spans[i].startMs && d.startMs < spans[i].endMs) holding++;
      });
    }
    expect(stringDigits).toBeGreaterThanOrEqual(30);
    expect(holding / stringDigits).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps a repeated digit said twice 50 ms apart as two digits', () => {
    const got = recognize(new StreamingRecognizer(models, RATE), clipSequence(['2_jackson_0', '2_jackson_1', '7_theo_0', '7_theo_1'], 0.05, 1));
    expect(got).toEqual([2, 2, 7, 7]);
  });
});

describe('segments of words said close together', () => {
  it('holds words 50 ms apart in one segment, with a pause between them where it may be cut', () => {
    const pipeline = new StreamingPipeline(RATE);
    const signal = clipSequence(['2_george_0', '9_george_1'], 0.05, 1);
    const windows = [...pipeline.push(signal).windows, ...pipeline.flush().windows];
    expect(windows).toHaveLength(1);
    const [w] = windows;
    expect(w.parts?.count).toBeGreaterThanOrEqual(2);
    // The gap (after 0.5 s of lead silence and the first clip) lies inside one of the pauses.
    const gapMs = 500 + (1000 * clipSequence(['2_george_0'], 0, 0, 0).length) / RATE;
    expect(w.segment.pauses.some((p) => p.startFrame * 10 <= gapMs + 50 && p.endFrame * 10 >= gapMs)).toBe(true);
  });

  it('masks other speech out of each word window with the silence frame', () => {
    const pipeline = new StreamingPipeline(RATE);
    const windows = [...pipeline.push(clipSequence(['4_theo_0', '1_theo_1'], 0.25, 1)).windows, ...pipeline.flush().windows];
    expect(windows).toHaveLength(2);
    const [first, second] = windows;
    const silence = Math.log(pipeline.config.frontend.logFloor);
    const { windowFrames, postRollFrames } = pipeline.config.window;
    const melBins = pipeline.config.frontend.melBins;
    // The second window starts inside the first word; those frames read as silence now.
    const windowStart = second.segment.endFrame + postRollFrames - windowFrames;
    expect(windowStart).toBeLessThan(first.segment.endFrame);
    const frameOf = (f: number) => second.features.subarray((f - windowStart) * melBins, (f - windowStart + 1) * melBins);
    for (let f = Math.max(windowStart, first.segment.startFrame); f < first.segment.endFrame; f++) {
      expect(Array.from(frameOf(f)).every((v) => v === Math.fround(silence))).toBe(true);
    }
    // The second word itself is kept.
    expect(Array.from(frameOf(second.segment.startFrame + 5)).some((v) => v > silence + 1)).toBe(true);
  });
});

/**
 * The streaming string reader's parts: greedy CTC decoding, runs of speech from the gate's
 * events, and the windowed model runs — a run read stretch by stretch as it is spoken must give
 * exactly what the model gives on the whole run at once.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasmBackend } from '../src/model/backend';
import { normalizeToReference } from '../src/model/input';
import { type CtcDigit, GreedyCtcDecoder } from '../src/pipeline/ctc-decoder';
import { RunTracker } from '../src/pipeline/runs';
import { type CtcModel, DEFAULT_STRING_READER_CONFIG, StringReader, type StringReaderEvent } from '../src/pipeline/string-reader';
import { DEFAULT_PIPELINE_CONFIG, StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import type { GateEvent } from '../src/vad/gate';
import { runFrames } from '../training/strings/examples';
import { buildStringModel, contextFrames, DEFAULT_STRING_MODEL_SHAPE, frameStride } from '../training/strings/model';
import { wordSpan } from '../training/word-span';
import { clipSequence, concat, fsddClip } from './helpers/fsdd';

const BLANK = 11;
/** One frame of posteriors with `p` on class `k` and the rest spread evenly. */
const frame = (k: number, p = 0.9) => Array.from({ length: 12 }, (_, i) => (i === k ? p : (1 - p) / 11));

describe('GreedyCtcDecoder', () => {
  it('merges repeats, drops blanks, keeps a digit said twice with a blank between, and ends a digit at the next frame', () => {
    const decoder = new GreedyCtcDecoder(BLANK);
    const frames = [BLANK, 4, 4, BLANK, 4, 1, 1, BLANK, BLANK, 7];
    const out = frames.map((k, i) => decoder.push(frame(k, k === 1 && i === 6 ? 0.99 : 0.9)));
    const last = decoder.finish();
    // A digit is reported at the first frame that is not it.
    expect(out.map((d) => d?.digit ?? null)).toEqual([null, null, null, 4, null, 4, null, 1, null, null]);
    expect(last?.digit).toBe(7);
    const ones = out[7]!;
    expect(ones).toMatchObject({ startFrame: 5, endFrame: 7 });
    expect(ones.confidence).toBeCloseTo(0.99);
    expect(ones.posteriors[1]).toBeCloseTo(0.99);
    expect(new GreedyCtcDecoder(BLANK).finish()).toBeNull();
  });
});

describe('RunTracker', () => {
  const config = { preRollFrames: 5, postRollFrames: 10, maxRunFrames: 100 };
  const frameOf = (v: number) => new Float32Array(4).fill(v);
  const feed = (tracker: RunTracker, events: Record<number, GateEvent[]>, frames: number) =>
    Array.from({ length: frames }, (_, i) => tracker.push(frameOf(i), i, events[i] ?? [])).flat();

  it('joins segments that follow at once into one run, with pre- and post-roll, and keeps its frames', () => {
    const tracker = new RunTracker(4, config);
    const events = feed(
      tracker,
      {
        23: [{ type: 'speech-start', startFrame: 20 }],
        60: [
          { type: 'speech-end', segment: { startFrame: 20, endFrame: 45, pauses: [] } },
          { type: 'speech-start', startFrame: 45 },
        ],
        // The gate ends a segment a hangover (10 frames) after its last voiced frame (69).
        79: [{ type: 'speech-end', segment: { startFrame: 45, endFrame: 70, pauses: [] } }],
      },
      90,
    );
    expect(events.map((e) => e.type)).toEqual(['run-start', 'run-end']);
    const end = events[1];
    if (end.type !== 'run-end') throw new Error('no run end');
    expect(end).toMatchObject({ startFrame: 15, endFrame: 80, complete: true });
    // The frames are the stream's frames 15..79 (each frame filled with its index).
    expect(end.frames.length).toBe(65 * 4);
    expect([end.frames[0], end.frames[64 * 4]]).toEqual([15, 79]);
  });

  it('goes on through a too-long segment the gate dropped and replayed into speech, and never re-reads frames', () => {
    const tracker = new RunTracker(4, config);
    const events = feed(
      tracker,
      {
        12: [{ type: 'speech-start', startFrame: 10 }],
        // The gate drops the segment as too long, re-estimates its floors and finds a word in the same frames.
        60: [
          { type: 'speech-dropped', segment: { startFrame: 10, endFrame: 61, pauses: [] }, reason: 'too-long' },
          { type: 'speech-start', startFrame: 30 },
        ],
        79: [{ type: 'speech-end', segment: { startFrame: 30, endFrame: 70, pauses: [] } }],
        // A replay that finds a word in frames the last run already held: the next run starts after them.
        95: [{ type: 'speech-start', startFrame: 75 }],
        120: [{ type: 'speech-end', segment: { startFrame: 75, endFrame: 111, pauses: [] } }],
      },
      130,
    );
    expect(events.map((e) => [e.type, e.startFrame, e.type === 'run-end' ? e.endFrame : null])).toEqual([
      ['run-start', 5, null],
      ['run-end', 5, 80],
      ['run-start', 80, null],
      ['run-end', 80, 121],
    ]);
  });

  it('drops a run of nothing but a click, and ends a run that outgrows maxRunFrames as incomplete', () => {
    const click = new RunTracker(4, config);
    const clickEvents = feed(
      click,
      { 5: [{ type: 'speech-start', startFrame: 3 }], 9: [{ type: 'speech-dropped', segment: { startFrame: 3, endFrame: 6, pauses: [] }, reason: 'too-short' }] },
      20,
    );
    expect(clickEvents.map((e) => e.type)).toEqual(['run-start']);
    expect(click.open).toBe(false);
    const long = new RunTracker(4, config);
    const longEvents = feed(long, { 10: [{ type: 'speech-start', startFrame: 10 }], 149: [{ type: 'speech-end', segment: { startFrame: 10, endFrame: 140, pauses: [] } }] }, 160);
    const end = longEvents.at(-1)!;
    expect(end).toMatchObject({ type: 'run-end', startFrame: 5, endFrame: 105, complete: false });
  });
});

describe('StringReader', () => {
  let model: tf.LayersModel;
  /** An untrained string model whose normalisation ignores the reference, so stretches compare exactly. */
  let ctc: CtcModel;
  const stride = frameStride(DEFAULT_STRING_MODEL_SHAPE);
  const { melBins } = DEFAULT_PIPELINE_CONFIG.frontend;

  beforeAll(async () => {
    await initWasmBackend();
    model = buildStringModel(melBins, 12, 3);
    ctc = {
      metadata: { frameStride: stride, contextFrames: contextFrames(DEFAULT_STRING_MODEL_SHAPE), frontend: { melBins } },
      source: 'untrained string model',
      blank: BLANK,
      other: 10,
      posteriors: (features) =>
        tf.tidy(() => tf.softmax(model.predict(tf.tensor3d(normalizeToReference(features, 0), [1, features.length / melBins, melBins])) as tf.Tensor).dataSync() as Float32Array),
      dispose: () => model.dispose(),
    };
  });

  it('reads a run stretch by stretch exactly as the model reads the whole run at once', () => {
    // Four FSDD digits trimmed to their words, 30 ms apart: one run of about 2 s.
    const words = ['4_jackson_0', '1_jackson_1', '7_jackson_2', '2_jackson_3'].map((name) => {
      const { samples } = fsddClip(name);
      const { start, end } = wordSpan(samples, 8000, 30);
      return samples.subarray(start, end);
    });
    const gap = new Float32Array(240);
    const signal = concat(new Float32Array(4000), ...words.flatMap((w) => [w, gap]), new Float32Array(4000));
    const reader = new StringReader(ctc);
    const events: StringReaderEvent[] = [];
    const pipeline = new StreamingPipeline(
      8000,
      DEFAULT_PIPELINE_CONFIG,
      {},
      {
        frame: (logMel, index, gateEvents) => events.push(...reader.push(logMel, index, gateEvents)),
        end: () => events.push(...reader.end()),
      },
    );
    for (let i = 0; i < signal.length; i += 777) pipeline.push(signal.subarray(i, i + 777));
    pipeline.flush();
    const runs = events.filter((e) => e.type === 'run-start');
    expect(runs).toHaveLength(1);
    const streamed = events.flatMap((e) => (e.type === 'digit' ? [e.digit] : []));

    // The whole run at once, with silence before it (the model's context) and after it (to the
    // stride), decoded the same way.
    const whole = runFrames(signal, 8000)!;
    const context = ctc.metadata.contextFrames;
    const frames = Math.ceil(whole.frames / stride) * stride;
    const padded = new Float32Array((context + frames) * melBins).fill(-1e3);
    padded.set(whole.features, context * melBins);
    const posteriors = ctc.posteriors(padded, 0).subarray((context / stride) * 12);
    const decoder = new GreedyCtcDecoder(BLANK);
    const offline: CtcDigit[] = [];
    for (let j = 0; j < frames / stride; j++) {
      const d = decoder.push(posteriors, j * 12);
      if (d) offline.push(d);
    }
    const last = decoder.finish();
    if (last) offline.push(last);
    // The untrained model still emits digits somewhere: the comparison is not empty.
    expect(offline.length).toBeGreaterThan(0);
    const start = runs[0].type === 'run-start' ? runs[0].startFrame : 0;
    expect(streamed.map((d) => [d.digit, d.startFrame - start, d.endFrame - start])).toEqual(offline.map((d) => [d.digit, d.startFrame * stride, d.endFrame * stride]));
    streamed.forEach((d, i) => expect(d.confidence).toBeCloseTo(offline[i].confidence, 4));
  });

  it('emits digits while the run is still open, not only at its end', () => {
    const signal = clipSequence(['4_jackson_0', '1_theo_0', '7_nicolas_0', '2_george_0', '9_yweweler_0', '3_lucas_0'], 0.1, 0.5);
    const reader = new StringReader(ctc);
    const seen: string[] = [];
    const pipeline = new StreamingPipeline(
      8000,
      DEFAULT_PIPELINE_CONFIG,
      {},
      {
        frame: (logMel, index, gateEvents) => seen.push(...reader.push(logMel, index, gateEvents).map((e) => e.type)),
        end: () => seen.push(...reader.end().map((e) => e.type)),
      },
    );
    pipeline.push(signal);
    pipeline.flush();
    const firstEnd = seen.indexOf('run-end');
    expect(seen.slice(0, firstEnd).filter((t) => t === 'digit').length).toBeGreaterThan(0);
  });

  it('rejects a hop or context that is not a multiple of the frame stride', () => {
    expect(() => new StringReader(ctc, { ...DEFAULT_STRING_READER_CONFIG, hopFrames: 6 })).toThrow(/multiples of its frame stride 4/);
  });
});

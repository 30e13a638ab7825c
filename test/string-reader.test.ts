/**
 * The streaming string reader's parts: greedy CTC decoding, runs of speech from the gate's
 * events, and the encoder and head read step by step — a run read as it is spoken must give
 * exactly what the encoder and head give on the whole run at once.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR } from '../src/cli/paths';
import { ENCODER_FRONTEND_CONFIG } from '../src/frontend/config';
import { initWasmBackend } from '../src/model/backend';
import { SpeechEncoder } from '../src/model/encoder';
import { fileSystemModel } from '../src/model/node-io';
import { type CtcDigit, GreedyCtcDecoder } from '../src/pipeline/ctc-decoder';
import { RunTracker } from '../src/pipeline/runs';
import { type CtcModel, DEFAULT_STRING_READER_CONFIG, runLeadFrames, StringReader, type StringReaderEvent, wholeRunFrames } from '../src/pipeline/string-reader';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import type { GateEvent } from '../src/vad/gate';
import { wordPipelineConfig } from '../training/heads/examples';
import { buildStringHead } from '../training/heads/models';
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

  it('keeps leadFrames of context before a run, reading frames before the stream start as the silence frame', () => {
    const tracker = new RunTracker(4, { ...config, leadFrames: 12 }, frameOf(-1));
    const events = feed(tracker, { 9: [{ type: 'speech-start', startFrame: 8 }], 40: [{ type: 'speech-end', segment: { startFrame: 8, endFrame: 30, pauses: [] } }] }, 50);
    const end = events.at(-1)!;
    if (end.type !== 'run-end') throw new Error('no run end');
    // The run starts at 3 (8 less the pre-roll); its 12 lead frames are 9 of silence, then frames 0–2.
    expect(end).toMatchObject({ startFrame: 3, endFrame: 41 });
    expect(end.frames.length).toBe((12 + 38) * 4);
    expect([end.frames[0], end.frames[8 * 4], end.frames[9 * 4], end.frames[12 * 4]]).toEqual([-1, -1, 0, 3]);
  });
});

describe('StringReader', () => {
  let head: tf.LayersModel;
  let encoder: SpeechEncoder;
  /** An untrained string head on the shipped encoder: it still emits digits, so streamed and whole readings compare. */
  let ctc: CtcModel;
  const config = wordPipelineConfig(1);
  const { melBins } = ENCODER_FRONTEND_CONFIG;

  beforeAll(async () => {
    await initWasmBackend();
    const dir = join(DEFAULT_MODEL_DIR, '../encoder');
    encoder = await SpeechEncoder.load(fileSystemModel(dir), dir);
    head = buildStringHead(encoder.embeddingSize, 12, [32, 32], 0, 0, 3);
    ctc = {
      encoder,
      contextSteps: 2,
      source: 'untrained string head',
      blank: BLANK,
      other: 10,
      posteriors: (steps) =>
        tf.tidy(() => tf.softmax(head.predict(tf.tensor3d(steps, [1, steps.length / encoder.embeddingSize, encoder.embeddingSize])) as tf.Tensor).dataSync() as Float32Array),
      dispose: () => head.dispose(),
    };
  });

  /** Streams `signal` (8 kHz) through the pipeline in `chunk`-sample pieces with a reader listening. */
  function stream(signal: Float32Array, chunk: number, reader: StringReader) {
    const events: StringReaderEvent[] = [];
    const frames: Float32Array[] = [];
    const pipeline = new StreamingPipeline(
      8000,
      config,
      {},
      {
        frame: (logMel, index, gateEvents) => {
          frames.push(logMel.slice());
          events.push(...reader.push(logMel, index, gateEvents));
        },
        end: () => events.push(...reader.end()),
      },
    );
    for (let i = 0; i < signal.length; i += chunk) pipeline.push(signal.subarray(i, i + chunk));
    pipeline.flush();
    return { events, frames, silence: pipeline.silenceFrame };
  }

  it('reads a run embedding by embedding exactly as the encoder and head read the whole run at once', () => {
    // Four FSDD digits trimmed to their words, 30 ms apart: one run of about 2 s.
    const words = ['4_jackson_0', '1_jackson_1', '7_jackson_2', '2_jackson_3'].map((name) => {
      const { samples } = fsddClip(name);
      const { start, end } = wordSpan(samples, 8000, 30);
      return samples.subarray(start, end);
    });
    const gap = new Float32Array(240);
    const signal = concat(new Float32Array(4000), ...words.flatMap((w) => [w, gap]), new Float32Array(4000));
    const { events, frames, silence } = stream(signal, 777, new StringReader(ctc, silence0()));
    const runs = events.filter((e) => e.type === 'run-start' || e.type === 'run-end');
    expect(runs.map((e) => e.type)).toEqual(['run-start', 'run-end']);
    const streamed = events.flatMap((e) => (e.type === 'digit' || e.type === 'other' ? [e.type === 'digit' ? e.digit : e.word] : []));

    // The whole run at once: its lead, its frames, silence after it; one encoder pass, one head pass.
    const end = runs[1];
    if (end.type !== 'run-end') throw new Error('no run end');
    const lead = runLeadFrames(ctc);
    const held = new Float32Array((lead + end.endFrame - end.startFrame) * melBins);
    for (let f = end.startFrame - lead; f < end.endFrame; f++) held.set(f < 0 ? silence : frames[f], (f - end.startFrame + lead) * melBins);
    const posteriors = ctc.posteriors(encoder.encode(wholeRunFrames(held, lead, silence, ctc)));
    const decoder = new GreedyCtcDecoder(BLANK);
    const offline: CtcDigit[] = [];
    for (let j = 0; j < posteriors.length / 12; j++) {
      const d = decoder.push(posteriors, j * 12);
      if (d) offline.push(d);
    }
    const last = decoder.finish();
    if (last) offline.push(last);
    // The untrained head still emits tokens somewhere: the comparison is not empty.
    expect(offline.length).toBeGreaterThan(0);
    expect(posteriors.length / 12).toBe(Math.ceil((end.endFrame - end.startFrame) / 8));
    expect(streamed.map((d) => [d.digit, d.startFrame - end.startFrame, d.endFrame - end.startFrame])).toEqual(offline.map((d) => [d.digit, d.startFrame * 8, d.endFrame * 8]));
    streamed.forEach((d, i) => expect(d.confidence).toBeCloseTo(offline[i].confidence, 4));
  });

  it('emits tokens while the run is still open, not only at its end', () => {
    const signal = clipSequence(['4_jackson_0', '1_theo_0', '7_nicolas_0', '2_george_0', '9_yweweler_0', '3_lucas_0'], 0.1, 0.5);
    const { events } = stream(signal, signal.length, new StringReader(ctc, silence0()));
    const seen = events.map((e) => e.type);
    const firstEnd = seen.indexOf('run-end');
    expect(seen.slice(0, firstEnd).filter((t) => t === 'digit' || t === 'other').length).toBeGreaterThan(0);
  });

  it('rejects a hop below one step', () => {
    expect(() => new StringReader(ctc, silence0(), { ...DEFAULT_STRING_READER_CONFIG, hopSteps: 0 })).toThrow(/hopSteps must be a positive integer, got 0/);
  });

  /** The encoder frontend's silence frame (0 dB: its floor). */
  function silence0(): Float32Array {
    return new StreamingPipeline(16000, config).silenceFrame;
  }
});

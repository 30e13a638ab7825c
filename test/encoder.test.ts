/**
 * The pretrained speech encoder against its reference, onnxruntime running the npm package's own
 * ONNX files, on real recordings:
 * - the encoder's log-mel (a configuration of the project's one streaming frontend) frame by frame
 *   against `melspectrogram.onnx`, and chunk-exact;
 * - the converted float encoder against `embedding_model.onnx`, embedding by embedding;
 * - one pass over a long stretch equals reading every 76-frame window on its own;
 * - the shipped uint8 encoder against the float one, and the decisions it changes on the FSDD test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../src/audio/wav';
import { DEFAULT_MODEL_DIR } from '../src/cli/paths';
import { loadModels } from '../src/cli/models';
import { ENCODER_FRONTEND_CONFIG } from '../src/frontend/config';
import { StreamingLogMel } from '../src/frontend/log-mel';
import { resample } from '../src/frontend/resampler';
import { initWasmBackend } from '../src/model/backend';
import { embeddingSteps, SpeechEncoder } from '../src/model/encoder';
import { sharedEncoders } from '../src/model/head-model';
import type { RecognizerModels } from '../src/pipeline/recognizer';
import { ENCODER_FILE, encoderPackageFile, loadOnnxEncoder, MELSPECTROGRAM_FILE } from '../training/encoder/onnx';
import { atThreshold, detectSet } from '../src/cli/score';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../src/pipeline/recognizer';
import { fsddTestSet } from '../training/eval/suite';
import { FSDD_DIR } from './helpers/fsdd';

const SC_DIR = join(import.meta.dirname, '../../shared/datasets/speech-commands');
const melBins = ENCODER_FRONTEND_CONFIG.melBins;

/** A signal with 0.3 s of digital silence on each side (16 kHz). */
const padded = (samples: Float32Array) => {
  const out = new Float32Array(samples.length + 9600);
  out.set(samples, 4800);
  return out;
};

/** Real recordings at 16 kHz, 0.3 s of silence on each side: Speech Commands words (16 kHz) and FSDD digits (8 kHz, resampled). */
function realClips(): { name: string; samples: Float32Array }[] {
  const sc = ['seven', 'two', 'eight', 'house', 'marvin'].map((word) => {
    const name = readdirSync(join(SC_DIR, word)).sort()[2];
    return { name: `${word}/${name}`, samples: decodeWav(new Uint8Array(readFileSync(join(SC_DIR, word, name))), name).samples };
  });
  const fsdd = ['3_theo_4', '6_yweweler_2', '9_george_0'].map((name) => {
    const path = join(FSDD_DIR, `${name}.wav`);
    return { name, samples: resample(decodeWav(new Uint8Array(readFileSync(path)), path).samples, 8000, 16000) };
  });
  return [...sc, ...fsdd].map((c) => ({ ...c, samples: padded(c.samples) }));
}

/** The frontend's frames of a signal, `[frames, 32]`. */
function logMel(samples: Float32Array): { frames: number; values: Float32Array } {
  const frames = new StreamingLogMel(ENCODER_FRONTEND_CONFIG).push(samples);
  const values = new Float32Array(frames.length * melBins);
  frames.forEach((f, i) => values.set(f.logMel, i * melBins));
  return { frames: frames.length, values };
}

let melSession: ort.InferenceSession;
let embeddingSession: ort.InferenceSession;
let float: SpeechEncoder;
let shipped: SpeechEncoder;
const clips = realClips();

beforeAll(async () => {
  await initWasmBackend();
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  melSession = await ort.InferenceSession.create(encoderPackageFile(MELSPECTROGRAM_FILE));
  embeddingSession = await ort.InferenceSession.create(encoderPackageFile(ENCODER_FILE));
  const { model, metadata } = loadOnnxEncoder();
  float = SpeechEncoder.fromModel(model, 'float conversion', { digitListenerEncoder: metadata });
  const encoderDir = join(DEFAULT_MODEL_DIR, '../encoder');
  shipped = await SpeechEncoder.load((await import('../src/model/node-io')).fileSystemModel(encoderDir), encoderDir);
});

describe("the encoder's log-mel: ENCODER_FRONTEND_CONFIG of the streaming frontend", () => {
  it('equals melspectrogram.onnx frame by frame on real recordings (within 0.001 dB above both floors)', async () => {
    let compared = 0;
    let worst = 0;
    for (const clip of clips) {
      // The ONNX reads 16-bit integer values; its 512-sample frame centres the 400-sample window,
      // so its frame i is ours of the signal from sample 56.
      const input = Float32Array.from(clip.samples, (v) => v * 32768);
      const out = await melSession.run({ input: new ort.Tensor('float32', input, [1, input.length]) });
      const reference = out.output.data as Float32Array;
      const ours = logMel(clip.samples.subarray(56));
      const frames = Math.min(ours.frames, reference.length / melBins);
      expect(frames).toBeGreaterThan(40);
      // The ONNX clamps each call at its maximum − 80 dB (not chunk-exact); ours floors at 0 dB.
      let max = -Infinity;
      for (const v of reference) max = Math.max(max, v);
      for (let i = 0; i < frames * melBins; i++) {
        if (reference[i] <= max - 80 + 1e-3 || ours.values[i] <= ENCODER_FRONTEND_CONFIG.logFloor) continue;
        worst = Math.max(worst, Math.abs(reference[i] - ours.values[i]));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(worst).toBeLessThan(1e-3);
  });

  it('is chunk-exact: any split of the input into chunks gives the frames of the whole', () => {
    const signal = clips[0].samples;
    const whole = logMel(signal).values;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 30 }), (sizes) => {
        const frontend = new StreamingLogMel(ENCODER_FRONTEND_CONFIG);
        const frames: Float32Array[] = [];
        let at = 0;
        for (let k = 0; at < signal.length; k++) {
          const size = sizes[k % sizes.length];
          for (const f of frontend.push(signal.subarray(at, at + size))) frames.push(f.logMel);
          at += size;
        }
        expect(frames.length * melBins).toBe(whole.length);
        frames.forEach((f, i) => expect(f).toEqual(whole.subarray(i * melBins, (i + 1) * melBins)));
      }),
      { numRuns: 25 },
    );
  });
});

describe('the converted encoder', () => {
  it('gives embedding_model.onnx’s embeddings on real recordings (float weights: within 1e-3 of values up to ~100)', async () => {
    let worst = 0;
    let largest = 0;
    for (const clip of clips) {
      const { frames, values } = logMel(clip.samples);
      const ours = float.encode(values);
      for (let s = 0; s < embeddingSteps(frames, float.metadata); s++) {
        const window = values.slice(s * 8 * melBins, (s * 8 + 76) * melBins).map((v) => v / 10 + 2);
        const out = await embeddingSession.run({ [embeddingSession.inputNames[0]]: new ort.Tensor('float32', window, [1, 76, melBins, 1]) });
        const reference = out[embeddingSession.outputNames[0]].data as Float32Array;
        for (let k = 0; k < 96; k++) {
          worst = Math.max(worst, Math.abs(reference[k] - ours[s * 96 + k]));
          largest = Math.max(largest, Math.abs(reference[k]));
        }
      }
    }
    expect(largest).toBeGreaterThan(10);
    expect(worst).toBeLessThan(1e-3);
  });

  it('reads a long stretch in one pass exactly as it reads each 76-frame window alone', () => {
    const { frames, values } = logMel(clips[1].samples);
    const whole = float.encode(values);
    const steps = embeddingSteps(frames, float.metadata);
    expect(whole.length).toBe(steps * 96);
    for (const s of [0, 1, steps - 1]) {
      const alone = float.encode(values.slice(s * 8 * melBins, (s * 8 + 76) * melBins));
      for (let k = 0; k < 96; k++) expect(whole[s * 96 + k]).toBeCloseTo(alone[k], 3);
    }
  });

  it('names a stretch shorter than one embedding', () => {
    expect(() => float.encode(new Float32Array(75 * melBins))).toThrow(/at least 76 frames of 32 values, got 2400 values/);
  });

  it('ships uint8 weights whose embeddings stay within 6 % (relative L2) of the float ones on real recordings', () => {
    const errors: number[] = [];
    for (const clip of clips) {
      const { values } = logMel(clip.samples);
      const a = float.encode(values);
      const b = shipped.encode(values);
      for (let s = 0; s < a.length / 96; s++) {
        let d = 0;
        let n = 0;
        for (let k = 0; k < 96; k++) {
          d += (a[s * 96 + k] - b[s * 96 + k]) ** 2;
          n += a[s * 96 + k] ** 2;
        }
        errors.push(Math.sqrt(d / n));
      }
    }
    const mean = errors.reduce((x, y) => x + y, 0) / errors.length;
    expect(mean).toBeLessThan(0.04);
    expect(Math.max(...errors)).toBeLessThan(0.06);
    expect(tf.memory().numTensors).toBeGreaterThan(0); // the encoders hold their weights
  });
});

describe('the shipped uint8 encoder in the recognizer', () => {
  it('changes no decision on the FSDD test against the float encoder under the same heads', async () => {
    const uint8 = await loadModels(DEFAULT_MODEL_DIR);
    const { model, metadata } = loadOnnxEncoder();
    const standIn = SpeechEncoder.fromModel(model, 'float conversion', { digitListenerEncoder: metadata }, uint8.word.encoder.fingerprint);
    const floatModels: RecognizerModels = await loadModels(
      DEFAULT_MODEL_DIR,
      sharedEncoders(
        (path) => path,
        () => Promise.resolve(standIn),
      ),
    );
    const set = fsddTestSet(join(FSDD_DIR));
    // Decisions at the product's threshold: the digits a user would see.
    const [a, b] = [atThreshold(await detectSet(set, uint8), DEFAULT_CONFIDENCE_THRESHOLD), atThreshold(await detectSet(set, floatModels), DEFAULT_CONFIDENCE_THRESHOLD)];
    const decision = (d: (typeof a)[number]) => (d ? d.map((x) => x.digit).join('') : 'unreadable');
    const changed = set.files.filter((_, i) => decision(a[i]) !== decision(b[i]));
    expect(changed.map((f) => f.path)).toEqual([]);
    for (const m of [uint8, floatModels]) {
      m.word.dispose();
      m.strings?.dispose();
    }
    uint8.word.encoder.dispose();
    standIn.dispose();
  }, 300_000);
});

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR } from '../src/cli/paths';
import { initWasmBackend } from '../src/model/backend';
import { DigitClassifier } from '../src/model/classifier';
import { DIGIT_LABELS, OTHER_LABEL } from '../src/model/labels';
import { measureInference } from '../src/model/inference-timing';
import { ModelLoadError } from '../src/model/metadata';
import { StringModel } from '../src/model/string-model';
import { fileSystemModel } from '../src/model/node-io';
import { pipelineConfigFor, StreamingRecognizer } from '../src/pipeline/recognizer';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { fileSystemEncoders } from '../src/cli/models';
import { keepEncoderFloat } from '../training/encoder/onnx';
import { quantizeUint8 } from '../training/quantize';
import { fsddClip } from './helpers/fsdd';
import { type ModelJson, readModelJson } from './helpers/model-json';

let dir: string;
beforeAll(async () => {
  await initWasmBackend();
  dir = mkdtempSync(join(tmpdir(), 'digit-model-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The shipped encoder's folder. */
const ENCODER_DIR = join(DEFAULT_MODEL_DIR, '../encoder');

/**
 * Copies the shipped word head into a temp folder (its encoder path pointed back at the shipped
 * encoder), optionally editing model.json.
 */
function copyModel(name: string, edit?: (json: ModelJson) => void): string {
  const target = join(dir, name);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target);
  copyFileSync(join(DEFAULT_MODEL_DIR, 'weights.bin'), join(target, 'weights.bin'));
  const json = readModelJson(join(DEFAULT_MODEL_DIR, 'model.json'));
  json.userDefinedMetadata.digitListener.encoder.path = join(ENCODER_DIR, 'model.json');
  edit?.(json);
  writeFileSync(join(target, 'model.json'), JSON.stringify(json));
  return target;
}

/** Loads a word head from a folder with encoders from the file system. */
const load = (path: string) => DigitClassifier.load(fileSystemModel(path), fileSystemEncoders(), path);

describe('uint8 weight quantization', () => {
  it('keeps zero exact and every weight within half a step', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? 0 : Math.sin(i) * 0.8 - 0.1));
    const q = quantizeUint8(values);
    const zero = Array.from(values).indexOf(0);
    expect(q.data[zero] * q.scale + q.min).toBe(0);
    for (let i = 0; i < values.length; i++) expect(Math.abs(q.data[i] * q.scale + q.min - values[i])).toBeLessThanOrEqual(q.scale / 2 + 1e-7);
  });
});

describe('the shipped models', () => {
  it('are uint8-quantized in their manifests, 1 MB of weights in all (issue 21), and load with matching metadata', async () => {
    const folders = [DEFAULT_MODEL_DIR, join(DEFAULT_MODEL_DIR, 'strings'), ENCODER_DIR];
    for (const folder of folders) {
      const weights = readModelJson(join(folder, 'model.json')).weightsManifest[0].weights;
      expect(weights.length).toBeGreaterThan(0);
      // The encoder keeps its first convolution and its biases float32 (models/encoder/MODEL_CARD.md).
      expect(weights.filter((w) => w.quantization?.dtype !== 'uint8').map((w) => w.name)).toEqual(
        folder === ENCODER_DIR ? weights.filter((w) => keepEncoderFloat({ name: w.name, shape: w.shape })).map((w) => w.name) : [],
      );
    }
    const bytes = [...folders.map((f) => join(f, 'weights.bin')), join(DEFAULT_MODEL_DIR, 'anchors.json')].reduce((n, f) => n + statSync(f).size, 0);
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    const classifier = await load(DEFAULT_MODEL_DIR);
    expect(classifier.metadata.labels).toEqual([...DIGIT_LABELS, OTHER_LABEL]);
    expect(tf.getBackend()).toBe('wasm');
    classifier.dispose();
    classifier.encoder.dispose();
  });

  it('recognizes FSDD test clips through the streaming pipeline', async () => {
    const classifier = await load(DEFAULT_MODEL_DIR);
    // Every digit by three of the speakers, take 3 (an official test take): one window each, a
    // softmax over the eleven classes; the model's accuracy is measured in test/model-quality.test.ts.
    let right = 0;
    const names = ['jackson', 'theo', 'yweweler'].flatMap((speaker) => Array.from({ length: 10 }, (_, d) => `${d}_${speaker}_3`));
    for (const name of names) {
      const { samples, sampleRate } = fsddClip(name);
      const pipeline = new StreamingPipeline(sampleRate, pipelineConfigFor({ word: classifier, strings: null }));
      const windows = [...pipeline.push(samples).windows, ...pipeline.flush().windows];
      expect(windows, name).toHaveLength(1);
      const p = classifier.predict(windows[0].features);
      if (p.classIndex === Number(name[0])) right++;
      expect(p.probabilities).toHaveLength(11);
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    expect(right).toBeGreaterThanOrEqual(28);
    classifier.dispose();
    classifier.encoder.dispose();
  });
});

describe('StreamingRecognizer confidence threshold', () => {
  it('reports an utterance below the threshold as rejected, not as a digit', async () => {
    const classifier = await load(DEFAULT_MODEL_DIR);
    const { samples, sampleRate } = fsddClip('4_jackson_1');
    const models = { word: classifier, strings: null };
    const strict = new StreamingRecognizer(models, sampleRate, { confidenceThreshold: 1 });
    const a = [strict.push(samples), strict.flush()];
    expect(a.flatMap((s) => s.detections)).toEqual([]);
    const rejected = a.flatMap((s) => s.rejected);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].confidence).toBeLessThan(1);
    const open = new StreamingRecognizer(models, sampleRate, { confidenceThreshold: 0 });
    const b = [open.push(samples), open.flush()];
    expect(b.flatMap((s) => s.detections).map((d) => d.digit)).toEqual([4]);
    expect(() => new StreamingRecognizer(models, sampleRate, { confidenceThreshold: 1.5 })).toThrow(RangeError);
    classifier.dispose();
    classifier.encoder.dispose();
  });
});

describe('broken model files give a clear ModelLoadError naming the file', () => {
  it('missing model.json', async () => {
    const path = join(dir, 'nowhere');
    await expect(load(path)).rejects.toThrow(/model could not be loaded from .*nowhere.*ENOENT/);
  });

  it('truncated weights', async () => {
    const path = copyModel('truncated');
    truncateSync(join(path, 'weights.bin'), 1000);
    const error = await load(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/truncated/);
    expect((error as Error).message).toContain(path);
  });

  it('not JSON', async () => {
    const path = copyModel('garbage');
    writeFileSync(join(path, 'model.json'), 'PK\u0003\u0004 not json');
    await expect(load(path)).rejects.toThrow(ModelLoadError);
  });

  it('an input that is not its window of embeddings', async () => {
    const path = copyModel('shape', (json) => {
      json.modelTopology.config.layers[0].config.batch_input_shape = [null, 7, 96];
    });
    await expect(load(path)).rejects.toThrow(/input shape \[, 7, 96\] does not match its metadata's \[, 12, 96\] \(window of 164 frames\)/);
  });

  it('a head trained on another encoder, naming both fingerprints', async () => {
    const path = copyModel('other-encoder', (json) => {
      json.userDefinedMetadata.digitListener.encoder.fingerprint = '0badcafe';
    });
    await expect(load(path)).rejects.toThrow(/trained on encoder 0badcafe, but .*encoder.*is encoder [0-9a-f]{8}: train the head again/);
  });

  it('an encoder that is not there, naming its path', async () => {
    const path = copyModel('no-encoder', (json) => {
      json.userDefinedMetadata.digitListener.encoder.path = join(dir, 'missing/model.json');
    });
    await expect(load(path)).rejects.toThrow(/model could not be loaded from .*missing\/model\.json/);
  });

  it('a log-mel CNN of format version 1, naming what this version reads', async () => {
    const path = copyModel('v1', (json) => {
      const meta = json.userDefinedMetadata.digitListener as unknown as Record<string, unknown>;
      meta.version = 1;
      delete meta.encoder;
    });
    await expect(load(path)).rejects.toThrow(/format version 1 without a speech encoder: this version reads heads on the speech encoder \(version 2\)/);
  });

  it('the pipeline follows the head metadata; a string head of another frontend is refused by name', async () => {
    const path = copyModel('postroll', (json) => {
      json.userDefinedMetadata.digitListener.window.postRollFrames = 8;
    });
    const word = await load(path);
    const recognizer = new StreamingRecognizer({ word, strings: null }, 16000);
    expect(recognizer.pipeline.config.modelFrontend).toEqual(word.encoder.metadata.frontend);
    expect(recognizer.pipeline.config.window.postRollFrames).toBe(8);
    const stringsDir = join(DEFAULT_MODEL_DIR, 'strings');
    const strings = await StringModel.load(fileSystemModel(stringsDir), fileSystemEncoders(), stringsDir);
    try {
      (strings.metadata as { frontend: { fMaxHz: number } }).frontend = { ...strings.metadata.frontend, fMaxHz: 4000 };
      expect(() => new StreamingRecognizer({ word, strings }, 16000)).toThrow(
        /strings: trained for other features than the word model \(fMaxHz: word model 3800, string model 4000\)/,
      );
    } finally {
      word.dispose();
      strings.dispose();
      word.encoder.dispose();
      strings.encoder.dispose();
    }
  });

  it('no metadata', async () => {
    const path = copyModel('nometa', (json) => {
      delete (json as Partial<ModelJson>).userDefinedMetadata;
    });
    await expect(load(path)).rejects.toThrow(/no digit-listener metadata/);
  });
});

describe('inference timing (npm run bench, Node and browser worker)', () => {
  it('times the requested number of runs and rejects a bad count', async () => {
    const classifier = await load(DEFAULT_MODEL_DIR);
    const timing = measureInference(classifier, 20, 5);
    expect(timing.runs).toBe(20);
    expect(timing.medianMs).toBeGreaterThan(0);
    expect(timing.p95Ms).toBeGreaterThanOrEqual(timing.medianMs);
    expect(() => measureInference(classifier, 0)).toThrow(/runs must be a positive integer/);
    classifier.dispose();
    classifier.encoder.dispose();
  });
});

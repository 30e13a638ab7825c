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
import { StreamingRecognizer } from '../src/pipeline/recognizer';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { quantizeUint8 } from '../training/quantize';
import { fsddClip } from './helpers/fsdd';
import { type ModelJson, readModelJson } from './helpers/model-json';

let dir: string;
beforeAll(async () => {
  await initWasmBackend();
  dir = mkdtempSync(join(tmpdir(), 'digit-model-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Copies the shipped model into a temp folder, optionally editing model.json. */
function copyModel(name: string, edit?: (json: ModelJson) => void): string {
  const target = join(dir, name);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target);
  copyFileSync(join(DEFAULT_MODEL_DIR, 'weights.bin'), join(target, 'weights.bin'));
  const json = readModelJson(join(DEFAULT_MODEL_DIR, 'model.json'));
  edit?.(json);
  writeFileSync(join(target, 'model.json'), JSON.stringify(json));
  return target;
}

describe('uint8 weight quantization', () => {
  it('keeps zero exact and every weight within half a step', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? 0 : Math.sin(i) * 0.8 - 0.1));
    const q = quantizeUint8(values);
    const zero = Array.from(values).indexOf(0);
    expect(q.data[zero] * q.scale + q.min).toBe(0);
    for (let i = 0; i < values.length; i++) expect(Math.abs(q.data[i] * q.scale + q.min - values[i])).toBeLessThanOrEqual(q.scale / 2 + 1e-7);
  });
});

describe('the shipped model', () => {
  it('is uint8-quantized in its manifest, ≤ 256 KB (issue 12), and loads with matching metadata', async () => {
    const weights = readModelJson(join(DEFAULT_MODEL_DIR, 'model.json')).weightsManifest[0].weights;
    expect(weights.length).toBeGreaterThan(0);
    expect(weights.every((w) => w.quantization?.dtype === 'uint8')).toBe(true);
    expect(statSync(join(DEFAULT_MODEL_DIR, 'weights.bin')).size).toBeLessThanOrEqual(256 * 1024);
    const classifier = await DigitClassifier.load(fileSystemModel(DEFAULT_MODEL_DIR), DEFAULT_MODEL_DIR);
    expect(classifier.metadata.labels).toEqual([...DIGIT_LABELS, OTHER_LABEL]);
    expect(tf.getBackend()).toBe('wasm');
    classifier.dispose();
  });

  it('recognizes FSDD test clips through the streaming pipeline', async () => {
    const classifier = await DigitClassifier.load(fileSystemModel(DEFAULT_MODEL_DIR), DEFAULT_MODEL_DIR);
    for (const name of ['0_jackson_0', '3_george_1', '5_lucas_2', '9_yweweler_4']) {
      const { samples, sampleRate } = fsddClip(name);
      const pipeline = new StreamingPipeline(sampleRate);
      const windows = [...pipeline.push(samples).windows, ...pipeline.flush().windows];
      expect(windows).toHaveLength(1);
      const p = classifier.predict(windows[0].features);
      expect(p.classIndex).toBe(Number(name[0]));
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    classifier.dispose();
  });
});

describe('StreamingRecognizer confidence threshold', () => {
  it('reports an utterance below the threshold as rejected, not as a digit', async () => {
    const classifier = await DigitClassifier.load(fileSystemModel(DEFAULT_MODEL_DIR), DEFAULT_MODEL_DIR);
    const { samples, sampleRate } = fsddClip('4_nicolas_1');
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
  });
});

describe('broken model files give a clear ModelLoadError naming the file', () => {
  it('missing model.json', async () => {
    const path = join(dir, 'nowhere');
    await expect(DigitClassifier.load(fileSystemModel(path), path)).rejects.toThrow(/model could not be loaded from .*nowhere.*ENOENT/);
  });

  it('truncated weights', async () => {
    const path = copyModel('truncated');
    truncateSync(join(path, 'weights.bin'), 1000);
    const error = await DigitClassifier.load(fileSystemModel(path), path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/truncated/);
    expect((error as Error).message).toContain(path);
  });

  it('not JSON', async () => {
    const path = copyModel('garbage');
    writeFileSync(join(path, 'model.json'), 'PK\u0003\u0004 not json');
    await expect(DigitClassifier.load(fileSystemModel(path), path)).rejects.toThrow(ModelLoadError);
  });

  it('wrong input shape', async () => {
    const path = copyModel('shape', (json) => {
      json.modelTopology.config.layers[0].config.batch_input_shape = [null, 49, 40, 1];
    });
    await expect(DigitClassifier.load(fileSystemModel(path), path)).rejects.toThrow(/input shape \[.*49.*\] does not match/);
  });

  it('metadata that does not describe its input', async () => {
    const path = copyModel('frontend', (json) => {
      json.userDefinedMetadata.digitListener.frontend.melBins = 64;
    });
    await expect(DigitClassifier.load(fileSystemModel(path), path)).rejects.toThrow(/input shape \[.*40, 1\] does not match its metadata's \[, 98, 64, 1\]/);
  });

  it('the pipeline follows the model metadata; a string model of another frontend is refused by name', async () => {
    const path = copyModel('fmax', (json) => {
      json.userDefinedMetadata.digitListener.frontend.fMaxHz = 3800;
      json.userDefinedMetadata.digitListener.window.postRollFrames = 8;
    });
    const word = await DigitClassifier.load(fileSystemModel(path), path);
    const recognizer = new StreamingRecognizer({ word, strings: null }, 16000);
    expect(recognizer.pipeline.config.frontend.fMaxHz).toBe(3800);
    expect(recognizer.pipeline.config.window.postRollFrames).toBe(8);
    const stringsDir = join(DEFAULT_MODEL_DIR, 'strings');
    const strings = await StringModel.load(fileSystemModel(stringsDir), stringsDir);
    try {
      expect(() => new StreamingRecognizer({ word, strings }, 16000)).toThrow(
        /strings: trained for other features than the word model \(fMaxHz: word model 3800, string model 4000\)/,
      );
    } finally {
      word.dispose();
      strings.dispose();
    }
  });

  it('no metadata', async () => {
    const path = copyModel('nometa', (json) => {
      delete (json as Partial<ModelJson>).userDefinedMetadata;
    });
    await expect(DigitClassifier.load(fileSystemModel(path), path)).rejects.toThrow(/no digit-listener metadata/);
  });
});

describe('inference timing (npm run bench, Node and browser worker)', () => {
  it('times the requested number of runs and rejects a bad count', async () => {
    const classifier = await DigitClassifier.load(fileSystemModel(DEFAULT_MODEL_DIR), DEFAULT_MODEL_DIR);
    const timing = measureInference(classifier, 20, 5);
    expect(timing.runs).toBe(20);
    expect(timing.medianMs).toBeGreaterThan(0);
    expect(timing.p95Ms).toBeGreaterThanOrEqual(timing.medianMs);
    expect(() => measureInference(classifier, 0)).toThrow(/runs must be a positive integer/);
    classifier.dispose();
  });
});

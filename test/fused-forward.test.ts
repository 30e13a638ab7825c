import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR } from '../src/cli/paths';
import { initWasmBackend } from '../src/model/backend';
import { compileFusedForward } from '../src/model/fused-forward';
import { normalizeWindow } from '../src/model/input';
import { fileSystemModel } from '../src/model/node-io';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { buildModel } from '../training/model';
import { fsddClip } from './helpers/fsdd';

/** Normalised model windows `[n, 98, 40, 1]` of real FSDD test clips, through the product pipeline. */
function fsddWindows(): tf.Tensor4D {
  const windows: Float32Array[] = [];
  for (const name of ['0_george_0', '3_jackson_1', '5_lucas_2', '7_nicolas_3', '8_theo_4', '9_yweweler_0']) {
    const clip = fsddClip(name);
    const pipeline = new StreamingPipeline(clip.sampleRate);
    const found = [...pipeline.push(clip.samples).windows, ...pipeline.flush().windows];
    expect(found.length).toBeGreaterThan(0);
    windows.push(normalizeWindow(found[0].features));
  }
  const data = new Float32Array(windows.length * 98 * 40);
  windows.forEach((w, i) => data.set(w, i * w.length));
  return tf.tensor4d(data, [windows.length, 98, 40, 1]);
}

function compare(model: tf.LayersModel, x: tf.Tensor4D): { maxDiff: number; sameArgmax: boolean } {
  const forward = compileFusedForward(model);
  return tf.tidy(() => {
    const reference = model.predict(x) as tf.Tensor2D;
    const fused = forward(x) as tf.Tensor2D;
    expect(fused.shape).toEqual(reference.shape);
    return {
      maxDiff: tf.max(tf.abs(tf.sub(reference, fused))).dataSync()[0],
      sameArgmax: tf.all(tf.equal(tf.argMax(reference, 1), tf.argMax(fused, 1))).dataSync()[0] === 1,
    };
  });
}

describe('fused forward pass', () => {
  beforeAll(async () => {
    await initWasmBackend();
  });

  it('gives the shipped model’s own probabilities on FSDD windows', async () => {
    const model = await tf.loadLayersModel(fileSystemModel(DEFAULT_MODEL_DIR));
    const x = fsddWindows();
    const { maxDiff, sameArgmax } = compare(model, x);
    expect(maxDiff).toBeLessThan(1e-5);
    expect(sameArgmax).toBe(true);
    x.dispose();
    model.dispose();
  });

  it('covers depthwise-separable blocks (trainer’s separable shape, untrained weights)', () => {
    const model = buildModel(98, 40, 11, 7, { filters: [16, 32, 64], denseUnits: 64, separable: [false, true, true] });
    expect(model.layers.some((l) => l.getClassName() === 'DepthwiseConv2D')).toBe(true);
    const x = fsddWindows();
    const { maxDiff } = compare(model, x);
    expect(maxDiff).toBeLessThan(1e-5);
    x.dispose();
    model.dispose();
  });

  it('names the layer it cannot run, so the classifier can fall back to predict()', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'tanh' }), tf.layers.batchNormalization()],
    });
    expect(() => compileFusedForward(model)).toThrow(/dense.*activation tanh/);
    model.dispose();
  });
});

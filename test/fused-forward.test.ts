/**
 * The fused forward pass (src/model/fused-forward.ts) gives what tfjs-layers' own `predict` gives,
 * for every model the product runs: the speech encoder (its LeakyReLU fused into each
 * convolution, its ZeroPadding2D folded into the first), the word head and the string head.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR } from '../src/cli/paths';
import { ENCODER_FRONTEND_CONFIG } from '../src/frontend/config';
import { StreamingLogMel } from '../src/frontend/log-mel';
import { resample } from '../src/frontend/resampler';
import { initWasmBackend } from '../src/model/backend';
import { compileFusedForward } from '../src/model/fused-forward';
import { loadLayersModelNamed } from '../src/model/load-layers';
import { fileSystemModel } from '../src/model/node-io';
import '../src/model/encoder';
import { buildStringHead, buildWordHead } from '../training/heads/models';
import { fsddClip } from './helpers/fsdd';

/** `[1, frames, 32, 1]`: the encoder log-mel of an FSDD clip with 0.5 s of silence before it, scaled as the encoder reads it. */
function encoderInput(name: string): tf.Tensor4D {
  const { samples } = fsddClip(name);
  const signal = new Float32Array(8000 + samples.length);
  signal.set(samples, 4000);
  const frames = new StreamingLogMel(ENCODER_FRONTEND_CONFIG).push(resample(signal, 8000, 16000));
  const values = new Float32Array(frames.length * 32);
  frames.forEach((f, i) =>
    values.set(
      f.logMel.map((v) => v / 10 + 2),
      i * 32,
    ),
  );
  return tf.tensor4d(values, [1, frames.length, 32, 1]);
}

function maxDiff(model: tf.LayersModel, x: tf.Tensor): { diff: number; scale: number } {
  const forward = compileFusedForward(model);
  return tf.tidy(() => {
    const a = forward(x);
    const b = model.predict(x) as tf.Tensor;
    expect(a.shape).toEqual(b.shape);
    return { diff: tf.max(tf.abs(tf.sub(a, b))).dataSync()[0], scale: tf.max(tf.abs(b)).dataSync()[0] };
  });
}

describe('fused forward pass', () => {
  beforeAll(async () => {
    await initWasmBackend();
  });

  it('gives the shipped encoder’s own embeddings on real audio (LeakyReLU fused, padding folded)', async () => {
    const dir = join(DEFAULT_MODEL_DIR, '../encoder');
    const model = await loadLayersModelNamed(fileSystemModel(dir), dir);
    expect(model.layers.map((l) => l.getClassName())).toContain('ZeroPadding2D');
    expect(model.layers.map((l) => l.getClassName())).toContain('ClampedLeakyReLU');
    const x = encoderInput('8_theo_3');
    const { diff, scale } = maxDiff(model, x);
    expect(scale).toBeGreaterThan(5);
    expect(diff).toBeLessThan(1e-4 * scale);
    x.dispose();
    model.dispose();
  });

  it('gives the word head’s and the string head’s own outputs (untrained weights)', () => {
    const word = buildWordHead(12, 96, 11, [64, 32], 0.5, 0.2, 5);
    const strings = buildStringHead(96, 12, [32, 32, 32], 0.3, 0.1, 6);
    const x = tf.randomNormal([3, 12, 96], 0, 1, 'float32', 1);
    expect(maxDiff(word, x).diff).toBeLessThan(1e-5);
    const steps = tf.randomNormal([1, 20, 96], 0, 1, 'float32', 2);
    const out = maxDiff(strings, steps);
    expect(out.diff).toBeLessThan(1e-4);
    tf.dispose([x, steps]);
    word.dispose();
    strings.dispose();
  });

  it('names the layer it cannot run', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'tanh' }), tf.layers.batchNormalization()],
    });
    expect(() => compileFusedForward(model)).toThrow(/dense.*activation tanh/);
    model.dispose();
  });
});

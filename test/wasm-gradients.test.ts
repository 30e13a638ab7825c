import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  registerWasmGradientKernels,
  conv2dBackpropFilterNHWC,
  conv2dBackpropInputNHWC,
  depthwiseConv2dBackpropFilterNHWC,
  depthwiseConv2dBackpropInputNHWC,
} from '../training/wasm-gradients.js';
import { Random } from '../src/audio/random';

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];

/** Deterministic uniform PRNG in [0, 1) (the project's seeded Random). */
function rng(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

function randomData(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r() * 2 - 1;
  return out;
}

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`could not set backend ${name}`);
  }
  await tf.ready();
  expect(tf.getBackend()).toBe(name);
}

/** max |a - b| / max(1, max |b|): absolute error for small values, relative for large ones. */
function relMaxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let mag = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    mag = Math.max(mag, Math.abs(b[i]));
  }
  return diff / mag;
}

type ConvFn = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;

/**
 * Gradients of sum(conv(x, w) * dy) w.r.t. x and w on `backend` (dy fixed random, so every
 * output position gets a distinct weight). Checks that nothing leaks on the way.
 */
async function gradsOn(backend: 'wasm' | 'cpu', conv: ConvFn, xShape: Shape4, wShape: Shape4): Promise<{ dx: Float32Array; dw: Float32Array }> {
  await useBackend(backend);
  const x = tf.tensor4d(randomData(size(xShape), 1), xShape);
  const w = tf.tensor4d(randomData(size(wShape), 2), wShape);
  const yShape = tf.tidy(() => conv(x, w).shape);
  const dy = tf.tensor4d(randomData(size(yShape), 3), yShape);
  const before = tf.memory().numTensors;
  const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a as tf.Tensor4D, b as tf.Tensor4D))([x, w], dy);
  expect(gx.shape).toEqual(xShape);
  expect(gw.shape).toEqual(wShape);
  const dx = gx.dataSync() as Float32Array;
  const dw = gw.dataSync() as Float32Array;
  tf.dispose([gx, gw]);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, w, dy]);
  return { dx: Float32Array.from(dx), dw: Float32Array.from(dw) };
}

async function expectWasmMatchesCpu(conv: ConvFn, xShape: Shape4, wShape: Shape4): Promise<void> {
  const cpu = await gradsOn('cpu', conv, xShape, wShape);
  const wasm = await gradsOn('wasm', conv, xShape, wShape);
  expect(relMaxDiff(wasm.dx, cpu.dx)).toBeLessThan(1e-3);
  expect(relMaxDiff(wasm.dw, cpu.dw)).toBeLessThan(1e-3);
  // Sanity: the gradients are not trivially zero.
  expect(Math.max(...cpu.dw.map(Math.abs))).toBeGreaterThan(1e-3);
}

let previousBackend = '';
let previousIsTest = false;

beforeAll(async () => {
  previousBackend = tf.getBackend();
  // IS_TEST makes the engine check every kernel for leaked backend data ids.
  previousIsTest = tf.env().getBool('IS_TEST');
  tf.env().set('IS_TEST', true);
  registerWasmGradientKernels();
  registerWasmGradientKernels(); // idempotent
  await useBackend('wasm');
});

afterAll(async () => {
  tf.env().set('IS_TEST', previousIsTest);
  if (previousBackend) await tf.setBackend(previousBackend);
});

describe('registerWasmGradientKernels', () => {
  it('registers the missing gradient kernels on wasm, once', () => {
    for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']) {
      expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
    }
    const before = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    registerWasmGradientKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(before);
  });
});

const convCases: Array<{ name: string; x: Shape4; w: Shape4; strides: number | [number, number]; pad: Pad }> = [
  { name: '3x3 stride 1 same', x: [2, 7, 6, 3], w: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '3x3 stride 2 same', x: [2, 9, 8, 2], w: [3, 3, 2, 5], strides: 2, pad: 'same' },
  { name: '3x3 stride 2 valid (unused last row)', x: [2, 9, 8, 2], w: [3, 3, 2, 3], strides: 2, pad: 'valid' },
  { name: '5x3 stride 1 valid', x: [1, 8, 8, 3], w: [5, 3, 3, 2], strides: 1, pad: 'valid' },
  { name: '4x4 stride 2 same (asymmetric pad)', x: [2, 8, 7, 2], w: [4, 4, 2, 3], strides: 2, pad: 'same' },
  { name: '2x2 stride 1 same (asymmetric pad)', x: [2, 5, 6, 3], w: [2, 2, 3, 2], strides: 1, pad: 'same' },
  { name: '1x1 stride 2 valid', x: [2, 5, 5, 3], w: [1, 1, 3, 2], strides: 2, pad: 'valid' },
  { name: '3x3 strides [2,1] same', x: [2, 9, 6, 2], w: [3, 3, 2, 3], strides: [2, 1], pad: 'same' },
  {
    name: '3x3 stride 1 explicit pad',
    x: [2, 6, 7, 2],
    w: [3, 3, 2, 3],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  {
    name: '3x3 stride 2 explicit pad',
    x: [2, 7, 7, 2],
    w: [3, 3, 2, 3],
    strides: 2,
    pad: [
      [0, 0],
      [2, 0],
      [1, 1],
      [0, 0],
    ],
  },
  { name: 'CNN layer 2 shape (batch 4)', x: [4, 49, 20, 16], w: [3, 3, 16, 32], strides: 1, pad: 'same' },
];

describe('conv2d gradients: wasm matches cpu', () => {
  for (const c of convCases) {
    it(
      c.name,
      async () => {
        await expectWasmMatchesCpu((x, w) => tf.conv2d(x, w, c.strides, c.pad), c.x, c.w);
      },
      30_000,
    );
  }
});

const depthwiseCases: Array<{ name: string; x: Shape4; w: Shape4; strides: number | [number, number]; pad: Pad }> = [
  { name: '3x3 m1 stride 1 same', x: [2, 7, 6, 3], w: [3, 3, 3, 1], strides: 1, pad: 'same' },
  { name: '3x3 m2 stride 2 same', x: [2, 9, 8, 3], w: [3, 3, 3, 2], strides: 2, pad: 'same' },
  { name: '3x3 m2 stride 2 valid', x: [1, 9, 7, 2], w: [3, 3, 2, 2], strides: 2, pad: 'valid' },
  { name: '5x5 m1 stride 1 valid', x: [2, 9, 9, 4], w: [5, 5, 4, 1], strides: 1, pad: 'valid' },
  { name: '4x4 m3 stride 2 same', x: [2, 8, 8, 2], w: [4, 4, 2, 3], strides: 2, pad: 'same' },
  {
    name: '3x3 m1 explicit pad',
    x: [2, 6, 5, 3],
    w: [3, 3, 3, 1],
    strides: 1,
    pad: [
      [0, 0],
      [0, 2],
      [1, 0],
      [0, 0],
    ],
  },
];

describe('depthwiseConv2d gradients: wasm matches cpu', () => {
  for (const c of depthwiseCases) {
    it(
      c.name,
      async () => {
        await expectWasmMatchesCpu((x, w) => tf.depthwiseConv2d(x, w, c.strides, c.pad), c.x, c.w);
      },
      30_000,
    );
  }
});

/** Filter with (d - 1) zeros inserted between taps: conv with it == conv with dilation d. */
function dilateFilter(w: tf.Tensor4D, d: number): tf.Tensor4D {
  const [kh, kw, a, b] = w.shape;
  const spread = tf.reshape(w, [kh, 1, kw, 1, a, b]);
  const padded = tf.pad(spread, [
    [0, 0],
    [0, d - 1],
    [0, 0],
    [0, d - 1],
    [0, 0],
    [0, 0],
  ]);
  const big = tf.reshape<tf.Rank.R4>(padded, [kh * d, kw * d, a, b]);
  return tf.slice(big, [0, 0, 0, 0], [(kh - 1) * d + 1, (kw - 1) * d + 1, a, b]);
}

describe('dilated convolutions (tfjs gradients do not support dilations; checked directly)', () => {
  // Reference: cpu gradients of the equivalent undilated conv with a zero-inserted filter.
  const dil = 2;
  const xShape: Shape4 = [2, 9, 8, 3];

  it('conv2d filter and input gradients with dilations 2 match cpu', async () => {
    const wShape: Shape4 = [3, 3, 3, 4];
    for (const pad of ['same', 'valid'] as const) {
      const cpu = await gradsOn('cpu', (x, w) => tf.conv2d(x, dilateFilter(w, dil), 1, pad), xShape, wShape);
      await useBackend('wasm');
      const x = tf.tensor4d(randomData(size(xShape), 1), xShape);
      const w = tf.tensor4d(randomData(size(wShape), 2), wShape);
      const y = tf.conv2d(x, w, 1, pad, 'NHWC', dil);
      const dy = tf.tensor4d(randomData(size(y.shape), 3), y.shape);
      const before = tf.memory().numTensors;
      const dw = conv2dBackpropFilterNHWC(x, dy, wShape, 1, pad, undefined, dil);
      const dx = conv2dBackpropInputNHWC(dy, w, xShape, 1, pad, undefined, dil);
      expect(tf.memory().numTensors).toBe(before + 2);
      expect(relMaxDiff(dw.dataSync() as Float32Array, cpu.dw)).toBeLessThan(1e-3);
      expect(relMaxDiff(dx.dataSync() as Float32Array, cpu.dx)).toBeLessThan(1e-3);
      tf.dispose([x, w, y, dy, dw, dx]);
    }
  }, 30_000);

  it('depthwiseConv2d filter and input gradients with dilations 2 match cpu', async () => {
    const wShape: Shape4 = [3, 3, 3, 2];
    for (const pad of ['same', 'valid'] as const) {
      const cpu = await gradsOn('cpu', (x, w) => tf.depthwiseConv2d(x, dilateFilter(w, dil), 1, pad), xShape, wShape);
      await useBackend('wasm');
      const x = tf.tensor4d(randomData(size(xShape), 1), xShape);
      const w = tf.tensor4d(randomData(size(wShape), 2), wShape);
      const y = tf.depthwiseConv2d(x, w, 1, pad, 'NHWC', dil);
      const dy = tf.tensor4d(randomData(size(y.shape), 3), y.shape);
      const before = tf.memory().numTensors;
      const dw = depthwiseConv2dBackpropFilterNHWC(x, dy, wShape, 1, pad, dil);
      const dx = depthwiseConv2dBackpropInputNHWC(dy, w, xShape, 1, pad, dil);
      expect(tf.memory().numTensors).toBe(before + 2);
      expect(relMaxDiff(dw.dataSync() as Float32Array, cpu.dw)).toBeLessThan(1e-3);
      expect(relMaxDiff(dx.dataSync() as Float32Array, cpu.dx)).toBeLessThan(1e-3);
      tf.dispose([x, w, y, dy, dw, dx]);
    }
  }, 30_000);
});

describe('conv2dTranspose (Conv2DBackpropInput kernel) on wasm matches cpu', () => {
  for (const strides of [1, 2] as const) {
    it(`stride ${strides}`, async () => {
      const dyShape: Shape4 = [2, 5, 4, 6];
      const wShape: Shape4 = [3, 3, 3, 6];
      const outShape: Shape4 = [2, 5 * strides, 4 * strides, 3];
      const run = async (b: 'wasm' | 'cpu'): Promise<Float32Array> => {
        await useBackend(b);
        const dy = tf.tensor4d(randomData(size(dyShape), 4), dyShape);
        const w = tf.tensor4d(randomData(size(wShape), 5), wShape);
        const before = tf.memory().numTensors;
        const out = tf.conv2dTranspose(dy, w, outShape, strides, 'same');
        expect(tf.memory().numTensors).toBe(before + 1);
        const data = Float32Array.from(out.dataSync());
        tf.dispose([dy, w, out]);
        return data;
      };
      const cpu = await run('cpu');
      const wasm = await run('wasm');
      expect(relMaxDiff(wasm, cpu)).toBeLessThan(1e-3);
    }, 30_000);
  }
});

/**
 * Synthetic "spectrogram" task: [20, 16, 1] noise images with one horizontal stripe (a bright
 * row) either in the low band (rows 0-9, class 0) or the high band (rows 10-19, class 1).
 */
function stripeData(n: number, seed: number): { xs: tf.Tensor4D; ys: tf.Tensor2D; labels: number[] } {
  const r = rng(seed);
  const h = 20;
  const w = 16;
  const x = new Float32Array(n * h * w);
  const y = new Float32Array(n * 2);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = r() < 0.5 ? 0 : 1;
    labels.push(label);
    y[i * 2 + label] = 1;
    const row = label * 10 + Math.floor(r() * 10);
    for (let j = 0; j < h * w; j++) x[i * h * w + j] = (r() - 0.5) * 0.6;
    for (let c = 0; c < w; c++) x[i * h * w + row * w + c] += 1;
  }
  return { xs: tf.tensor4d(x, [n, h, w, 1]), ys: tf.tensor2d(y, [n, 2]), labels };
}

describe('model.fit on wasm', () => {
  it('learns the stripe-band task in 2 epochs (conv, depthwise, pooling, dropout)', async () => {
    await useBackend('wasm');
    // tfjs' own customGrad ops (fused matMul in dense layers) trip the IS_TEST per-kernel leak
    // check (false positive for saved tensors), so it is off here; the tensor count is checked below.
    tf.env().set('IS_TEST', false);
    const before = tf.memory().numTensors;
    const init = (seed: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed });
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [20, 16, 1],
          filters: 8,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: init(1),
        }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.depthwiseConv2d({
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          depthwiseInitializer: init(2),
        }),
        tf.layers.conv2d({
          filters: 8,
          kernelSize: 3,
          strides: 2,
          padding: 'valid',
          activation: 'relu',
          kernelInitializer: init(3),
        }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.1, seed: 4 }),
        tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: init(5) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

    const train = stripeData(600, 11);
    const test = stripeData(200, 12);
    const history = await model.fit(train.xs, train.ys, { epochs: 2, batchSize: 32, shuffle: true, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses).toHaveLength(2);
    expect(losses[1]).toBeLessThan(losses[0]);

    const pred = tf.tidy(() => (model.predict(test.xs) as tf.Tensor2D).argMax(1).dataSync());
    let correct = 0;
    test.labels.forEach((l, i) => {
      if (pred[i] === l) correct++;
    });
    const accuracy = correct / test.labels.length;
    expect(accuracy).toBeGreaterThan(0.9);

    tf.dispose([train.xs, train.ys, test.xs, test.ys]);
    model.optimizer.dispose(); // Adam's moment estimates (not disposed by model.dispose())
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.env().set('IS_TEST', true);
  }, 120_000);
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from '../training/wasm-gradients';
import { ctcLoss, ctcMinFrames } from '../training/ctc';
import { Random } from '../src/audio/random';

type Backend = 'wasm' | 'cpu';
/** Logits as nested arrays [batch][frame][class] (float64 for the references). */
type Logits = number[][][];

async function useBackend(name: Backend): Promise<void> {
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`could not set backend ${name}`);
  }
  await tf.ready();
  expect(tf.getBackend()).toBe(name);
}

/** Logits uniform in [-scale, scale), rounded to float32 so references see what tfjs sees. */
function randomLogits(batch: number, frames: number, classes: number, seed: number, scale = 2): Logits {
  const r = new Random(seed);
  return Array.from({ length: batch }, () => Array.from({ length: frames }, () => Array.from({ length: classes }, () => Math.fround((r.next() * 2 - 1) * scale))));
}

function softmax(u: readonly number[]): number[] {
  const m = Math.max(...u);
  const e = u.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

/** Merge repeats, then drop blanks (Graves 2006, the map B). */
function collapse(path: readonly number[], blank: number): number[] {
  const out: number[] = [];
  path.forEach((k, t) => {
    if (k !== blank && (t === 0 || path[t - 1] !== k)) out.push(k);
  });
  return out;
}

/** −ln p(label | x) by summing the probability of every path in classes^frames that collapses to it. */
function bruteForceNll(frames: readonly (readonly number[])[], label: readonly number[]): number {
  const T = frames.length;
  const C = frames[0].length;
  const y = frames.map(softmax);
  const want = label.join(',');
  let p = 0;
  const path = new Array<number>(T).fill(0);
  for (let n = 0; n < C ** T; n++) {
    let rest = n;
    let prob = 1;
    for (let t = 0; t < T; t++) {
      path[t] = rest % C;
      rest = Math.floor(rest / C);
      prob *= y[t][path[t]];
    }
    if (collapse(path, C - 1).join(',') === want) p += prob;
  }
  return -Math.log(p);
}

function bruteForceLoss(logits: Logits, labels: readonly (readonly number[])[]): number {
  return logits.reduce((sum, ex, b) => sum + bruteForceNll(ex, labels[b]), 0) / logits.length;
}

/** Central finite differences of the brute-force batch loss w.r.t. every logit (float64). */
function bruteForceGrad(logits: Logits, labels: readonly (readonly number[])[], h = 1e-5): Logits {
  // Logit (b, t, k) only moves example b's term of the mean.
  return logits.map((ex, b) =>
    ex.map((frame, t) =>
      frame.map((_, k) => {
        const at = (d: number): number => {
          const copy = ex.map((f) => [...f]);
          copy[t][k] += d;
          return bruteForceNll(copy, labels[b]) / logits.length;
        };
        return (at(h) - at(-h)) / (2 * h);
      }),
    ),
  );
}

/**
 * Float64 log-space forward–backward written with plain loops (a second, independent
 * implementation for sizes brute force cannot reach): loss and gradient w.r.t. the logits.
 */
function referenceCtc(logits: Logits, labels: readonly (readonly number[])[]): { loss: number; grad: Logits } {
  const lse = (...v: number[]): number => {
    const m = Math.max(...v);
    return m === -Infinity ? -Infinity : m + Math.log(v.reduce((a, x) => a + Math.exp(x - m), 0));
  };
  let loss = 0;
  const B = logits.length;
  const grad = logits.map((ex, b) => {
    const T = ex.length;
    const C = ex[0].length;
    const blank = C - 1;
    const label = labels[b];
    const ext = [blank, ...label.flatMap((k) => [k, blank])];
    const S = ext.length;
    const y = ex.map(softmax);
    const ly = y.map((f) => f.map(Math.log));
    const a = Array.from({ length: T }, () => new Array<number>(S).fill(-Infinity));
    const be = Array.from({ length: T }, () => new Array<number>(S).fill(-Infinity));
    const skip = (s: number): boolean => s >= 2 && ext[s] !== blank && ext[s] !== ext[s - 2];
    a[0][0] = ly[0][ext[0]]!;
    if (S > 1) a[0][1] = ly[0][ext[1]]!;
    for (let t = 1; t < T; t++) {
      for (let s = 0; s < S; s++) {
        const terms = [a[t - 1][s]];
        if (s >= 1) terms.push(a[t - 1][s - 1]);
        if (skip(s)) terms.push(a[t - 1][s - 2]);
        a[t][s] = lse(...terms) + ly[t][ext[s]];
      }
    }
    // Graves' β (including frame t's emission).
    be[T - 1][S - 1] = ly[T - 1][ext[S - 1]]!;
    if (S > 1) be[T - 1][S - 2] = ly[T - 1][ext[S - 2]]!;
    for (let t = T - 2; t >= 0; t--) {
      for (let s = 0; s < S; s++) {
        const terms = [be[t + 1][s]];
        if (s + 1 < S) terms.push(be[t + 1][s + 1]);
        if (s + 2 < S && skip(s + 2)) terms.push(be[t + 1][s + 2]);
        be[t][s] = lse(...terms) + ly[t][ext[s]];
      }
    }
    const logP = S > 1 ? lse(a[T - 1][S - 1], a[T - 1][S - 2]) : a[T - 1][S - 1];
    loss -= logP / B;
    // Eq. 16 with Graves' β: y_k − (1/(p y_k)) Σ_{s: l'_s = k} α_t(s) β_t(s).
    return y.map((frame, t) =>
      frame.map((yk, k) => {
        let acc = -Infinity;
        for (let s = 0; s < S; s++) if (ext[s] === k) acc = lse(acc, a[t][s] + be[t][s]);
        return (yk - Math.exp(acc - logP - ly[t][k])) / B;
      }),
    );
  });
  return { loss, grad };
}

/** max |a − b| / max(1, max |b|). */
function relMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let mag = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    mag = Math.max(mag, Math.abs(b[i]));
  }
  return diff / mag;
}

function lossAndGrad(logits: Logits, labels: readonly (readonly number[])[]): { loss: number; grad: Float32Array } {
  const x = tf.tensor3d(logits);
  const { value, grad } = tf.valueAndGrad((u: tf.Tensor) => ctcLoss(u as tf.Tensor3D, labels))(x);
  const out = { loss: value.dataSync()[0], grad: Float32Array.from(grad.dataSync()) };
  tf.dispose([x, value, grad]);
  return out;
}

/** Argmax per frame, merge repeats, drop blanks. */
function greedyDecode(probs: readonly (readonly number[])[]): number[] {
  const best = probs.map((f) => f.indexOf(Math.max(...f)));
  return collapse(best, probs[0].length - 1);
}

let previousBackend = '';

// Not IS_TEST (as in wasm-gradients.test.ts): its per-kernel leak check counts the tensors a
// custom gradient saves for backprop as leaks (tfjs' own fusedMatMul of a dense layer trips it
// too). Leaks are checked below with tf.memory() instead.
beforeAll(async () => {
  previousBackend = tf.getBackend();
  registerWasmGradientKernels();
  await useBackend('wasm');
});

afterAll(async () => {
  if (previousBackend) await tf.setBackend(previousBackend);
});

describe('ctcMinFrames', () => {
  it('is the length plus one per pair of equal neighbours', () => {
    expect(ctcMinFrames([])).toBe(0);
    expect(ctcMinFrames([3])).toBe(1);
    expect(ctcMinFrames([1, 2, 1])).toBe(3);
    expect(ctcMinFrames([1, 1])).toBe(3);
    expect(ctcMinFrames([5, 5, 5, 2, 2])).toBe(8);
  });
});

describe.each<Backend>(['wasm', 'cpu'])('ctcLoss on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });
  afterAll(async () => {
    await useBackend('wasm');
  });

  // Mixed label lengths in one batch: empty, one label, a repeat, distinct, a repeat needing all frames.
  const cases: { name: string; frames: number; classes: number; labels: number[][] }[] = [
    { name: 'T=5, 3 classes', frames: 5, classes: 3, labels: [[], [1], [1, 1], [0, 1], [0, 0, 1], [1, 0, 1]] },
    { name: 'T=6, 4 classes', frames: 6, classes: 4, labels: [[], [2], [1, 1], [0, 2], [2, 2, 2], [0, 1, 2, 0], [1, 0, 0, 1]] },
    { name: 'T=1, 3 classes', frames: 1, classes: 3, labels: [[], [0], [1]] },
    { name: 'T=4, 4 classes, peaked', frames: 4, classes: 4, labels: [[2, 2], [0, 1], []] },
  ];

  it.each(cases)('matches brute force over every path ($name)', ({ frames, classes, labels }) => {
    const scale = classes === 4 && frames === 4 ? 8 : 2;
    const logits = randomLogits(labels.length, frames, classes, 11 + frames * classes, scale);
    const expected = bruteForceLoss(logits, labels);
    const { loss } = lossAndGrad(logits, labels);
    expect(Number.isFinite(loss)).toBe(true);
    expect(Math.abs(loss - expected) / Math.abs(expected)).toBeLessThan(1e-4);
    // Per example too: a batch of one each.
    labels.forEach((label, b) => {
      const one = tf.tidy(() => ctcLoss(tf.tensor3d([logits[b]]), [label]).dataSync()[0]);
      const want = bruteForceNll(logits[b], label);
      expect(Math.abs(one - want) / Math.max(1e-6, Math.abs(want))).toBeLessThan(1e-4);
    });
  });

  it.each(cases)('gradient matches finite differences of brute force ($name)', ({ frames, classes, labels }) => {
    const scale = classes === 4 && frames === 4 ? 8 : 2;
    const logits = randomLogits(labels.length, frames, classes, 11 + frames * classes, scale);
    const expected = bruteForceGrad(logits, labels).flat(2);
    const { grad } = lossAndGrad(logits, labels);
    expect(relMaxDiff(grad, expected)).toBeLessThan(1e-3);
    expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(1e-3); // not a vacuous comparison
  });

  it('scales the gradient by the upstream gradient', () => {
    const labels = [[1, 1], [0]];
    const x = tf.tensor3d(randomLogits(2, 5, 3, 5));
    const [g1, g3] = [1, -3].map((c) => tf.grad((u: tf.Tensor) => tf.mul(ctcLoss(u as tf.Tensor3D, labels), c))(x));
    expect(
      relMaxDiff(
        g3.dataSync(),
        Array.from(g1.dataSync(), (v) => -3 * v),
      ),
    ).toBeLessThan(1e-6);
    tf.dispose([x, g1, g3]);
  });

  it('matches a float64 forward–backward at trainer size (T=150, 11 classes, labels of 0–11 digits)', () => {
    const r = new Random(7);
    const labels = Array.from({ length: 6 }, (_, b) => Array.from({ length: [0, 1, 4, 7, 11, 11][b] }, () => Math.floor(r.next() * 10)));
    labels[5] = [3, 3, 3, 1, 1, 0, 9, 9, 2, 2, 2]; // many repeats
    const logits = randomLogits(labels.length, 150, 11, 3, 6);
    const ref = referenceCtc(logits, labels);
    const { loss, grad } = lossAndGrad(logits, labels);
    expect(Math.abs(loss - ref.loss) / ref.loss).toBeLessThan(1e-4);
    expect(relMaxDiff(grad, ref.grad.flat(2))).toBeLessThan(1e-4);
    // Per frame the gradient sums to zero over the classes (y and the posterior both sum to 1;
    // float32 rounding of α + β − ln p ≈ −700 leaves ~1e-5 of the 1/B = 0.17 scale).
    for (let i = 0; i < grad.length; i += 11) {
      expect(Math.abs(grad.subarray(i, i + 11).reduce((a, v) => a + v, 0))).toBeLessThan(1e-4);
    }
    expect(grad.every(Number.isFinite)).toBe(true);
  });
});

describe('ctcLoss resources and errors', () => {
  it('leaks no tensors computing the loss and its gradient', () => {
    const labels = [[], [2], [1, 1], [0, 1, 2]];
    const x = tf.tensor3d(randomLogits(4, 9, 4, 21));
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad((u: tf.Tensor) => ctcLoss(u as tf.Tensor3D, labels))(x);
      expect(value.shape).toEqual([]);
      expect(grad.shape).toEqual([4, 9, 4]);
    });
    expect(tf.memory().numTensors).toBe(before);
    // Outside any tidy: only the returned tensors remain.
    const loss = ctcLoss(x, labels);
    const g = tf.grad((u: tf.Tensor) => ctcLoss(u as tf.Tensor3D, labels))(x);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([loss, g, x]);
  });

  it('throws a RangeError naming the example, label length and frames when a label does not fit', () => {
    const x = tf.zeros<tf.Rank.R3>([3, 4, 11]);
    const before = tf.memory().numTensors;
    // [5, 5, 6, 6] needs 6 frames (4 labels + 2 repeats); 4 are available.
    expect(() => ctcLoss(x, [[1, 2, 3, 4], [], [5, 5, 6, 6]])).toThrow(RangeError);
    expect(() => ctcLoss(x, [[1, 2, 3, 4], [], [5, 5, 6, 6]])).toThrow(/example 2's label of length 4 .*only 4 frames .*pad the example or use fewer digits/);
    expect(() => ctcLoss(x, [[1, 2, 3, 4, 5], [], []])).toThrow(/example 0's label of length 5/);
    expect(() => ctcLoss(x, [[1, 1], [7, 7, 7], []])).toThrow(/example 1's label of length 3 needs at least 5 frames/);
    // Labels that exactly fit do not throw; the blank (class 10) is not a label.
    expect(() =>
      tf.dispose(
        ctcLoss(x, [
          [1, 2, 3, 4],
          [1, 1],
          [3, 3],
        ]),
      ),
    ).not.toThrow();
    expect(() => ctcLoss(x, [[10], [], []])).toThrow(RangeError);
    expect(() => ctcLoss(x, [[], []])).toThrow(/2 labels for a batch of 3/);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('ctcLoss training', () => {
  it('teaches a tiny dense model to emit fixed label sequences (Adam, optimizer.minimize)', () => {
    const frames = 14;
    const features = 6;
    const classes = 4; // labels 0–2, blank 3
    const labels = [[2, 2, 0, 1], [1], []];
    const inputs = randomLogits(labels.length, frames, features, 99, 1);
    const before = tf.memory().numTensors;
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [frames, features], units: 24, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.dense({ units: classes, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const x = tf.tensor3d(inputs);
    const optimizer = tf.train.adam(0.03);
    const losses: number[] = [];
    let tensorsAfterFirstStep = 0;
    for (let step = 0; step < 300; step++) {
      const loss = optimizer.minimize(() => ctcLoss(model.apply(x) as tf.Tensor3D, labels), true)!;
      losses.push(loss.dataSync()[0]);
      loss.dispose();
      if (step === 0) tensorsAfterFirstStep = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep); // no growth per step
    expect(losses[0]).toBeGreaterThan(3);
    expect(losses.at(-1)!).toBeLessThan(0.05);
    const probs = tf.tidy(() => tf.softmax(model.apply(x) as tf.Tensor3D).arraySync());
    expect(probs.map(greedyDecode)).toEqual(labels);
    x.dispose();
    optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

/**
 * The word head's classifier — its last Dense layer, `softmax(embedding · kernel + bias)`, on the
 * head's last hidden layer over the frozen speech encoder's embeddings — and its adaptation to
 * one person's voice: it is refitted on that person's enrolled words, with an L2 pull towards the
 * shipped weights (L2-SP, Li, Grandvalet & Davoine 2018, "Explicit inductive bias for transfer
 * learning with convolutional networks") so that what the shipped head knew (other voices, the
 * `other` class, which no enrollment shows) is kept.
 *
 * Plain typed-array arithmetic, not tfjs: the head is 128 × 11 weights, a few hundred examples
 * fit in well under a second in any runtime, and no gradient kernels are needed in the browser.
 */

/** A softmax classifier head: `[inputs]` embedding → `[classes]` probabilities. */
export interface SoftmaxHead {
  readonly inputs: number;
  readonly classes: number;
  /** Row-major `[inputs, classes]`. */
  readonly kernel: Float32Array;
  /** `[classes]`. */
  readonly bias: Float32Array;
}

/** One enrolled example: an embedding (the head's input), its class index and its weight. */
export interface HeadExample {
  readonly embedding: Float32Array;
  readonly label: number;
  /** Weight in the fit's weighted mean loss (> 0). Default 1. */
  readonly weight?: number;
}

/** Options of {@link fitHead}. */
export interface FitHeadOptions {
  /** Weight of the L2-SP pull towards the initial head (per example's mean loss). Default 0.01. */
  readonly l2sp?: number;
  /** Full-batch gradient steps (Adam). Default 150. */
  readonly steps?: number;
  /** Adam's learning rate. Default 0.01. */
  readonly learningRate?: number;
  /** Classes whose weights stay the shipped ones (e.g. `other`, which enrollment never shows). */
  readonly frozenClasses?: readonly number[];
}

/**
 * Softmax probabilities of the head for one embedding.
 * @param embedding `[inputs]`
 * @returns `[classes]`, summing to 1
 * @throws RangeError if the embedding has the wrong length
 */
export function headProbabilities(head: SoftmaxHead, embedding: Float32Array): Float32Array {
  if (embedding.length !== head.inputs) throw new RangeError(`headProbabilities: expected ${head.inputs} inputs, got ${embedding.length}`);
  const out = Float32Array.from(head.bias);
  for (let i = 0; i < head.inputs; i++) {
    const x = embedding[i];
    if (x === 0) continue; // ReLU embeddings are sparse
    const row = i * head.classes;
    for (let c = 0; c < head.classes; c++) out[c] += x * head.kernel[row + c];
  }
  let max = -Infinity;
  for (const v of out) max = Math.max(max, v);
  let sum = 0;
  for (let c = 0; c < out.length; c++) sum += out[c] = Math.exp(out[c] - max);
  for (let c = 0; c < out.length; c++) out[c] /= sum;
  return out;
}

/**
 * Refits the head on `examples`: minimises the weighted mean cross-entropy plus `l2sp`/2 · ‖θ − θ₀‖²
 * (θ₀: `initial`) by full-batch Adam (Kingma & Ba 2015).
 * @returns a new head; `initial` is not changed
 * @throws RangeError for no examples, a label outside the classes, a wrong embedding length, or a
 *   weight that is not positive
 */
export function fitHead(initial: SoftmaxHead, examples: readonly HeadExample[], options: FitHeadOptions = {}): SoftmaxHead {
  const { l2sp = 0.01, steps = 150, learningRate = 0.01, frozenClasses = [] } = options;
  if (examples.length === 0) throw new RangeError('fitHead: no examples');
  for (const e of examples) {
    if (!(e.label >= 0 && e.label < initial.classes)) throw new RangeError(`fitHead: label ${e.label} is not a class (0–${initial.classes - 1})`);
    if (e.embedding.length !== initial.inputs) throw new RangeError(`fitHead: expected ${initial.inputs} inputs, got ${e.embedding.length}`);
    if (!((e.weight ?? 1) > 0)) throw new RangeError(`fitHead: example weight ${e.weight} is not positive`);
  }
  const totalWeight = examples.reduce((sum, e) => sum + (e.weight ?? 1), 0);
  const { inputs, classes } = initial;
  // θ = kernel then bias, one flat vector; Adam's moments beside it.
  const n = inputs * classes + classes;
  const theta0 = new Float32Array(n);
  theta0.set(initial.kernel);
  theta0.set(initial.bias, inputs * classes);
  const theta = Float32Array.from(theta0);
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  const grad = new Float32Array(n);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  for (let t = 1; t <= steps; t++) {
    for (let k = 0; k < n; k++) grad[k] = l2sp * (theta[k] - theta0[k]);
    const head: SoftmaxHead = { inputs, classes, kernel: theta.subarray(0, inputs * classes), bias: theta.subarray(inputs * classes) };
    for (const { embedding, label, weight = 1 } of examples) {
      const p = headProbabilities(head, embedding);
      p[label] -= 1; // ∂CE/∂logits
      const share = weight / totalWeight;
      for (let i = 0; i < inputs; i++) {
        const x = embedding[i] * share;
        if (x === 0) continue;
        const row = i * classes;
        for (let c = 0; c < classes; c++) grad[row + c] += x * p[c];
      }
      for (let c = 0; c < classes; c++) grad[inputs * classes + c] += p[c] * share;
    }
    for (const c of frozenClasses) {
      for (let i = 0; i < inputs; i++) grad[i * classes + c] = 0;
      grad[inputs * classes + c] = 0;
    }
    const lr = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    for (let k = 0; k < n; k++) {
      m[k] = beta1 * m[k] + (1 - beta1) * grad[k];
      v[k] = beta2 * v[k] + (1 - beta2) * grad[k] * grad[k];
      theta[k] -= (lr * m[k]) / (Math.sqrt(v[k]) + eps);
    }
  }
  return { inputs, classes, kernel: theta.slice(0, inputs * classes), bias: theta.slice(inputs * classes) };
}

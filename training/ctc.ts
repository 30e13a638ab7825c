/**
 * Connectionist Temporal Classification loss (Graves, Fernández, Gomez & Schmidhuber 2006,
 * "Connectionist Temporal Classification: Labelling Unsegmented Sequence Data with Recurrent
 * Neural Networks", ICML) with TensorFlow.js ops, which has no CTC loss of its own.
 *
 * The forward variables α (eqs. 6–7) and backward variables β (eqs. 10–11) are computed in log
 * space by a loop over frames, batched over examples and over the positions s of the extended
 * label l' (blanks interleaved: l' = [blank, l1, blank, l2, …, blank], |l'| = 2|l| + 1). Each
 * frame costs a handful of ops: a pad, one `gather` that lines up the 2–3 predecessors of every
 * position as [B, S, 3] (a disallowed skip points at the padded column),
 * a log-sum-exp over the last axis and the emission add. Log zero is the finite NEG (−1e30), so
 * no −∞ − −∞ = NaN can arise; sums of a few NEGs stay far inside float32.
 *
 * The gradient is the closed form of eq. 16, through `tf.customGrad`, so autodiff never walks the
 * recursion's ops.
 */
import * as tf from '@tensorflow/tfjs';

/** Log of zero probability: finite, so differences and log-sum-exps of it stay NaN-free. */
const NEG = -1e30;

/** Frames a label needs at least: its length plus one per pair of equal neighbours. */
export function ctcMinFrames(label: readonly number[]): number {
  let frames = label.length;
  for (let i = 1; i < label.length; i++) if (label[i] === label[i - 1]) frames++;
  return frames;
}

/** The batch's extended labels and the index / mask arrays of the recursions (plain JS data). */
interface CtcPlan {
  readonly batch: number;
  readonly frames: number;
  readonly classes: number;
  /** Extended-label positions of the longest label, 2·maxLabelLength + 1. */
  readonly positions: number;
  /** One-hot of l' as [B, S, C] (rows past an example's own |l'| are zero). */
  readonly oneHot: Float32Array;
  /** The same transposed, [B, C, S], to gather emissions by a matMul. */
  readonly oneHotT: Float32Array;
  /** [B, 1, S]: 0 on an example's own positions, NEG on the padding past them. */
  readonly positionMask: Float32Array;
  /** [B, S]: 0 where a path may start (s = 0, 1; eq. 6), NEG elsewhere. */
  readonly startMask: Float32Array;
  /** [B, S]: 0 where a path may end (s = |l'| − 1, |l'| − 2; eq. 8 / eq. 10), NEG elsewhere. */
  readonly endMask: Float32Array;
  /**
   * [B, S, 3]: for position s of example b, the entries of α_{t−1} left-padded by one NEG column
   * and flattened ([B·(S + 1)], entry b·(S + 1) + column) that feed it: columns s (stay),
   * s − 1 (advance), s − 2 (skip, only if allowed; else the NEG column 0). Eq. 7.
   */
  readonly alphaIndex: Int32Array;
  /**
   * [B, S, 3]: for position s of example b, the entries of β_{t+1}·y_{t+1} right-padded by one
   * NEG column (column S) and flattened it draws from: columns s, s + 1, s + 2 (only if the skip
   * s → s + 2 is allowed; else the NEG column). Eq. 11.
   */
  readonly betaIndex: Int32Array;
}

function plan(logitsShape: readonly [number, number, number], labels: readonly (readonly number[])[]): CtcPlan {
  const [batch, frames, classes] = logitsShape;
  if (labels.length !== batch) {
    throw new Error(`ctcLoss: ${labels.length} labels for a batch of ${batch} examples.`);
  }
  if (classes < 2) throw new RangeError(`ctcLoss: need at least 2 classes (one label and the blank), got ${classes}.`);
  if (frames < 1) throw new RangeError('ctcLoss: the logits have no frames.');
  const blank = classes - 1;
  let maxLength = 0;
  labels.forEach((label, b) => {
    for (const k of label) {
      if (!Number.isInteger(k) || k < 0 || k >= blank) {
        throw new RangeError(`ctcLoss: example ${b}'s label holds class ${k}, outside [0, ${blank - 1}] (class ${blank} is the blank).`);
      }
    }
    const need = ctcMinFrames(label);
    if (frames < need) {
      throw new RangeError(
        `ctcLoss: example ${b}'s label of length ${label.length} needs at least ${need} frames ` +
          `(${need - label.length} more for repeated neighbours), but only ${frames} frames are available; ` +
          'pad the example or use fewer digits.',
      );
    }
    maxLength = Math.max(maxLength, label.length);
  });
  const S = 2 * maxLength + 1;
  const oneHot = new Float32Array(batch * S * classes);
  const oneHotT = new Float32Array(batch * classes * S);
  const positionMask = new Float32Array(batch * S).fill(NEG);
  const startMask = new Float32Array(batch * S).fill(NEG);
  const endMask = new Float32Array(batch * S).fill(NEG);
  const alphaIndex = new Int32Array(batch * 3 * S);
  const betaIndex = new Int32Array(batch * 3 * S);
  for (let b = 0; b < batch; b++) {
    const label = labels[b];
    const own = 2 * label.length + 1;
    const ext = (s: number): number => (s % 2 === 0 ? blank : label[(s - 1) / 2]);
    // A path may jump s − 2 → s over a blank only onto a label distinct from the previous label.
    const skipInto = (s: number): boolean => s >= 2 && s < own && s % 2 === 1 && ext(s) !== ext(s - 2);
    for (let s = 0; s < own; s++) {
      const k = ext(s);
      oneHot[(b * S + s) * classes + k] = 1;
      oneHotT[(b * classes + k) * S + s] = 1;
      positionMask[b * S + s] = 0;
    }
    startMask[b * S] = 0;
    if (own > 1) startMask[b * S + 1] = 0;
    endMask[b * S + own - 1] = 0;
    if (own > 1) endMask[b * S + own - 2] = 0;
    // Indices into the flattened padded [B·(S + 1)] variables (see `combine`).
    const row = b * (S + 1);
    for (let s = 0; s < S; s++) {
      const i = (b * S + s) * 3;
      alphaIndex[i] = row + s + 1;
      alphaIndex[i + 1] = row + s;
      alphaIndex[i + 2] = row + (skipInto(s) ? s - 1 : 0);
      betaIndex[i] = row + s;
      betaIndex[i + 1] = row + s + 1;
      betaIndex[i + 2] = row + (s + 2 < S && skipInto(s + 2) ? s + 2 : S);
    }
  }
  return { batch, frames, classes, positions: S, oneHot, oneHotT, positionMask, startMask, endMask, alphaIndex, betaIndex };
}

/**
 * One step of either recursion: log Σ over the 2–3 predecessors of every position.
 *
 * The gather runs on the flattened variables with batch-offset indices: `gather` with
 * batchDims = 1 returns wrong rows past the first example on the wasm backend (tfjs 4.22).
 *
 * @param prev [B, S] log variables of the neighbouring frame
 * @param index [B·S·3] entries of the padded, flattened `prev` to combine per position
 * @param padLeft true: pad the NEG column on the left (α), false: on the right (β)
 * @returns [B, S]
 */
function combine(prev: tf.Tensor2D, index: tf.Tensor1D, padLeft: boolean): tf.Tensor2D {
  const [batch, S] = prev.shape;
  const padded = tf.reshape(tf.pad(prev, [[0, 0], padLeft ? [1, 0] : [0, 1]], NEG), [-1]);
  const terms = tf.reshape(tf.gather(padded, index), [batch, S, 3]);
  return tf.logSumExp(terms, 2);
}

/**
 * CTC loss: the batch mean of −ln p(l | x) in nats, p summing over every frame alignment of the
 * label (Graves et al. 2006, eq. 3), with a softmax over the classes per frame done here.
 *
 * Blank is the LAST class: `logits` is [batch, frames, classes] (unnormalised scores,
 * classes = label alphabet + 1, blank index = classes − 1); `labels[b]` holds class indices in
 * [0, classes − 2], any length from 0 (all blank) up to what fits the frames. All examples share
 * the frame count (pad with silence, i.e. blank frames).
 *
 * Forward: log-space α, Graves 2006 eqs. 6–7, p = α_T(|l'|) + α_T(|l'| − 1) (eq. 8). Gradient
 * (tf.customGrad): log-space β by eqs. 10–11, here kept without frame t's own emission
 * (β̂_t(s) = β_t(s) / y^t_{l'_s}), so that eq. 16 reads
 *   ∂(−ln p)/∂u^t_k = y^t_k − (1/p) Σ_{s: l'_s = k} α_t(s) β̂_t(s),
 * divided by the batch size for the mean and multiplied by the upstream gradient. Differentiable
 * w.r.t. `logits` only; usable inside `optimizer.minimize`.
 *
 * @param logits [B, T, C] float32 scores
 * @param labels B label sequences
 * @returns scalar mean negative log-likelihood, nats per example
 * @throws RangeError if a label needs more frames than T (length + repeated neighbours, see
 *   `ctcMinFrames`), names the example, its label length and the frames available; also for a
 *   label class outside [0, C − 2], fewer than 2 classes or no frames.
 * @throws Error if `labels.length` is not the batch size.
 */
export function ctcLoss(logits: tf.Tensor3D, labels: readonly (readonly number[])[]): tf.Scalar {
  const p = plan(logits.shape, labels);
  const { batch: B, frames: T, classes: C, positions: S } = p;

  const loss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor3D;
    const save = args[1] as tf.GradSaveFunc;
    // Runs inside the engine's tidy: intermediates are freed, `save` keeps what the gradient needs.
    const logY = tf.logSoftmax(x); // [B, T, C]
    // ln y^t_{l'_s}, NEG on positions past an example's own |l'|: [B, T, S].
    const emit = tf.add(tf.matMul(logY, tf.tensor3d(p.oneHotT, [B, C, S])), tf.tensor3d(p.positionMask, [B, 1, S]));
    const emits = tf.unstack(tf.transpose(emit, [1, 0, 2])) as tf.Tensor2D[]; // T × [B, S]
    const alphaIndex = tf.tensor1d(p.alphaIndex, 'int32');
    const alphas: tf.Tensor2D[] = [tf.add(emits[0], tf.tensor2d(p.startMask, [B, S]))];
    for (let t = 1; t < T; t++) {
      const prev = alphas[t - 1];
      alphas.push(tf.tidy(() => tf.add(combine(prev, alphaIndex, true), emits[t])));
    }
    const logLik = tf.logSumExp(tf.add(alphas[T - 1], tf.tensor2d(p.endMask, [B, S])), 1); // [B]
    const value = tf.neg(tf.mean(logLik)) as tf.Scalar;
    save([logY, emit, tf.stack(alphas, 1), logLik]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor =>
      tf.tidy(() => {
        const [savedLogY, savedEmit, alphaAll, savedLogLik] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor1D];
        const emitsB = tf.unstack(tf.transpose(savedEmit, [1, 0, 2])) as tf.Tensor2D[];
        const betaIndex = tf.tensor1d(p.betaIndex, 'int32');
        const betas: tf.Tensor2D[] = new Array<tf.Tensor2D>(T);
        betas[T - 1] = tf.tensor2d(p.endMask, [B, S]);
        for (let t = T - 2; t >= 0; t--) {
          const next = betas[t + 1];
          betas[t] = tf.tidy(() => combine(tf.add(next, emitsB[t + 1]), betaIndex, false));
        }
        // ln(α_t(s) β̂_t(s) / p): the posterior of being at s at frame t, [B, T, S].
        const logGamma = tf.sub(tf.add(alphaAll, tf.stack(betas, 1)), tf.reshape(savedLogLik, [B, 1, 1]));
        const posterior = tf.matMul(tf.exp(logGamma), tf.tensor3d(p.oneHot, [B, S, C])); // [B, T, C]
        return tf.mul(tf.sub(tf.exp(savedLogY), posterior), tf.div(dy, B));
      });
    return { value, gradFunc };
  });
  return loss(logits);
}

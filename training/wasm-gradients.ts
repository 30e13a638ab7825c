/**
 * Gradient kernels for the TensorFlow.js `wasm` backend, so `model.fit` can train our CNN in Node.
 *
 * Why this file exists:
 *  - `@tensorflow/tfjs-node` (native libtensorflow) cannot be installed in this environment, so
 *    training has to run on one of the pure JS / WebAssembly backends.
 *  - The `cpu` backend has every gradient kernel but is ~220x slower than `wasm` on our CNN
 *    (measured below: ~73 s vs ~0.33 s per batch of 64).
 *  - The `wasm` backend (tfjs 4.22.0) has the forward kernels but lacks the convolution gradient
 *    kernels `Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter` and
 *    `DepthwiseConv2dNativeBackpropInput`, so fitting a conv model fails with
 *    "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'".
 *
 * Each missing kernel is composed here from kernels `wasm` does have (XNNPACK Conv2D and
 * DepthwiseConv2dNative, Transpose, PadV2, Slice, Reverse, Reshape, Sum), inside `tf.tidy` so
 * no intermediate tensor leaks. The other kernels a small CNN's fit needs (Relu + its Step
 * gradient, MaxPool/MaxPoolGrad, Mean, MatMul, Softmax, Adam's Sqrt/Square/..., dropout's
 * RandomUniform is JS-side) were checked and already exist on `wasm`.
 *
 * Measured (Node 20, wasm SIMD, single thread, batch 64, 'same' 3x3 convs of our CNN):
 *  - Composed stride-1 `Conv2DBackpropInput` (conv2d of dy with the 180°-rotated, channel-swapped
 *    filter, run by XNNPACK) vs the built-in wasm kernel (a plain C++ loop):
 *      dx [64,98,40,1],  W [3,3,1,16]:   20.9 ms vs  32.5 ms (1.6x)
 *      dx [64,49,20,16], W [3,3,16,32]:  22.5 ms vs 234.6 ms (10.4x)
 *      dx [64,24,10,32], W [3,3,32,32]:  11.0 ms vs 109.5 ms (10.0x)
 *    so it replaces the built-in kernel for stride 1 (NHWC); other strides still use the built-in.
 *  - `Conv2DBackpropFilter` as one transposed convolution: 35 / 37 / 17 ms for the same layers
 *    (an im2col + matMul version was 2.5-7x slower).
 *  - Whole CNN (input [98, 40, 1], 3 conv + 3 maxpool + GAP + dense 64 + dropout + dense 10,
 *    adam, batch 64), 2,700 examples: ~14 s per epoch on `wasm` with these kernels (~27 s with
 *    the built-in Conv2DBackpropInput); one batch takes ~0.33 s on `wasm` vs ~73 s on `cpu`.
 *    The built-in `MaxPoolGrad` is now the largest single cost (~1/3 of a step).
 *
 * Only `dataFormat: 'NHWC'` is supported (the wasm forward kernels only support NHWC too).
 */
import * as tf from '@tensorflow/tfjs';
// Side effect: registers the `wasm` backend and its kernels, so the built-in
// Conv2DBackpropInput exists before we wrap it (and does not overwrite our wrapper later).
import '@tensorflow/tfjs-backend-wasm';

type Tensor4D = tf.Tensor4D;
type Shape4D = [number, number, number, number];
type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];
/** Padding argument accepted by the tfjs convolution ops and gradient kernels. */
export type ConvPadding = 'valid' | 'same' | number | ExplicitPadding;
type RoundingMode = 'floor' | 'round' | 'ceil';
type KernelArgs = Parameters<tf.KernelFunc>[0];

const BACKEND = 'wasm';
/** Marks kernel configs registered by this module (global symbol: survives module duplication). */
const MARK = Symbol.for('digit-listener.wasm-gradients');
type MarkedConfig = tf.KernelConfig & { [MARK]?: true };

/**
 * Whether the composed stride-1 Conv2DBackpropInput replaces the built-in wasm kernel.
 * Decided by measurement (see header): 1.6-10x faster on every conv layer of our CNN.
 */
const USE_COMPOSED_CONV2D_BACKPROP_INPUT = true;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Returns `info` as a Tensor (kernel inputs are Tensors when called through the engine). */
function asTensor4D(info: tf.TensorInfo): Tensor4D {
  if (info instanceof tf.Tensor) return info as Tensor4D;
  // Creates a tracked Tensor sharing the data id; callers run inside tf.tidy, which disposes it
  // (that only drops a reference: the input's data stays alive).
  return tf.engine().makeTensorFromTensorInfo(info) as Tensor4D;
}

function pair(v: number | [number, number] | undefined): [number, number] {
  if (v == null) return [1, 1];
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

function assertNHWC(kernel: string, dataFormat: BackpropAttrs['dataFormat']): void {
  if (dataFormat != null && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports only dataFormat 'NHWC', got '${dataFormat}'.`);
  }
}

/**
 * Turns signed spatial paddings of an NHWC tensor into a crop (negative amounts) plus a
 * non-negative padding to hand to a 'valid'/explicit-padding convolution (no copy for the pad).
 *
 * @param x [B, H, W, C]
 * @returns x cropped to [B, H - crops, W - crops, C] and the padding still to apply.
 */
function cropAndPadding(x: Tensor4D, top: number, bottom: number, left: number, right: number): { x: Tensor4D; pad: 'valid' | ExplicitPadding } {
  const [b, h, w, c] = x.shape;
  const ct = Math.max(0, -top);
  const cb = Math.max(0, -bottom);
  const cl = Math.max(0, -left);
  const cr = Math.max(0, -right);
  const cropped = ct + cb + cl + cr > 0 ? tf.slice(x, [0, ct, cl, 0], [b, h - ct - cb, w - cl - cr, c]) : x;
  const pt = Math.max(0, top);
  const pb = Math.max(0, bottom);
  const pl = Math.max(0, left);
  const pr = Math.max(0, right);
  const pad: 'valid' | ExplicitPadding =
    pt + pb + pl + pr === 0
      ? 'valid'
      : [
          [0, 0],
          [pt, pb],
          [pl, pr],
          [0, 0],
        ];
  return { x: cropped, pad };
}

/**
 * Inserts (sh - 1) zero rows after every row and (sw - 1) zero columns after every column.
 *
 * @param dy [B, oH, oW, C]
 * @returns [B, oH * sh, oW * sw, C] with dy[b, i, j, c] at [b, i * sh, j * sw, c].
 */
function zeroUpsample(dy: Tensor4D, sh: number, sw: number): Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [b, oh, ow, c] = dy.shape;
  const spread = tf.reshape(dy, [b, oh, 1, ow, 1, c]);
  const padded = tf.pad(spread, [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return tf.reshape(padded, [b, oh * sh, ow * sw, c]);
}

/**
 * Crop/padding that makes a stride-1 correlation of the zero-upsampled dy (dilation d) with the
 * rotated filter produce exactly the input-gradient rows/cols (transposed convolution).
 */
function transposedConvPadding(info: tf.backend_util.Conv2DInfo, upH: number, upW: number): [number, number, number, number] {
  const effH = (info.filterHeight - 1) * info.dilationHeight;
  const effW = (info.filterWidth - 1) * info.dilationWidth;
  const top = effH - info.padInfo.top;
  const left = effW - info.padInfo.left;
  return [top, info.inHeight + effH - top - upH, left, info.inWidth + effW - left - upW];
}

function assertShape(what: string, actual: readonly number[], expected: readonly number[]): void {
  if (actual.length !== expected.length || actual.some((v, i) => v !== expected[i])) {
    throw new Error(`${what}: expected shape [${expected.join(', ')}], got [${actual.join(', ')}].`);
  }
}

// ---------------------------------------------------------------------------------------------
// Composed gradient functions (public so they can be tested / benchmarked directly)
// ---------------------------------------------------------------------------------------------

/**
 * Filter gradient of `conv2d(x, filter, strides, pad, 'NHWC', dilations)`.
 *
 * dW[i, j, ci, co] = sum_{b, oh, ow} xPadded[b, oh*sh + i*dh, ow*sw + j*dw, ci] * dy[b, oh, ow, co],
 * computed as one convolution: the padded input transposed to [Ci, H', W', B] convolved with dy
 * transposed to [oH, oW, B, Co] as the filter (strides become dilations and vice versa), then
 * transposed back.
 *
 * @param x  input, [B, H, W, Ci]
 * @param dy output gradient, [B, oH, oW, Co]
 * @param filterShape [kh, kw, Ci, Co]
 * @returns filter gradient, [kh, kw, Ci, Co]
 */
export function conv2dBackpropFilterNHWC(
  x: Tensor4D,
  dy: Tensor4D,
  filterShape: Shape4D,
  strides: number | [number, number],
  pad: ConvPadding,
  dimRoundingMode?: RoundingMode,
  dilations: number | [number, number] = 1,
): Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, dilations, pad, dimRoundingMode, false, 'channelsLast');
    const [kh, kw, ci, co] = filterShape;
    const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
    const { outHeight: oh, outWidth: ow, inHeight: h, inWidth: w, batchSize: b } = info;
    assertShape('Conv2DBackpropFilter dy', dy.shape, [b, oh, ow, co]);
    if (x.shape[3] !== ci) throw new Error('Conv2DBackpropFilter: x channels != filterShape[2].');
    // Rows of the padded input the forward pass actually read.
    const needH = (kh - 1) * dh + (oh - 1) * sh + 1;
    const needW = (kw - 1) * dw + (ow - 1) * sw + 1;
    const { top, left } = info.padInfo;
    const { x: xc, pad: p } = cropAndPadding(x, top, needH - h - top, left, needW - w - left);
    const xT = tf.transpose(xc, [3, 1, 2, 0]); // [Ci, H', W', B]
    const dyF = tf.transpose(dy, [1, 2, 0, 3]); // [oH, oW, B, Co] used as the filter
    // A dilation over a size-1 filter axis is a no-op; dropping it keeps tfjs' assert
    // "either strides or dilations must be 1" happy for 1x1 outputs.
    const dil: [number, number] = [oh === 1 ? 1 : sh, ow === 1 ? 1 : sw];
    const g = tf.conv2d(xT, dyF, [dh, dw], p, 'NHWC', dil); // [Ci, kh, kw, Co]
    return tf.transpose(g, [1, 2, 0, 3]);
  });
}

/**
 * Input gradient of `conv2d(x, filter, strides, pad, 'NHWC', dilations)` (a transposed
 * convolution): dy is zero-upsampled by the strides, cropped/padded, and correlated (stride 1,
 * same dilations) with the filter rotated by 180° and with in/out channels swapped.
 * Fastest for stride 1 (no zero rows); works for any stride.
 *
 * @param dy output gradient, [B, oH, oW, Co]
 * @param filter [kh, kw, Ci, Co]
 * @param inputShape [B, H, W, Ci]
 * @returns input gradient, [B, H, W, Ci]
 */
export function conv2dBackpropInputNHWC(
  dy: Tensor4D,
  filter: Tensor4D,
  inputShape: Shape4D,
  strides: number | [number, number],
  pad: ConvPadding,
  dimRoundingMode?: RoundingMode,
  dilations: number | [number, number] = 1,
): Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, dilations, pad, dimRoundingMode, false, 'channelsLast');
    assertShape('Conv2DBackpropInput dy', dy.shape, [info.batchSize, info.outHeight, info.outWidth, info.outChannels]);
    const up = zeroUpsample(dy, info.strideHeight, info.strideWidth);
    const [t, bt, l, r] = transposedConvPadding(info, up.shape[1], up.shape[2]);
    const { x: dyc, pad: p } = cropAndPadding(up, t, bt, l, r);
    const wRot = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]); // [kh, kw, Co, Ci]
    return tf.conv2d(dyc, wRot, 1, p, 'NHWC', [info.dilationHeight, info.dilationWidth]);
  });
}

/**
 * Filter gradient of `depthwiseConv2d(x, filter, strides, pad, 'NHWC', dilations)`.
 *
 * Computed as one depthwise convolution over B*C channels: the padded input transposed to
 * [1, H', W', B*C] with dy transposed to [oH, oW, B*C, M] as the filter (strides and dilations
 * swapped), then summed over the batch.
 *
 * @param x  input, [B, H, W, C]
 * @param dy output gradient, [B, oH, oW, C*M]
 * @param filterShape [kh, kw, C, M]
 * @returns filter gradient, [kh, kw, C, M]
 */
export function depthwiseConv2dBackpropFilterNHWC(
  x: Tensor4D,
  dy: Tensor4D,
  filterShape: Shape4D,
  strides: number | [number, number],
  pad: ConvPadding,
  dilations: number | [number, number] = 1,
  dimRoundingMode?: RoundingMode,
): Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, dilations, pad, dimRoundingMode, true, 'channelsLast');
    const [kh, kw, c, m] = filterShape;
    const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
    const { outHeight: oh, outWidth: ow, inHeight: h, inWidth: w, batchSize: b } = info;
    assertShape('DepthwiseConv2dNativeBackpropFilter dy', dy.shape, [b, oh, ow, c * m]);
    const needH = (kh - 1) * dh + (oh - 1) * sh + 1;
    const needW = (kw - 1) * dw + (ow - 1) * sw + 1;
    const { top, left } = info.padInfo;
    const { x: xc, pad: p } = cropAndPadding(x, top, needH - h - top, left, needW - w - left);
    const [, hc, wc] = xc.shape;
    const xT = tf.reshape<tf.Rank.R4>(tf.transpose(xc, [1, 2, 0, 3]), [1, hc, wc, b * c]); // [1,H',W',B*C]
    const dyF = tf.reshape<tf.Rank.R4>(tf.transpose(dy, [1, 2, 0, 3]), [oh, ow, b * c, m]); // [oH,oW,B*C,M]
    const dil: [number, number] = [oh === 1 ? 1 : sh, ow === 1 ? 1 : sw];
    const g = tf.depthwiseConv2d(xT, dyF, [dh, dw], p, 'NHWC', dil); // [1, kh, kw, B*C*M]
    return tf.sum<Tensor4D>(tf.reshape(g, [kh, kw, b, c, m]), 2);
  });
}

/**
 * Input gradient of `depthwiseConv2d(x, filter, strides, pad, 'NHWC', dilations)`: dy is
 * zero-upsampled by the strides, cropped/padded, and depthwise-correlated (multiplier 1, same
 * dilations) with the 180°-rotated filter reshaped to [kh, kw, C*M, 1]; the M outputs of each
 * input channel are then summed.
 *
 * @param dy output gradient, [B, oH, oW, C*M]
 * @param filter [kh, kw, C, M]
 * @param inputShape [B, H, W, C]
 * @returns input gradient, [B, H, W, C]
 */
export function depthwiseConv2dBackpropInputNHWC(
  dy: Tensor4D,
  filter: Tensor4D,
  inputShape: Shape4D,
  strides: number | [number, number],
  pad: ConvPadding,
  dilations: number | [number, number] = 1,
  dimRoundingMode?: RoundingMode,
): Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, dilations, pad, dimRoundingMode, true, 'channelsLast');
    const [kh, kw, c, m] = filter.shape;
    const [b, h, w] = inputShape;
    assertShape('DepthwiseConv2dNativeBackpropInput dy', dy.shape, [b, info.outHeight, info.outWidth, c * m]);
    const up = zeroUpsample(dy, info.strideHeight, info.strideWidth);
    const [t, bt, l, r] = transposedConvPadding(info, up.shape[1], up.shape[2]);
    const { x: dyc, pad: p } = cropAndPadding(up, t, bt, l, r);
    const wRot = tf.reshape<tf.Rank.R4>(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]);
    const out = tf.depthwiseConv2d(dyc, wRot, 1, p, 'NHWC', [info.dilationHeight, info.dilationWidth]); // [B, H, W, C*M]
    return m === 1 ? out : tf.sum<Tensor4D>(tf.reshape(out, [b, h, w, c, m]), 4);
  });
}

// ---------------------------------------------------------------------------------------------
// Kernel wrappers
// ---------------------------------------------------------------------------------------------

interface BackpropAttrs {
  strides: number | [number, number];
  pad: ConvPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: RoundingMode;
  dilations?: number | [number, number];
  filterShape?: Shape4D;
  inputShape?: Shape4D;
}

function attrsOf(args: KernelArgs): BackpropAttrs {
  return (args.attrs ?? {}) as unknown as BackpropAttrs;
}

function required<T>(v: T | undefined, what: string): T {
  if (v == null) throw new Error(`missing attribute ${what}`);
  return v;
}

function conv2DBackpropFilterKernel(args: KernelArgs): tf.TensorInfo {
  const a = attrsOf(args);
  assertNHWC('Conv2DBackpropFilter', a.dataFormat);
  return tf.tidy(() =>
    conv2dBackpropFilterNHWC(
      asTensor4D(required(args.inputs.x, 'x')),
      asTensor4D(required(args.inputs.dy, 'dy')),
      required(a.filterShape, 'filterShape'),
      a.strides,
      a.pad,
      a.dimRoundingMode,
      a.dilations ?? 1,
    ),
  );
}

function depthwiseBackpropFilterKernel(args: KernelArgs): tf.TensorInfo {
  const a = attrsOf(args);
  return tf.tidy(() =>
    depthwiseConv2dBackpropFilterNHWC(
      asTensor4D(required(args.inputs.x, 'x')),
      asTensor4D(required(args.inputs.dy, 'dy')),
      required(a.filterShape, 'filterShape'),
      a.strides,
      a.pad,
      a.dilations ?? 1,
      a.dimRoundingMode,
    ),
  );
}

function depthwiseBackpropInputKernel(args: KernelArgs): tf.TensorInfo {
  const a = attrsOf(args);
  return tf.tidy(() =>
    depthwiseConv2dBackpropInputNHWC(
      asTensor4D(required(args.inputs.dy, 'dy')),
      asTensor4D(required(args.inputs.filter, 'filter')),
      required(a.inputShape, 'inputShape'),
      a.strides,
      a.pad,
      a.dilations ?? 1,
      a.dimRoundingMode,
    ),
  );
}

/** Cases where the composed Conv2DBackpropInput is used instead of the built-in kernel. */
function composedConv2DBackpropInputHandles(a: BackpropAttrs): boolean {
  const [sh, sw] = pair(a.strides);
  const [dh, dw] = pair(a.dilations);
  return (a.dataFormat == null || a.dataFormat === 'NHWC') && sh === 1 && sw === 1 && dh === 1 && dw === 1;
}

function makeConv2DBackpropInputKernel(builtin: tf.KernelConfig | undefined): tf.KernelFunc {
  return (args: KernelArgs) => {
    const a = attrsOf(args);
    if (builtin != null && !composedConv2DBackpropInputHandles(a)) return builtin.kernelFunc(args);
    assertNHWC('Conv2DBackpropInput', a.dataFormat);
    return tf.tidy(() =>
      conv2dBackpropInputNHWC(
        asTensor4D(required(args.inputs.dy, 'dy')),
        asTensor4D(required(args.inputs.filter, 'filter')),
        required(a.inputShape, 'inputShape'),
        a.strides,
        a.pad,
        a.dimRoundingMode,
        a.dilations ?? 1,
      ),
    );
  };
}

function isOurs(config: tf.KernelConfig | undefined): boolean {
  return config != null && (config as MarkedConfig)[MARK] === true;
}

function register(config: tf.KernelConfig): void {
  const marked: MarkedConfig = { ...config, [MARK]: true };
  tf.registerKernel(marked);
}

/**
 * Registers on the `wasm` backend the gradient kernels it lacks, composed from kernels it has:
 *  - `Conv2DBackpropFilter`: x [B, H, W, Ci], dy [B, oH, oW, Co] -> dW [kh, kw, Ci, Co]
 *  - `DepthwiseConv2dNativeBackpropFilter`: x [B, H, W, C], dy [B, oH, oW, C*M] -> dW [kh, kw, C, M]
 *  - `DepthwiseConv2dNativeBackpropInput`: dy [B, oH, oW, C*M], W [kh, kw, C, M] -> dx [B, H, W, C]
 * and replaces `Conv2DBackpropInput` (dy [B, oH, oW, Co], W [kh, kw, Ci, Co] -> dx [B, H, W, Ci])
 * by a faster composed version for stride 1, delegating every other case to the built-in kernel.
 * Kernels that a future wasm backend provides natively are left alone.
 *
 * Idempotent: calling it again is a no-op. Call it before training (before or after
 * `tf.setBackend('wasm')`).
 */
export function registerWasmGradientKernels(): void {
  const missing: Array<[string, tf.KernelFunc]> = [
    ['Conv2DBackpropFilter', conv2DBackpropFilterKernel],
    ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilterKernel],
    ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInputKernel],
  ];
  for (const [kernelName, kernelFunc] of missing) {
    if (tf.getKernel(kernelName, BACKEND) != null) continue; // ours already, or native
    register({ kernelName, backendName: BACKEND, kernelFunc });
  }

  if (USE_COMPOSED_CONV2D_BACKPROP_INPUT) {
    const current = tf.getKernel('Conv2DBackpropInput', BACKEND);
    if (!isOurs(current)) {
      if (current != null) tf.unregisterKernel('Conv2DBackpropInput', BACKEND);
      const config: tf.KernelConfig = {
        kernelName: 'Conv2DBackpropInput',
        backendName: BACKEND,
        kernelFunc: makeConv2DBackpropInputKernel(current),
      };
      // The built-in kernel binds its wasm function in setupFunc (run on setBackend); keep it.
      if (current?.setupFunc != null) config.setupFunc = current.setupFunc;
      if (current?.disposeFunc != null) config.disposeFunc = current.disposeFunc;
      register(config);
    }
  }
}

/**
 * One inference-timing run in Node, in its own process (tfjs picks its wasm binary once per
 * process): `tsx scripts/bench/inference-node.ts simd|no-simd|cpu [runs]` prints one JSON line
 * `{ variant, backend, simd, threads, medianMs, p95Ms, runs, encoderStep, readerEncoderStep }` —
 * ms per word window of the shipped heads (or BENCH_MODEL_DIR: the encoder's pass over the
 * window and the word head, `measureInference`), and ms per encoder step, one embedding alone
 * and as the string reader computes them (`measureEncoderStep`) — the same timings the browser
 * worker runs.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_MODEL_DIR } from '../../src/cli/paths';
import { initWasmBackend } from '../../src/model/backend';
import { fileSystemEncoders } from '../../src/cli/models';
import { DigitClassifier } from '../../src/model/classifier';
import { measureEncoderStep, measureInference } from '../../src/model/inference-timing';
import { DEFAULT_STRING_READER_CONFIG } from '../../src/pipeline/string-reader';
import { fileSystemModel } from '../../src/model/node-io';

const variant = process.argv[2] ?? 'simd';
const runs = Number(process.argv[3] ?? 500);
if (!['simd', 'no-simd', 'cpu'].includes(variant)) throw new RangeError(`unknown variant ${variant} (simd, no-simd, cpu)`);

let info = { backend: 'cpu', simd: false, threads: false };
if (variant === 'cpu') {
  await tf.setBackend('cpu');
  await tf.ready();
} else {
  info = await initWasmBackend(undefined, { simd: variant === 'simd' });
}
const modelDir = process.env.BENCH_MODEL_DIR ?? DEFAULT_MODEL_DIR;
const classifier = await DigitClassifier.load(fileSystemModel(modelDir), fileSystemEncoders(), modelDir);
console.log(
  JSON.stringify({
    variant,
    ...info,
    ...measureInference(classifier, runs),
    encoderStep: measureEncoderStep(classifier.encoder, runs),
    readerEncoderStep: measureEncoderStep(classifier.encoder, runs, DEFAULT_STRING_READER_CONFIG.hopSteps),
  }),
);

/**
 * One inference-timing run in Node, in its own process (tfjs picks its wasm binary once per
 * process): `tsx scripts/bench/inference-node.ts simd|no-simd|cpu [runs]` prints one JSON line
 * `{ variant, backend, simd, threads, medianMs, p95Ms, runs }` — ms per `[98, 40]` window of the
 * shipped model (or BENCH_MODEL_DIR), by `measureInference` — the same timing the browser
 * worker runs.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_MODEL_DIR } from '../../src/cli/paths';
import { initWasmBackend } from '../../src/model/backend';
import { DigitClassifier } from '../../src/model/classifier';
import { measureInference } from '../../src/model/inference-timing';
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
const classifier = await DigitClassifier.load(fileSystemModel(modelDir), modelDir);
console.log(JSON.stringify({ variant, ...info, ...measureInference(classifier, runs) }));

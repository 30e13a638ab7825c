/**
 * One inference-timing run in Node, in its own process (tfjs picks its wasm binary once per
 * process): `tsx scripts/bench/inference-node.ts simd|no-simd|cpu [runs]` prints one JSON line
 * `{ variant, backend, simd, threads, medianMs, p95Ms, runs }` — ms per `[98, 40]` window of the
 * shipped model, after 50 warm-up runs, through DigitClassifier.predict (normalisation included).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_MODEL_DIR } from '../../src/cli/paths';
import { initWasmBackend } from '../../src/model/backend';
import { DigitClassifier } from '../../src/model/classifier';
import { fileSystemModel } from '../../src/model/node-io';
import { Random } from '../../training/random';

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
const { windowFrames } = classifier.metadata.window;
const { melBins } = classifier.metadata.frontend;
const random = new Random(1);
const window = Float32Array.from({ length: windowFrames * melBins }, () => -10 + 5 * random.normal());
const times: number[] = [];
for (let i = 0; i < 50 + runs; i++) {
  const t0 = performance.now();
  classifier.predict(window);
  if (i >= 50) times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
console.log(JSON.stringify({ variant, ...info, medianMs: at(0.5), p95Ms: at(0.95), runs }));

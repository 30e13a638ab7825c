/**
 * `npm run bench` — prints (and writes to bench-results.json) what the pipeline costs in Node:
 * inference time per window of the shipped model on tfjs wasm (SIMD, single thread) and cpu,
 * and the real-time factor of the frontend + gate for 48 kHz and 44.1 kHz input.
 * Figures, not pass/fail: speed targets are read from here, not asserted in unit tests.
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_MODEL_DIR } from '../src/cli/paths';
import { initWasmBackend } from '../src/model/backend';
import { DigitClassifier } from '../src/model/classifier';
import { fileSystemModel } from '../src/model/node-io';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { generateNoise } from '../training/noise';
import { Random } from '../training/random';

const RUNS = 500;
const WARMUP = 50;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function inference(backend: 'wasm' | 'cpu', runs: number): Promise<{ medianMs: number; p95Ms: number }> {
  if (backend === 'wasm') await initWasmBackend();
  else {
    await tf.setBackend('cpu');
    await tf.ready();
  }
  const classifier = await DigitClassifier.load(fileSystemModel(DEFAULT_MODEL_DIR), DEFAULT_MODEL_DIR);
  const { windowFrames } = classifier.metadata.window;
  const { melBins } = classifier.metadata.frontend;
  const random = new Random(1);
  const window = Float32Array.from({ length: windowFrames * melBins }, () => -10 + 5 * random.normal());
  const times: number[] = [];
  for (let i = 0; i < WARMUP + runs; i++) {
    const t0 = performance.now();
    classifier.predict(window);
    if (i >= WARMUP) times.push(performance.now() - t0);
  }
  classifier.dispose();
  times.sort((a, b) => a - b);
  return { medianMs: percentile(times, 0.5), p95Ms: percentile(times, 0.95) };
}

function realTimeFactor(sampleRate: number): number {
  // 60 s of pink noise with bursts, pushed in 20 ms blocks as the worklet does.
  const random = new Random(2);
  const seconds = 60;
  const signal = generateNoise(sampleRate * seconds, 'pink', random).map((v, i) => v * (Math.floor(i / sampleRate) % 3 === 0 ? 0.3 : 0.01));
  const block = Math.round(sampleRate * 0.02);
  const pipeline = new StreamingPipeline(sampleRate);
  const t0 = performance.now();
  for (let i = 0; i < signal.length; i += block) pipeline.push(signal.subarray(i, i + block));
  pipeline.flush();
  return (performance.now() - t0) / 1000 / seconds;
}

const wasm = await inference('wasm', RUNS);
const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
const cpu = await inference('cpu', 100);
const rtf48 = realTimeFactor(48000);
const rtf441 = realTimeFactor(44100);
const results = {
  model: DEFAULT_MODEL_DIR,
  inference: { wasmSimd: { ...wasm, simd, runs: RUNS }, cpu: { ...cpu, runs: 100, ratioToWasmSimd: cpu.medianMs / wasm.medianMs } },
  frontendAndGateRealTimeFactor: { '48000': rtf48, '44100': rtf441 },
};
const f = (x: number) => x.toFixed(3);
console.log(`inference per window, wasm ${simd ? 'SIMD' : 'no SIMD'} 1 thread: median ${f(wasm.medianMs)} ms, p95 ${f(wasm.p95Ms)} ms (${RUNS} runs)`);
console.log(`inference per window, cpu:                median ${f(cpu.medianMs)} ms, p95 ${f(cpu.p95Ms)} ms (${(cpu.medianMs / wasm.medianMs).toFixed(1)}× wasm)`);
console.log(`frontend + gate real-time factor: 48 kHz ${rtf48.toFixed(4)}, 44.1 kHz ${rtf441.toFixed(4)}`);
writeFileSync('bench-results.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench-results.json');

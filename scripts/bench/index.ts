/**
 * `npm run bench` — every cost of the pipeline, side by side, in one run; prints one table and
 * writes reports/bench/bench.json + bench.md. Figures, not pass/fail: the targets are printed
 * beside them (speed targets live here, not in unit tests).
 *
 * - the encoder step (one embedding from 76 log-mel frames; median, p95 over 500 runs after
 *   warm-up), alone and as the string reader batches them: Node wasm SIMD 1 thread (three
 *   processes, the middle one), wasm without SIMD, and Chromium's recognizer worker with 1
 *   thread and multi-threaded; the word decision per word (encoder over its window + word head);
 * - worker CPU per second of speech and per second of silence: in Node (the recognizer as the
 *   worker runs it) and in Chromium (a trace of the recognizer worker thread);
 * - frontend + gate real-time factor at 48 and 44.1 kHz;
 * - whole-pipeline real-time factor in Node (frontend, gate, word model, string reader) over
 *   ≥ 90 s of held-out synthetic digit strings, and the string model's cost per reader step
 *   (strings.ts, each in its own process);
 * - weights (encoder, word head, string head, anchors; float vs uint8) and the
 *   production JS, gzip (wasm listed apart);
 * - Chromium, fake microphone: end of word → `digit` event latency, main-thread busy time per
 *   second of listening, peak JS heap (see browser.ts for how the clocks are aligned); and end of
 *   the last digit of a digit string said at natural speed → its `digit` event, with the strings
 *   read exactly;
 * - our VAD gate beside Silero VAD on the same labelled stream (vad-peer.ts).
 *
 * `--no-browser` skips the Chromium parts; `--no-vad-peer` skips the Silero comparison.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildApp } from '../app-build';
import { DEFAULT_MODEL_DIR } from '../../src/cli/paths';
import { StreamingPipeline } from '../../src/pipeline/streaming-pipeline';
import { generateNoise } from '../../src/audio/noise';
import { Random } from '../../src/audio/random';
import { browserEnrollment, browserInference, browserListening, browserStrings } from './browser';
import { HELDOUT_STRINGS_DIR, type PipelineRealTimeFactor, type ReaderStepCost, runStringsChild } from './strings';

const { values: args } = parseArgs({
  options: {
    'no-browser': { type: 'boolean', default: false },
    'no-vad-peer': { type: 'boolean', default: false },
    runs: { type: 'string', default: '500' },
  },
});
const RUNS = Number(args.runs);
const OUT_DIR = resolve('reports/bench');

interface NodeInference {
  variant: string;
  backend: string;
  simd: boolean;
  threads: boolean;
  medianMs: number;
  p95Ms: number;
  runs: number;
  encoderStep: { medianMs: number; p95Ms: number };
  readerEncoderStep: { medianMs: number; p95Ms: number };
}

function nodeInference(variant: 'simd' | 'no-simd' | 'cpu', runs: number): NodeInference {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'inference-node.ts'), variant, String(runs)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as NodeInference;
}

/**
 * Frontend + gate real-time factor (compute seconds per second of audio): 60 s of pink noise
 * with a loud second every three, pushed in 20 ms blocks as the worklet posts them. Best of 3.
 */
function realTimeFactor(sampleRate: number): number {
  const random = new Random(2);
  const seconds = 60;
  const signal = generateNoise(sampleRate * seconds, 'pink', random).map((v, i) => v * (Math.floor(i / sampleRate) % 3 === 0 ? 0.3 : 0.01));
  const block = Math.round(sampleRate * 0.02);
  let best = Number.POSITIVE_INFINITY;
  for (let rep = 0; rep < 3; rep++) {
    const pipeline = new StreamingPipeline(sampleRate);
    const t0 = performance.now();
    for (let i = 0; i < signal.length; i += block) pipeline.push(signal.subarray(i, i + block));
    pipeline.flush();
    best = Math.min(best, (performance.now() - t0) / 1000 / seconds);
  }
  return best;
}

/** Production build sizes: every emitted JS file gzip-compressed (level 9), wasm apart. */
async function buildSizes(): Promise<{
  jsBytes: number;
  jsGzipBytes: number;
  files: { file: string; bytes: number; gzipBytes: number }[];
  wasm: { file: string; bytes: number }[];
}> {
  await buildApp();
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
  const all = walk('dist');
  // The service worker and Workbox runtime are JS the browser fetches too: counted.
  const files = all
    .filter((f) => f.endsWith('.js'))
    .map((f) => {
      const bytes = readFileSync(f);
      return { file: f.slice(5), bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
    });
  const wasm = all.filter((f) => f.endsWith('.wasm')).map((f) => ({ file: f.slice(5), bytes: statSync(f).size }));
  return { jsBytes: files.reduce((s, f) => s + f.bytes, 0), jsGzipBytes: files.reduce((s, f) => s + f.gzipBytes, 0), files, wasm };
}

interface ModelSize {
  parameters: number;
  int8Bytes: number;
  float32Bytes: number;
}

/** Weights of the model in `dir` (int8 file size; float32 = 4 bytes per parameter); null without a model there. */
function modelSize(dir: string): ModelSize | null {
  if (!existsSync(join(dir, 'model.json'))) return null;
  const int8Bytes = statSync(join(dir, 'weights.bin')).size;
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { weights: { shape: number[] }[] }[] };
  const parameters = json.weightsManifest.flatMap((g) => g.weights).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  return { parameters, int8Bytes, float32Bytes: parameters * 4 };
}

/** The word head, the string head (`strings/`, when there), the speech encoder they read, and the anchors. */
function modelSizes(): ModelSize & { strings: ModelSize | null; encoder: ModelSize; anchorsBytes: number } {
  const anchors = join(DEFAULT_MODEL_DIR, 'anchors.json');
  return {
    ...modelSize(DEFAULT_MODEL_DIR)!,
    strings: modelSize(join(DEFAULT_MODEL_DIR, 'strings')),
    encoder: modelSize(join(DEFAULT_MODEL_DIR, '../encoder'))!,
    anchorsBytes: existsSync(anchors) ? statSync(anchors).size : 0,
  };
}

const started = performance.now();
const f3 = (x: number) => x.toFixed(3);
console.log('inference in Node …');
// The reference figure: three processes, the middle median (one process on this VM can be off
// by ±20 % from another), with the range kept beside it.
const simdRuns = [0, 1, 2].map(() => nodeInference('simd', RUNS)).sort((a, b) => a.medianMs - b.medianMs);
const simd = simdRuns[1];
const noSimd = nodeInference('no-simd', RUNS);
const cpu = nodeInference('cpu', 100);
console.log('frontend + gate …');
const rtf = { '48000': realTimeFactor(48000), '44100': realTimeFactor(44100) };
console.log('whole pipeline on digit strings, string model per reader step …');
const pipelineRtf = runStringsChild<PipelineRealTimeFactor>('rtf');
const readerStep = runStringsChild<ReaderStepCost>('reader-step', String(RUNS));
console.log('production build …');
const sizes = await buildSizes();
const model = modelSizes();
let chromiumInference: Awaited<ReturnType<typeof browserInference>> | null = null;
let listening: Awaited<ReturnType<typeof browserListening>> | null = null;
let stringListening: Awaited<ReturnType<typeof browserStrings>> | null = null;
let enrollment: Awaited<ReturnType<typeof browserEnrollment>> | null = null;
if (!args['no-browser']) {
  console.log('Chromium: inference in the worker …');
  chromiumInference = await browserInference(RUNS);
  console.log('Chromium: listening to a fake microphone (real time) …');
  listening = await browserListening();
  console.log('Chromium: digit strings to a fake microphone (real time) …');
  stringListening = await browserStrings();
  console.log('Chromium: enrollment (adapting to one speaker) in the worker …');
  enrollment = await browserEnrollment();
  if (!stringListening) console.warn(`Chromium digit strings SKIPPED: no held-out synthetic 4-digit strings in ${HELDOUT_STRINGS_DIR} (npm run synth)`);
}
let vadPeer: unknown = null;
if (!args['no-vad-peer']) {
  console.log('VAD: our gate beside Silero …');
  const { compareVad } = await import('./vad-peer');
  vadPeer = await compareVad();
}

const rows: [string, string, string][] = [];
const ratio = (ms: number) => `${(ms / simd.medianMs).toFixed(2)}×`;
const steps = (t: NodeInference) =>
  `one embedding alone (76 frames) median ${f3(t.encoderStep.medianMs)} ms, p95 ${f3(t.encoderStep.p95Ms)} ms; as the string reader computes them (2 per pass) ${f3(t.readerEncoderStep.medianMs)} ms per embedding`;
rows.push([
  `encoder step, Node wasm SIMD 1 thread (${RUNS} runs × 3 processes)`,
  `${steps(simd)} (processes: ${simdRuns.map((r) => f3(r.encoderStep.medianMs)).join(' / ')} ms alone)`,
  '≤ 5 ms median (issue 21)',
]);
rows.push(['encoder step, Node wasm no SIMD', steps(noSimd), '']);
for (const c of chromiumInference ?? []) {
  const label = `encoder step, Chromium worker wasm ${c.simd ? 'SIMD' : 'no SIMD'} ${c.threads ? 'multi-threaded' : '1 thread'}${c.threadsRequested && !c.threads ? ' (threads requested, not available)' : ''}`;
  rows.push([
    label,
    `one embedding alone median ${f3(c.encoderStep.medianMs)} ms, p95 ${f3(c.encoderStep.p95Ms)} ms; as the reader computes them ${f3(c.readerEncoderStep.medianMs)} ms per embedding`,
    '',
  ]);
}
rows.push([
  `word decision per word (encoder over the ${'164'}-frame window + word head), Node wasm SIMD 1 thread`,
  `median ${f3(simd.medianMs)} ms, p95 ${f3(simd.p95Ms)} ms (1.00×)`,
  '',
]);
rows.push(['word decision per word, Node wasm no SIMD', `median ${f3(noSimd.medianMs)} ms, p95 ${f3(noSimd.p95Ms)} ms (${ratio(noSimd.medianMs)})`, '']);
rows.push(['word decision per word, Node wasm multi-threaded', 'not available: tfjs-backend-wasm cannot start its threaded binary in Node', '']);
rows.push(['word decision per word, Node cpu (100 runs)', `median ${f3(cpu.medianMs)} ms, p95 ${f3(cpu.p95Ms)} ms (${ratio(cpu.medianMs)})`, '']);
for (const c of chromiumInference ?? []) {
  const label = `word decision per word, Chromium worker wasm ${c.simd ? 'SIMD' : 'no SIMD'} ${c.threads ? 'multi-threaded' : '1 thread'}${c.threadsRequested && !c.threads ? ' (threads requested, not available)' : ''}`;
  rows.push([label, `median ${f3(c.medianMs)} ms, p95 ${f3(c.p95Ms)} ms (${ratio(c.medianMs)})`, '']);
}
rows.push(['frontend + gate real-time factor, 48 kHz', rtf['48000'].toFixed(4), '≤ 0.005']);
rows.push(['frontend + gate real-time factor, 44.1 kHz', rtf['44100'].toFixed(4), '≤ 0.005']);
rows.push([
  `whole pipeline real-time factor (frontends, gate, encoder, word and string heads), Node, ${pipelineRtf.source === 'held-out synthetic digit strings' ? 'digit strings' : 'FSDD clips joined with 50 ms gaps'}`,
  `${pipelineRtf.realTimeFactor.toFixed(4)} (best of ${pipelineRtf.reps.map((r) => r.toFixed(4)).join(' / ')}; ${pipelineRtf.seconds.toFixed(0)} s at 16 kHz, ${pipelineRtf.strings} ${pipelineRtf.source}` +
    `, 0.5–1 s silences, 20 ms blocks; wasm ${pipelineRtf.simd ? 'SIMD' : 'no SIMD'}; ${pipelineRtf.detections} digits reported` +
    `${pipelineRtf.stringModel ? '' : '; NO string head in the model folder: word head only'})`,
  '',
]);
const cpuSplit = pipelineRtf.cpuMsPerSecond;
rows.push([
  'worker CPU per second of speech / of silence, Node (the recognizer as the worker runs it, 20 ms blocks)',
  `${cpuSplit.speech.toFixed(1)} ms per s of speech (${cpuSplit.speechSeconds.toFixed(0)} s) / ${cpuSplit.silence.toFixed(1)} ms per s of the pauses (${cpuSplit.silenceSeconds.toFixed(0)} s); ${cpuSplit.noiseOnly.toFixed(1)} ms per s of quiet noise alone`,
  '≤ 80 / ≤ 5 ms',
]);
if (listening?.workerMsPerS !== undefined) {
  rows.push([
    'worker CPU while listening, Chromium (trace of the recognizer worker thread)',
    `${listening.workerMsPerS.speech.toFixed(1)} ms per s of speech / ${listening.workerMsPerS.silence.toFixed(1)} ms per s of silence`,
    '≤ 80 / ≤ 5 ms',
  ]);
}
if ('unavailable' in readerStep) rows.push(['string reader step, Node wasm SIMD', `not measured: ${readerStep.unavailable}`, '']);
else {
  rows.push([
    `string reader step (encoder over ${readerStep.frames} frames + string head), Node wasm SIMD`,
    `median ${f3(readerStep.medianMs)} ms, p95 ${f3(readerStep.p95Ms)} ms (${readerStep.runs} runs; ${readerStep.hopSteps} new embeddings and ${readerStep.contextSteps} of context on each side: ` +
      `one step per ${readerStep.hopSteps * 80} ms of speech, ≈ ${((readerStep.medianMs * 1000) / (readerStep.hopSteps * 80)).toFixed(1)} ms per s of speech)`,
    '',
  ]);
}
const allWeights = model.encoder.int8Bytes + model.int8Bytes + (model.strings?.int8Bytes ?? 0) + model.anchorsBytes;
rows.push([
  'weights',
  `encoder ${model.encoder.int8Bytes} B (uint8 but its first convolution and biases; ${model.encoder.parameters} parameters, ${model.encoder.float32Bytes} B as float32); ` +
    `word head ${model.int8Bytes} B uint8 (${model.parameters} parameters)` +
    (model.strings ? `; string head ${model.strings.int8Bytes} B uint8 (${model.strings.parameters} parameters)` : '; no string head') +
    `; anchors ${model.anchorsBytes} B; all ${allWeights} B`,
  'all weights ≤ 1 MB (issue 21)',
]);
rows.push(['production JS, gzip', `${(sizes.jsGzipBytes / 1024).toFixed(1)} KB (${(sizes.jsBytes / 1024).toFixed(1)} KB raw, ${sizes.files.length} files)`, '≤ 400 KB gzip']);
rows.push(['wasm (apart)', sizes.wasm.map((w) => `${w.file.replace(/^.*\//, '')} ${(w.bytes / 1024).toFixed(0)} KB`).join(', '), '']);
if (listening) {
  rows.push([
    `end of word → digit event, Chromium (${listening.latenciesMs.length} words)`,
    `median ${listening.latencyMedianMs.toFixed(0)} ms, worst ${listening.latencyMaxMs.toFixed(0)} ms`,
    '≤ 200 ms median',
  ]);
  rows.push(['words recognized correctly (fake mic)', `${listening.correct}/${listening.words} (${listening.recognized} events) at ${listening.sampleRate} Hz`, '']);
  rows.push([
    'main thread busy while listening',
    `${listening.mainThreadBusyMsPerS.toFixed(2)} ms per s (median of ${listening.mainThreadRunsMsPerS.length} runs of ${listening.listeningSeconds.toFixed(0)} s: ${listening.mainThreadRunsMsPerS.map((v) => v.toFixed(2)).join(', ')})`,
    '≤ 5 ms/s',
  ]);
  rows.push(['peak JS heap, page main thread', `${(listening.peakJsHeapBytes / 1024 / 1024).toFixed(1)} MB`, '']);
}
if (stringListening) {
  const s = stringListening;
  const sources = Object.entries(s.sources)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  rows.push([
    `end of last digit of a string → its digit event, Chromium (${s.latenciesMs.length} strings)`,
    s.latenciesMs.length
      ? `median ${s.latencyMedianMs.toFixed(0)} ms, worst ${s.latencyMaxMs.toFixed(0)} ms (clock offset from ${s.offsetPairs} digits)`
      : s.offsetPairs === 0
        ? 'not measured: no digit of the page matched the Node run (clocks not aligned)'
        : 'not measured: no digit event in any string',
    '≤ 250 ms median',
  ]);
  rows.push([
    'strings read exactly (fake mic)',
    `${s.exact}/${s.strings} (${s.digits}-digit held-out synthetic strings, ${s.events} events: ${sources || 'none'}; page ${s.stringModel ? 'with' : 'WITHOUT'} the string model) at ${s.sampleRate} Hz`,
    '',
  ]);
}
if (enrollment) {
  rows.push([
    'enrollment: adapting to one speaker in the recognizer worker, Chromium (median of 3)',
    `1 take per digit ${enrollment.oneTakeMs.toFixed(0)} ms (${enrollment.examples} windows + ${enrollment.anchors} anchors); 3 takes ${enrollment.threeTakesMs.toFixed(0)} ms`,
    '≤ 3 s here (issue 15); ≤ 5 s on a phone',
  ]);
}
const vadRows = (vadPeer as { tableRows?: [string, string, string][] } | null)?.tableRows ?? [];
rows.push(...vadRows);

const md = ['| measure | value | target |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
console.log(`\n${md}\n`);
mkdirSync(OUT_DIR, { recursive: true });
const results = {
  createdAt: new Date().toISOString(),
  model: DEFAULT_MODEL_DIR,
  inference: { node: { simd, simdRuns, noSimd, cpu }, chromium: chromiumInference },
  frontendAndGateRealTimeFactor: rtf,
  pipelineRealTimeFactor: pipelineRtf,
  stringReaderStep: readerStep,
  model_: model,
  build: sizes,
  listening,
  stringListening,
  enrollment,
  vadPeer,
};
writeFileSync(join(OUT_DIR, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(OUT_DIR, 'bench.md'), `# npm run bench — ${results.createdAt}\n\n${md}\n`);
console.log(`wrote ${join(OUT_DIR, 'bench.json')} and bench.md in ${((performance.now() - started) / 1000).toFixed(0)} s`);

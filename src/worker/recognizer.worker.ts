/**
 * Recognizer Web Worker: receives device-rate audio straight from the capture worklet and runs
 * the whole streaming path off the main thread — resampling, log-mel, VAD gate, the speech
 * encoder (only while the gate is open, plus the context before an onset) and the two heads on
 * tfjs wasm (SIMD) — then posts digits and a throttled level/speech status to the main thread.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import type { WorkletToWorker } from '../capture/messages';
import { type BackendInfo, initWasmBackend } from '../model/backend';
import { DigitClassifier } from '../model/classifier';
import { SpeechEncoder } from '../model/encoder';
import { type EncoderSource, type SharedEncoders, sharedEncoders } from '../model/head-model';
import { measureEncoderStep, measureInference } from '../model/inference-timing';
import { StringModel } from '../model/string-model';
import type { HeadExample } from '../adaptation/head';
import { readProfile } from '../adaptation/profile';
import { pipelineConfigFor, type RecognizerStep, StreamingRecognizer } from '../pipeline/recognizer';
import { DEFAULT_STRING_READER_CONFIG } from '../pipeline/string-reader';
import { enroll, loadAnchors } from './enrollment';
import { LevelMeterPainter } from './level-meter';
import { TakeRecorder } from './take-recorder';
import {
  type DigitResult,
  type LevelMeterTarget,
  type MainToWorker,
  type ModelLocation,
  type RejectedSpeech,
  type StreamSettings,
  unreachable,
  type WorkerToMain,
} from './protocol';

declare const self: DedicatedWorkerGlobalScope;

/**
 * Minimum interval between status messages, ms. Each visible meter change is a render on the
 * main thread; measured in Chromium (`npm run bench`, a word every 1.6 s): 100 ms and 3 dB steps
 * cost 5.3 ms of main thread per second of listening, 150 ms / 6 dB 4.7–5.0, no meter at all 3.5.
 * Five updates a second still show the user the microphone hears them. A change of the speech
 * flag is posted at once.
 */
const STATUS_INTERVAL_MS = 200;
/**
 * A level change smaller than this (dB) is not posted: one step of the element's 10-step, 60 dB
 * meter. In steady noise or silence the meter then costs the main thread nothing.
 */
const STATUS_MIN_CHANGE_DB = 6;

let classifier: DigitClassifier | null = null;
/** The speech encoder both heads read (one instance). */
let encoder: SpeechEncoder | null = null;
/** The CTC string model beside the word model (`strings/model.json`), if the model folder has one. */
let stringModel: StringModel | null = null;
let backendInfo: BackendInfo | null = null;
/** The word model's general examples for enrollment (`anchors.json`); empty without one. */
let anchors: HeadExample[] = [];
/** Whether the page wants each utterance back as a recording, and the audio kept for it. */
let recordTakes = false;
let takeRecorder: TakeRecorder | null = null;
/** Margin around an utterance's speech in a take, ms: the gate's onset and hangover are not exact. */
const TAKE_MARGIN_MS = 250;
let recognizer: StreamingRecognizer | null = null;
/** The page's level meter, drawn here (see `level-meter.ts`), or null: the level is posted. */
let meter: LevelMeterPainter | null = null;
/** Sample rate and settings of the current stream, to start a fresh one after a flush. */
let streamConfig: { sampleRate: number; settings: StreamSettings } | null = null;
let audioPort: MessagePort | null = null;
let lastStatus = 0;
let lastPostedDb = -120;
let lastSpeech = false;
let peakDb = -120;
/** Samples received in the current stream, and the capture-clock estimate of its sample 0. */
let streamSamples = 0;
let streamOriginAt = Number.POSITIVE_INFINITY;

/**
 * Messages of the audio block being handled (see {@link postTogether}), or null: posted at once.
 */
let together: { messages: WorkerToMain[]; transfer: Transferable[] } | null = null;

function post(message: WorkerToMain, transfer: Transferable[] = []): void {
  if (!together) return self.postMessage(message, transfer);
  together.messages.push(message);
  together.transfer.push(...transfer);
}

/**
 * Runs `handle` and sends what it posts in one message (a {@link WorkerPost} array when there
 * are several): the main thread handles them in one task, so the element renders once, and
 * draws one frame, for them. Posted one by one, the `digit` and the end-of-speech `status` of the
 * audio block that ends a word came as two tasks, often with a frame drawn between them. In
 * `npm run bench`'s 40 s of listening (24 words) the element rendered 113 times, 97 with this;
 * main-thread CPU time 8.7 → 8.1 ms/s (medians of 11 runs alternating with the build before),
 * the bench's busy time 12.3 → 11.4 ms/s (medians of 14), on a VM then 2.1× slower than for the
 * README's figures (Node inference 1.47 ms, not 0.69).
 */
function postTogether(handle: () => void): void {
  together = { messages: [], transfer: [] };
  try {
    handle();
  } finally {
    const { messages, transfer } = together;
    together = null;
    if (messages.length > 0) self.postMessage(messages.length === 1 ? messages[0] : messages, transfer);
  }
}

function onAudio(message: WorkletToWorker): void {
  if (!recognizer) return;
  // The block's last sample was captured no later than now: the earliest arrival, less the
  // audio before it, is the best estimate of when the stream started (delivery only adds delay).
  streamSamples += message.samples.length;
  streamOriginAt = Math.min(streamOriginAt, performance.timeOrigin + performance.now() - (1000 * streamSamples) / recognizer.pipeline.inputSampleRate);
  postTogether(() => hear(message.samples));
}

/** Recognizes one block of the stream and posts what it found, its take, and the status. */
function hear(samples: Float32Array): void {
  if (!recognizer) return;
  try {
    takeRecorder?.push(samples);
    const step = recognizer.push(samples);
    postResults(step);
    if (takeRecorder) postTakes(step, takeRecorder);
    peakDb = Math.max(peakDb, step.levelDb);
    const now = performance.now();
    meter?.update(step.levelDb, step.inSpeech, now);
    const speechChanged = step.inSpeech !== lastSpeech;
    if (speechChanged || now - lastStatus >= STATUS_INTERVAL_MS) {
      // Each interval's peak level; posted only when it moved enough to show, and with a meter
      // drawn here only when the speech flag changes.
      if (speechChanged || (!meter && Math.abs(peakDb - lastPostedDb) >= STATUS_MIN_CHANGE_DB)) {
        post({ type: 'status', levelDb: peakDb, inSpeech: step.inSpeech });
        lastPostedDb = peakDb;
      }
      lastStatus = now;
      lastSpeech = step.inSpeech;
      peakDb = -120;
    }
  } catch (error) {
    post({ type: 'error', code: 'pipeline-failed', message: (error as Error).message });
  }
}

function postResults(step: RecognizerStep): void {
  for (const d of step.detections) post({ type: 'digit', result: { ...d, streamOriginAt } });
  for (const r of step.rejected) post({ type: 'rejected', label: r.label, confidence: r.confidence });
}

/**
 * The painter of the meter the page handed over, or null: none handed, or the browser cannot
 * draw it here (no 2D context in a worker) — the level is posted then, and the canvas stays
 * empty.
 */
function startMeter(target: LevelMeterTarget | undefined): LevelMeterPainter | null {
  if (!target) return null;
  try {
    return new LevelMeterPainter(target);
  } catch {
    return null;
  }
}

/**
 * One untimed pass of each model over synthetic input while loading, as the first word will run
 * them (the word decision, the string reader's two-step encoder pass and its head): the first
 * word then pays no first-call set-up (tensor memory, JIT) while the page draws its first digit.
 */
function warmUp(word: DigitClassifier, strings: StringModel | null): void {
  measureInference(word, 1, 0);
  measureEncoderStep(word.encoder, 1, 2, 0);
  if (strings) strings.posteriors(new Float32Array((2 * strings.contextSteps + 2) * word.encoder.embeddingSize));
}

/** A recognizer over the loaded models. @throws Error if no model is loaded */
function newRecognizer(sampleRate: number, settings: StreamSettings): StreamingRecognizer {
  if (!classifier) throw new Error('no model loaded');
  return new StreamingRecognizer({ word: classifier, strings: stringModel }, sampleRate, settings);
}

/** Posts each utterance window of `step` as a recording. */
function postTakes(step: RecognizerStep, recorder: TakeRecorder): void {
  for (const w of step.windows) {
    const samples = recorder.extract(w.startMs - TAKE_MARGIN_MS, w.endMs + TAKE_MARGIN_MS);
    if (samples) post({ type: 'take', samples, sampleRate: recorder.sampleRate, startMs: w.startMs, endMs: w.endMs }, [samples.buffer]);
  }
}

/** A fresh recognizer for a new stream (at start, and after a flush). */
function newStream(config: { sampleRate: number; settings: StreamSettings }): void {
  recognizer = newRecognizer(config.sampleRate, config.settings);
  takeRecorder = recordTakes ? new TakeRecorder(config.sampleRate) : null;
  streamConfig = config;
  streamSamples = 0;
  streamOriginAt = Number.POSITIVE_INFINITY;
  lastSpeech = false;
  lastPostedDb = -120;
}

/** Ends the current stream (reporting the utterance in progress) and starts a fresh one. */
function flush(): void {
  postTogether(flushStream);
}

function flushStream(): void {
  if (!recognizer || !streamConfig) return;
  try {
    const wasSpeech = lastSpeech;
    postResults(recognizer.flush());
    newStream(streamConfig);
    if (wasSpeech) post({ type: 'status', levelDb: -120, inSpeech: false });
  } catch (error) {
    post({ type: 'error', code: 'pipeline-failed', message: (error as Error).message });
  }
}

/** Times `runs` classifications and encoder steps (see `inference-timing.ts`) and posts the figures. */
function postInferenceTiming(runs: number): void {
  if (!classifier) {
    post({ type: 'error', code: 'model-failed', message: 'no model loaded' });
    return;
  }
  post({
    type: 'inference-timing',
    ...measureInference(classifier, runs),
    encoderStep: measureEncoderStep(classifier.encoder, runs),
    readerEncoderStep: measureEncoderStep(classifier.encoder, runs, DEFAULT_STRING_READER_CONFIG.hopSteps),
    simd: backendInfo?.simd ?? false,
    threads: backendInfo?.threads ?? false,
  });
}

/**
 * Recognizes a whole recording with a recognizer of its own (the live stream goes on) and posts
 * `recognized`, or an `error` carrying the call's id.
 */
function recognizeRecording(message: Extract<MainToWorker, { type: 'recognize' }>): void {
  try {
    const one = newRecognizer(message.sampleRate, message.settings);
    const digits: DigitResult[] = [];
    const rejected: RejectedSpeech[] = [];
    for (const step of [one.push(message.samples), one.flush()]) {
      for (const d of step.detections) digits.push({ ...d, streamOriginAt: 0 });
      for (const r of step.rejected) rejected.push({ label: r.label, confidence: r.confidence });
    }
    post({ type: 'recognized', id: message.id, digits, rejected });
  } catch (error) {
    post({ type: 'error', code: 'pipeline-failed', message: (error as Error).message, id: message.id });
  }
}

/**
 * A tfjs load handler for a model: its URL, with each weight file fetched from the URL a bundler
 * gave it when `weights` maps it (else beside model.json).
 */
function modelHandler(location: ModelLocation): tf.io.IOHandler | string {
  const { url, weights } = location;
  if (!weights) return url;
  return tf.io.http(url, { weightUrlConverter: (file) => Promise.resolve(weights[file] ?? new URL(file, url).href) });
}

/** The heads' encoder, from the given location (the shipped encoder), loaded once for both heads. */
function encoderSource(location: ModelLocation): SharedEncoders {
  return sharedEncoders(
    () => location.url,
    (url) => SpeechEncoder.load(modelHandler(location), url),
  );
}

/**
 * The string model: the given one, or (`'beside'`) `strings/model.json` beside the word model. A
 * folder without one (a custom word model) reads runs of speech word by word.
 *
 * @throws ModelLoadError naming the URL when the string model is there but cannot be used
 */
async function loadStringModel(location: ModelLocation | 'beside', wordUrl: string, encoders: EncoderSource): Promise<StringModel | null> {
  if (location !== 'beside') return StringModel.load(modelHandler(location), encoders, location.url);
  const url = new URL('strings/model.json', new URL(wordUrl, self.location.href)).href;
  // GET, not HEAD: the service worker's precache answers GETs only (offline). A missing file is
  // a 404, or — from a server with a single-page-app fallback (vite preview, many static hosts)
  // — a 200 with the HTML page: both mean no string model.
  let present = false;
  try {
    const response = await fetch(url);
    present = response.ok && !/html/i.test(response.headers.get('content-type') ?? '') && !(await response.text()).trimStart().startsWith('<');
  } catch {
    // Unreachable (offline and not cached): no string model.
  }
  return present ? StringModel.load(url, encoders) : null;
}

/**
 * Why tfjs could not fetch its wasm, if that is why it failed: the first binary it may ask for
 * that does not answer with a wasm file, named by its URL ("… answered 404").
 */
async function wasmProblem(paths: Record<string, string>, threads: boolean): Promise<string> {
  for (const [file, url] of Object.entries(paths)) {
    if (!threads && file.includes('threaded')) continue;
    try {
      const response = await fetch(url);
      if (!response.ok) return `${url} answered ${response.status}`;
      const magic = new Uint8Array(await response.arrayBuffer(), 0, 4);
      if (magic.join() !== '0,97,115,109') return `${url} is not a wasm file (${response.headers.get('content-type') ?? 'no content type'})`;
    } catch (error) {
      return `${url} could not be fetched (${(error as Error).message})`;
    }
  }
  return '';
}

function stop(): void {
  audioPort?.close();
  audioPort = null;
  meter?.clear();
  meter = null;
  recognizer = null;
  streamConfig = null;
}

self.onmessage = async (event: MessageEvent<MainToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'init': {
      let info;
      try {
        info = await initWasmBackend(message.wasmPaths, { threads: message.threads ?? false });
      } catch (error) {
        const problem = await wasmProblem(message.wasmPaths, message.threads ?? false);
        post({ type: 'error', code: 'backend-failed', message: `the wasm backend could not start: ${(error as Error).message}${problem ? ` (${problem})` : ''}` });
        return;
      }
      try {
        classifier?.dispose();
        classifier = null;
        stringModel?.dispose();
        stringModel = null;
        encoder?.dispose();
        encoder = null;
        const { word, strings } = message.models;
        const encoders = encoderSource(message.models.encoder);
        try {
          classifier = await DigitClassifier.load(modelHandler(word), encoders, word.url);
          encoder = classifier.encoder;
          stringModel = await loadStringModel(strings, word.url, encoders);
        } finally {
          // An encoder loaded for a head that failed is no one's: release it.
          for (const loaded of await encoders.loaded()) if (loaded !== encoder) loaded.dispose();
        }
        pipelineConfigFor({ word: classifier, strings: stringModel }); // one frontend feeds both
        anchors = await loadAnchors(message.models.anchors, word.url, classifier);
        warmUp(classifier, stringModel);
      } catch (error) {
        post({ type: 'error', code: 'model-failed', message: (error as Error).message });
        return;
      }
      backendInfo = info;
      post({ type: 'ready', ...info, strings: stringModel !== null });
      return;
    }
    case 'start': {
      stop();
      if (!classifier) {
        post({ type: 'error', code: 'model-failed', message: 'no model loaded' });
        return;
      }
      try {
        newStream({ sampleRate: message.sampleRate, settings: message.settings });
      } catch (error) {
        post({ type: 'error', code: 'pipeline-failed', message: (error as Error).message });
        return;
      }
      meter = startMeter(message.meter);
      audioPort = message.port;
      audioPort.onmessage = (e: MessageEvent<WorkletToWorker>) => onAudio(e.data);
      return;
    }
    case 'configure':
      try {
        if (recognizer) recognizer.confidenceThreshold = message.settings.confidenceThreshold;
        if (streamConfig) streamConfig = { ...streamConfig, settings: message.settings };
      } catch (error) {
        post({ type: 'error', code: 'pipeline-failed', message: (error as Error).message });
      }
      return;
    case 'flush':
      flush();
      return;
    case 'recognize':
      recognizeRecording(message);
      return;
    case 'enroll':
      if (!classifier) return post({ type: 'error', code: 'model-failed', message: 'no model loaded', id: message.id });
      try {
        post(enroll(message, { word: classifier, strings: stringModel }, anchors));
      } catch (error) {
        post({ type: 'error', code: 'enrollment-failed', message: (error as Error).message, id: message.id });
      }
      return;
    case 'record-takes':
      recordTakes = message.on;
      takeRecorder = recordTakes && streamConfig ? new TakeRecorder(streamConfig.sampleRate, streamSamples) : null;
      return;
    case 'use-profile':
      if (!classifier) return post({ type: 'error', code: 'model-failed', message: 'no model loaded', id: message.id });
      try {
        classifier.adaptedHead = message.profile ? readProfile(JSON.stringify(message.profile), 'the profile given', classifier) : null;
        post({ type: 'profile-set', id: message.id, model: message.profile?.model ?? null });
      } catch (error) {
        post({ type: 'error', code: 'profile-refused', message: (error as Error).message, id: message.id });
      }
      return;
    case 'stop':
      stop();
      return;
    case 'measure-inference':
      postInferenceTiming(message.runs);
      return;
    default:
      unreachable(message);
  }
};

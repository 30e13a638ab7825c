/**
 * Recognizer Web Worker: receives device-rate audio straight from the capture worklet and runs
 * the whole streaming path off the main thread — resampling, log-mel, VAD gate and the CNN on
 * tfjs wasm (SIMD) — then posts digits and a throttled level/speech status to the main thread.
 */
import '@tensorflow/tfjs-backend-wasm';
import type { MainToWorker, WorkerToMain, WorkletToWorker } from '../capture/messages';
import { initWasmBackend } from '../model/backend';
import { DigitClassifier } from '../model/classifier';
import { StreamingRecognizer } from '../pipeline/recognizer';

declare const self: DedicatedWorkerGlobalScope;

/** Minimum interval between status messages, ms (the level meter needs ~20 updates/s). */
const STATUS_INTERVAL_MS = 50;

let classifier: DigitClassifier | null = null;
let recognizer: StreamingRecognizer | null = null;
let audioPort: MessagePort | null = null;
let lastStatus = 0;
let lastSpeech = false;
let peakDb = -120;

function post(message: WorkerToMain): void {
  self.postMessage(message);
}

function onAudio(message: WorkletToWorker): void {
  if (!recognizer) return;
  try {
    const step = recognizer.push(message.samples);
    for (const d of step.detections) post({ type: 'digit', result: { ...d } });
    for (const r of step.rejected) post({ type: 'rejected', label: r.label, confidence: r.confidence });
    peakDb = Math.max(peakDb, step.levelDb);
    const now = performance.now();
    if (step.inSpeech !== lastSpeech || now - lastStatus >= STATUS_INTERVAL_MS) {
      post({ type: 'status', levelDb: peakDb, inSpeech: step.inSpeech });
      lastStatus = now;
      lastSpeech = step.inSpeech;
      peakDb = -120;
    }
  } catch (error) {
    post({ type: 'error', code: 'pipeline-failed', message: (error as Error).message });
  }
}

function stop(): void {
  audioPort?.close();
  audioPort = null;
  recognizer = null;
}

self.onmessage = async (event: MessageEvent<MainToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'init': {
      let info;
      try {
        info = await initWasmBackend(message.wasmPaths);
      } catch (error) {
        post({ type: 'error', code: 'backend-failed', message: `the wasm backend could not start: ${(error as Error).message}` });
        return;
      }
      try {
        classifier?.dispose();
        classifier = await DigitClassifier.load(message.modelUrl);
      } catch (error) {
        post({ type: 'error', code: 'model-failed', message: (error as Error).message });
        return;
      }
      post({ type: 'ready', ...info });
      return;
    }
    case 'start': {
      stop();
      if (!classifier) {
        post({ type: 'error', code: 'model-failed', message: 'no model loaded' });
        return;
      }
      try {
        recognizer = new StreamingRecognizer(classifier, message.sampleRate, { confidenceThreshold: message.confidenceThreshold });
      } catch (error) {
        post({ type: 'error', code: 'pipeline-failed', message: (error as Error).message });
        return;
      }
      audioPort = message.port;
      audioPort.onmessage = (e: MessageEvent<WorkletToWorker>) => onAudio(e.data);
      lastSpeech = false;
      return;
    }
    case 'stop':
      stop();
      return;
  }
};

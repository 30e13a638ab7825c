import '@tensorflow/tfjs-backend-wasm';
import { readdirSync, readFileSync } from 'node:fs';
import { initWasmBackend } from '../src/model/backend';
import { DigitClassifier } from '../src/model/classifier';
import { StringModel } from '../src/model/string-model';
import { fileSystemModel } from '../src/model/node-io';
import { decodeWav } from '../src/audio/wav';
import { StreamingRecognizer } from '../src/pipeline/recognizer';
await initWasmBackend();
const word = await DigitClassifier.load(fileSystemModel('models/default'), 'models/default');
const strings = await StringModel.load(fileSystemModel(process.argv[2]), process.argv[2]);
const pad = Number(process.argv[3]);
const dir = '.cache/synth/heldout/strings';
const files = readdirSync(dir).filter((f) => f.endsWith('.wav'));
let exact = 0, firstLost = 0, n = 0;
for (const f of files) {
  const truth = f.split('_')[1];
  const w = decodeWav(new Uint8Array(readFileSync(`${dir}/${f}`)), f);
  const lead = Math.round(pad * w.sampleRate);
  const s = new Float32Array(lead + w.samples.length + w.sampleRate); s.set(w.samples, lead);
  const r = new StreamingRecognizer({ word, strings }, w.sampleRate, { confidenceThreshold: 0.5 });
  const d = [...r.push(s).detections, ...r.flush().detections];
  const got = d.map((x) => x.digit).join('');
  n++; if (got === truth) exact++; else if (got === truth.slice(1)) firstLost++;
}
console.log(`pad ${pad}: exact ${exact}/${n}, only first digit lost ${firstLost}`);

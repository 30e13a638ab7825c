import '@tensorflow/tfjs-backend-wasm';
import { readdirSync } from 'node:fs';
import { initWasmBackend } from '../src/model/backend';
import { DigitClassifier } from '../src/model/classifier';
import { StringModel } from '../src/model/string-model';
import { fileSystemModel } from '../src/model/node-io';
import { recognizeFile } from '../src/cli/recognize-file';
await initWasmBackend();
const word = await DigitClassifier.load(fileSystemModel('models/default'), 'models/default');
const strings = await StringModel.load(fileSystemModel(process.argv[2]), process.argv[2]);
const dir = process.argv[3] ?? '.cache/synth/heldout/strings';
const files = readdirSync(dir).filter((f) => f.endsWith('.wav')).filter((_, i) => i % 4 === 0);
for (const f of files) {
  const truth = f.startsWith('glued') ? f.split('_')[2] : f.split('_')[1];
  const d = await recognizeFile(`${dir}/${f}`, { word, strings }, { confidenceThreshold: 0 });
  const got = d.filter((x) => x.confidence >= 0.5).map((x) => x.digit).join('');
  if (got !== truth) console.log(truth.padEnd(12), got.padEnd(14), d.map((x) => `${x.digit}${x.source[0]}${x.confidence.toFixed(2)}`).join(' '), f);
}

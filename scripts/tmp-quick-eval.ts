import '@tensorflow/tfjs-backend-wasm';
import { initWasmBackend } from '../src/model/backend';
import { DigitClassifier } from '../src/model/classifier';
import { StringModel } from '../src/model/string-model';
import { fileSystemModel } from '../src/model/node-io';
import { recognizeSet } from '../training/eval/suite';
import { synthSpeechSets, synthSets } from '../training/eval/sets';
import { speechCommandsSets } from '../training/eval/speech-commands-sets';
import { gluedFsddSet, gluedSpeechCommandsSet } from '../training/eval/glued-strings';
await initWasmBackend();
const stringsDir = process.argv[2];
const word = await DigitClassifier.load(fileSystemModel('models/default'), 'models/default');
const strings = stringsDir === 'none' ? null : await StringModel.load(fileSystemModel(stringsDir), stringsDir);
const models = { word, strings };
const only = (process.argv[3] ?? '').split(',');
const sc = speechCommandsSets('../shared/datasets/speech-commands');
const sets = [
  ...synthSpeechSets('.cache/synth'),
  gluedFsddSet('../shared/datasets/fsdd/recordings', '.cache/eval'),
  gluedSpeechCommandsSet('../shared/datasets/speech-commands', '.cache/eval'),
  sc[0], sc[1],
  ...synthSets('.cache/synth'),
].filter((s) => only[0] === '' || only.some((o) => s.name.includes(o)));
for (const set of sets) {
  const t0 = performance.now();
  const s = await recognizeSet(set, models, 0.5);
  const x = s as any;
  console.log(set.name, set.files.length, 'acc', x.accuracy?.toFixed(4), 'fa', x.falseAcceptRate?.toFixed(4), 'per10', x.falseDigitsPer10Min?.toFixed(1), 'exact', x.strings?.exactStringRate?.toFixed(4), 'DER', x.strings?.digitErrorRate?.toFixed(4), JSON.stringify(x.stringsByLength?.map((b: any) => [b.lengths, b.files, +b.exactStringRate.toFixed(3), +b.digitErrorRate.toFixed(3)])), ((performance.now()-t0)/1000).toFixed(0)+'s');
}

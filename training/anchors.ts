/**
 * `npm run anchors [-- --model DIR --speech-commands DIR --count N]`: the general examples a
 * voice profile is fitted with besides the person's takes (`src/adaptation/enroll.ts`). Without
 * them the refitted head only ever sees digits and forgets to say "not a digit": on 150 held-out
 * synthetic non-digit words, false accepts rose from 25.7 % to 86.8 % after one voice's
 * enrollment. With them it keeps rejecting.
 *
 * They are the word model's embeddings of non-digit words said by Speech Commands speakers of
 * the training split (real voices, speaker-disjoint from every evaluation), `count` of them spread
 * over the words, written to `DIR/anchors.json` beside the model they belong to (its fingerprint
 * inside).
 */
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeAnchors } from '../src/adaptation/anchors';
import { wordWindow } from '../src/adaptation/enroll';
import { decodeWav } from '../src/audio/wav';
import { DEFAULT_MODEL_DIR } from '../src/cli/paths';
import { initWasmBackend } from '../src/model/backend';
import { DigitClassifier } from '../src/model/classifier';
import { fileSystemModel } from '../src/model/node-io';
import { DEFAULT_SPEECH_COMMANDS_DIR, listSpeechCommands } from './speech-commands';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: DEFAULT_MODEL_DIR },
    'speech-commands': { type: 'string', default: DEFAULT_SPEECH_COMMANDS_DIR },
    count: { type: 'string', default: '64' },
  },
});
const count = Number(values.count);
await initWasmBackend();
const classifier = await DigitClassifier.load(fileSystemModel(values.model), values.model);
const pool = listSpeechCommands(values['speech-commands']).filter((c) => c.split === 'train' && c.kind === 'word' && c.digit < 0);
if (pool.length < count) throw new Error(`only ${pool.length} non-digit words of training-split speakers in ${values['speech-commands']} (--speech-commands DIR); ${count} needed`);
// Every k-th clip of the sorted list: spread over the words and speakers, the same every run.
const step = Math.floor(pool.length / count);
const embeddings: Float32Array[] = [];
for (let i = 0; embeddings.length < count && i < pool.length; i++) {
  // Clips 0, step, 2·step, …, then 1, step + 1, … if some had no speech.
  const clip = pool[((i % count) * step + Math.floor(i / count)) % pool.length];
  const audio = decodeWav(new Uint8Array(readFileSync(clip.path)), clip.path);
  const window = wordWindow(classifier, audio.samples, audio.sampleRate);
  if (window) embeddings.push(classifier.embed(window));
}
const out = join(values.model, 'anchors.json');
writeFileSync(out, `${JSON.stringify(makeAnchors(classifier, embeddings, `${count} non-digit words of Speech Commands v0.02 training-split speakers`))}\n`);
console.log(`wrote ${embeddings.length} anchors from ${pool.length} candidate clips to ${out}`);

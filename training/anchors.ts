/**
 * `npm run anchors [-- --model DIR --speech-commands DIR --data FSDD_DIR]`: the general examples a
 * voice profile is fitted with besides the person's takes (`src/adaptation/enroll.ts`). Without
 * them the refitted head only ever sees digits and forgets to say "not a digit": on 150 held-out
 * synthetic non-digit words, false accepts rose from 25.7 % to 86.8 % after one voice's
 * enrollment, and other speakers' digits were read worse. With them it keeps rejecting, and
 * reads other people nearly as before (reports/eval/enrollment.md).
 *
 * They are the word model's embeddings of non-digit words and digits said by Speech Commands
 * speakers of the training split, and of FSDD training-split digits (`anchors-source.ts`), written to `DIR/anchors.json` beside the model they
 * belong to (its fingerprint inside).
 */
import '@tensorflow/tfjs-backend-wasm';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeAnchors } from '../src/adaptation/anchors';
import { DEFAULT_MODEL_DIR } from '../src/cli/paths';
import { initWasmBackend } from '../src/model/backend';
import { fileSystemEncoders } from '../src/cli/models';
import { DigitClassifier } from '../src/model/classifier';
import { fileSystemModel } from '../src/model/node-io';
import { ANCHOR_COUNT, DIGIT_ANCHORS_PER_DIGIT, FSDD_ANCHOR_INDICES, generalAnchors } from './anchors-source';
import { DEFAULT_FSDD_DIR } from './fsdd';
import { DEFAULT_SPEECH_COMMANDS_DIR } from './speech-commands';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: DEFAULT_MODEL_DIR },
    'speech-commands': { type: 'string', default: DEFAULT_SPEECH_COMMANDS_DIR },
    data: { type: 'string', default: DEFAULT_FSDD_DIR },
  },
});
await initWasmBackend();
const classifier = await DigitClassifier.load(fileSystemModel(values.model), fileSystemEncoders(), values.model);
const examples = generalAnchors(classifier, values['speech-commands'], values.data);
const out = join(values.model, 'anchors.json');
const source = `${ANCHOR_COUNT} non-digit words and up to ${DIGIT_ANCHORS_PER_DIGIT} of each digit, said by Speech Commands v0.02 training-split speakers; FSDD recordings ${FSDD_ANCHOR_INDICES.join(', ')} of each digit and speaker`;
writeFileSync(out, `${JSON.stringify(makeAnchors(classifier, examples, source))}\n`);
console.log(`wrote ${Object.values(examples).reduce((n, l) => n + l.length, 0)} anchors to ${out}`);

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DigitClassifier } from '../model/classifier';
import { SpeechEncoder } from '../model/encoder';
import { type EncoderSource, type SharedEncoders, sharedEncoders } from '../model/head-model';
import { fileSystemModel } from '../model/node-io';
import { StringModel } from '../model/string-model';
import type { RecognizerModels } from '../pipeline/recognizer';

/** Sub-folder of a model folder that holds its string model. */
export const STRING_MODEL_FOLDER = 'strings';

/** A head folder's `model.json` (a folder is read as its `model.json`). */
const modelJson = (path: string) => (path.endsWith('.json') ? path : join(path, 'model.json'));

/**
 * Loads encoders from the file system for heads: a head's encoder path is read relative to the
 * head's `model.json`, and each encoder file is loaded once (Node).
 */
export function fileSystemEncoders(): SharedEncoders {
  return sharedEncoders(
    (path, head) => resolve(dirname(modelJson(head)), path),
    (location) => SpeechEncoder.load(fileSystemModel(location), location),
  );
}

/**
 * Loads a model folder from the file system (Node): the word head `DIR/model.json`, the speech
 * encoder its metadata names (`../encoder/model.json` for the shipped heads) and, when the folder
 * has one, the CTC string head `DIR/strings/model.json` on the same encoder. Without a string
 * head, runs of speech are read word by word.
 *
 * @throws ModelLoadError naming the file that is missing, malformed or trained for other features
 */
export async function loadModels(dir: string, encoders: EncoderSource = fileSystemEncoders()): Promise<RecognizerModels> {
  const word = await DigitClassifier.load(fileSystemModel(dir), encoders, dir);
  const stringsDir = join(dir.endsWith('.json') ? join(dir, '..') : dir, STRING_MODEL_FOLDER);
  if (!existsSync(join(stringsDir, 'model.json'))) return { word, strings: null };
  try {
    return { word, strings: await StringModel.load(fileSystemModel(stringsDir), encoders, stringsDir) };
  } catch (error) {
    word.dispose();
    throw error;
  }
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DigitClassifier } from '../model/classifier';
import { fileSystemModel } from '../model/node-io';
import { StringModel } from '../model/string-model';
import type { RecognizerModels } from '../pipeline/recognizer';

/** Sub-folder of a model folder that holds its string model. */
export const STRING_MODEL_FOLDER = 'strings';

/**
 * Loads a model folder from the file system (Node): the word model `DIR/model.json` and, when
 * the folder has one, the CTC string model `DIR/strings/model.json`. Without a string model,
 * runs of speech are read word by word.
 *
 * @throws ModelLoadError naming the file that is missing, malformed or trained for other features
 */
export async function loadModels(dir: string): Promise<RecognizerModels> {
  const word = await DigitClassifier.load(fileSystemModel(dir), dir);
  const stringsDir = join(dir.endsWith('.json') ? join(dir, '..') : dir, STRING_MODEL_FOLDER);
  if (!existsSync(join(stringsDir, 'model.json'))) return { word, strings: null };
  try {
    return { word, strings: await StringModel.load(fileSystemModel(stringsDir), stringsDir) };
  } catch (error) {
    word.dispose();
    throw error;
  }
}

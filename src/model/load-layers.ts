import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelLoadError } from './metadata';
import { withWeightCheck } from './weights-check';

/**
 * Loads a tfjs layers model (word or string model) with its weights' size checked against its
 * manifest; every failure becomes a {@link ModelLoadError} naming `sourceName`.
 *
 * @param source URL (browser) or `tf.io.IOHandler` (Node: `node-io.ts`)
 * @throws ModelLoadError if the files are missing, malformed or the weights do not match
 */
export async function loadLayersModelNamed(source: string | tf.io.IOHandler, sourceName: string): Promise<tfl.LayersModel> {
  try {
    return await tfl.loadLayersModel(withWeightCheck(source, sourceName));
  } catch (error) {
    if (error instanceof ModelLoadError) throw error;
    throw new ModelLoadError(sourceName, (error as Error).message ?? String(error), { cause: error });
  }
}

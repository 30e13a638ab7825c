/**
 * Loading a head: the small model (word or string) that reads the speech encoder's embeddings,
 * with the encoder its metadata names. Both heads share one encoder: an {@link EncoderSource}
 * loads each encoder location once.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { SpeechEncoder } from './encoder';
import { loadLayersModelNamed } from './load-layers';
import { checkModelMetadata, configDifferences, ModelLoadError, type EncoderLink } from './metadata';

/**
 * Gives the encoder a head names: `link.path` is relative to the head's own `model.json`
 * (`headSource`). Resolves to the loaded encoder; rejects with a {@link ModelLoadError} naming it.
 */
export type EncoderSource = (link: EncoderLink, headSource: string) => Promise<SpeechEncoder>;

/** An {@link EncoderSource} that keeps what it loaded. */
export type SharedEncoders = EncoderSource & {
  /** Every encoder loaded so far (to dispose them). */
  loaded(): Promise<SpeechEncoder[]>;
};

/**
 * An {@link EncoderSource} that resolves a head's encoder path against the head's location and
 * loads each resolved location once (the word and string heads share it).
 *
 * @param resolve the encoder's location from the head's (`new URL(path, head)`, or a file path)
 * @param open loads an encoder from a location
 */
export function sharedEncoders(resolve: (path: string, headSource: string) => string, open: (location: string) => Promise<SpeechEncoder>): SharedEncoders {
  const loading = new Map<string, Promise<SpeechEncoder>>();
  const source = (link: EncoderLink, headSource: string) => {
    const location = resolve(link.path, headSource);
    let encoder = loading.get(location);
    if (!encoder) {
      encoder = open(location);
      loading.set(location, encoder);
    }
    return encoder;
  };
  return Object.assign(source, {
    loaded: async () => (await Promise.allSettled(loading.values())).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
  });
}

/**
 * A head's layers model and its encoder, checked against each other: the fingerprint in the
 * head's metadata is the encoder's, and the head's frontend is the encoder's.
 *
 * @throws ModelLoadError naming the head when its files are unusable, it names no encoder, or
 *   names another one than the encoder found
 */
export async function loadHeadModel(source: string | tf.io.IOHandler, sourceName: string, encoders: EncoderSource): Promise<{ model: tfl.LayersModel; encoder: SpeechEncoder }> {
  const model = await loadLayersModelNamed(source, sourceName);
  try {
    const metadata = checkModelMetadata(model.getUserDefinedMetadata(), sourceName);
    const encoder = await encoders(metadata.encoder, sourceName);
    if (encoder.fingerprint !== metadata.encoder.fingerprint) {
      throw new ModelLoadError(
        sourceName,
        `it was trained on encoder ${metadata.encoder.fingerprint}, but ${encoder.source} is encoder ${encoder.fingerprint}: train the head again, or give it its own encoder`,
      );
    }
    const wrong = configDifferences(metadata.frontend, encoder.metadata.frontend, 'head', 'encoder');
    if (wrong.length > 0) throw new ModelLoadError(sourceName, `its frontend is not its encoder's (${wrong.join('; ')})`);
    return { model, encoder };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

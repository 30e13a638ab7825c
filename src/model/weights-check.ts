import * as tf from '@tensorflow/tfjs-core';
import { ModelLoadError } from './metadata';

/** Bytes per value as stored in the weights file, for the dtypes a layers model uses; null if variable (strings). */
function storedBytesPerValue(spec: tf.io.WeightsManifestEntry): number | null {
  if (spec.quantization) return spec.quantization.dtype === 'uint8' ? 1 : 2; // uint16 and float16: 2
  switch (spec.dtype) {
    case 'bool':
      return 1;
    case 'complex64':
      return 8;
    case 'string':
      return null;
    default:
      return 4; // float32, int32
  }
}

/**
 * Checks that the weights tfjs read hold exactly the bytes the model.json manifest describes, so
 * a truncated (or wrong) weights file is reported as such instead of as a tensor-shape error
 * deep inside tfjs.
 *
 * @param artifacts what a tfjs `IOHandler.load()` returned
 * @param source the model's URL or path, for the message
 * @throws ModelLoadError `"model could not be loaded from <source>: weights are N bytes but the
 *   manifest in model.json describes M bytes (a truncated or wrong weights file)"`
 */
export function checkWeightBytes(artifacts: tf.io.ModelArtifacts, source: string): void {
  const { weightSpecs, weightData } = artifacts;
  if (!weightSpecs || weightData === undefined) return; // streamed or absent: tfjs reports it
  let expected = 0;
  for (const spec of weightSpecs) {
    const bytes = storedBytesPerValue(spec);
    if (bytes === null) return;
    expected += bytes * spec.shape.reduce((a, b) => a * b, 1);
  }
  const buffers = Array.isArray(weightData) ? weightData : [weightData];
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  if (total !== expected) {
    throw new ModelLoadError(source, `weights are ${total} bytes but the manifest in model.json describes ${expected} bytes (a truncated or wrong weights file)`);
  }
}

/**
 * The load handler tfjs would use for `source` (e.g. its HTTP loader for a URL), with
 * {@link checkWeightBytes} applied to what it loads. Sources tfjs finds no single handler for
 * are returned unchanged (tfjs then reports them).
 *
 * @param source model.json URL, or an `IOHandler`
 * @param sourceName names the model in errors
 */
export function withWeightCheck(source: string | tf.io.IOHandler, sourceName: string): string | tf.io.IOHandler {
  let handler: tf.io.IOHandler | undefined;
  if (typeof source === 'string') {
    const handlers = tf.io.getLoadHandlers(source);
    if (handlers.length !== 1) return source;
    handler = handlers[0];
  } else {
    handler = source;
  }
  const load = handler?.load?.bind(handler);
  if (!load) return source;
  return {
    async load() {
      const artifacts = await load();
      checkWeightBytes(artifacts, sourceName);
      return artifacts;
    },
  };
}

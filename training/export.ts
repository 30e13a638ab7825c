import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { EncoderMetadata } from '../src/model/encoder';
import type { ModelMetadata } from '../src/model/metadata';
import { quantizeWeights } from './quantize';

/** File name of the single weights shard. */
export const WEIGHTS_FILE = 'weights.bin';

/**
 * Saves a trained model as `dir/model.json` + `dir/weights.bin` with uint8-quantized weights
 * (a `quantization` entry per weight in the manifest; tfjs dequantizes on load) and the
 * digit-listener metadata in `userDefinedMetadata.digitListener`.
 *
 * @param keepFloat weights left float32 (see `quantizeWeights`)
 * @returns sizes of the float32 weights and of the file written (uint8 but the kept ones), bytes
 */
export async function exportQuantizedModel(
  model: tf.LayersModel,
  dir: string,
  metadata: ModelMetadata | EncoderMetadata,
  keepFloat?: Parameters<typeof quantizeWeights>[2],
): Promise<{ float32: number; uint8: number }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((a) => {
      artifacts = a;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  if (!artifacts?.weightSpecs || !artifacts.weightData) throw new Error('exportQuantizedModel: tfjs returned no weights');
  const weightData = artifacts.weightData instanceof ArrayBuffer ? artifacts.weightData : tf.io.concatenateArrayBuffers(artifacts.weightData);
  const { specs, data } = quantizeWeights(artifacts.weightSpecs, weightData, keepFloat);
  mkdirSync(dir, { recursive: true });
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: 'digit-listener training/export.ts (uint8 quantization)',
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
    userDefinedMetadata: metadata.format === 'digit-listener-encoder' ? { digitListenerEncoder: metadata } : { digitListener: metadata },
  };
  writeFileSync(join(dir, 'model.json'), `${JSON.stringify(modelJson)}\n`);
  writeFileSync(join(dir, WEIGHTS_FILE), data);
  return { float32: weightData.byteLength, uint8: data.byteLength };
}

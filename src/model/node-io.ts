import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { ModelLoadError } from './metadata';

interface ModelJson {
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  userDefinedMetadata?: tf.io.ModelArtifacts['userDefinedMetadata'];
}

/**
 * A tfjs `IOHandler` that reads `model.json` and its weight shards from the file system
 * (plain `@tensorflow/tfjs` has no `file://` loader in Node). Node only.
 *
 * @param modelJsonPath path to model.json (or to the folder holding it)
 * @throws ModelLoadError from `load()` naming the file that is missing or malformed
 */
export function fileSystemModel(modelJsonPath: string): tf.io.IOHandler {
  const path = modelJsonPath.endsWith('.json') ? modelJsonPath : join(modelJsonPath, 'model.json');
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      let json: ModelJson;
      try {
        json = JSON.parse(await readFile(path, 'utf8')) as ModelJson;
      } catch (error) {
        throw new ModelLoadError(path, (error as Error).message, { cause: error });
      }
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
        throw new ModelLoadError(path, 'not a tfjs layers model.json (modelTopology/weightsManifest missing)');
      }
      const weightSpecs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const shard of group.paths) {
          const shardPath = resolve(dirname(path), shard);
          try {
            buffers.push(new Uint8Array(await readFile(shardPath)));
          } catch (error) {
            throw new ModelLoadError(path, `weights file ${shardPath} could not be read: ${(error as Error).message}`, { cause: error });
          }
        }
      }
      // Sizes are checked against the manifest by DigitClassifier.load (weights-check.ts).
      const total = buffers.reduce((n, b) => n + b.length, 0);
      const weightData = new Uint8Array(total);
      let offset = 0;
      for (const b of buffers) {
        weightData.set(b, offset);
        offset += b.length;
      }
      return {
        modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
        weightSpecs,
        weightData: weightData.buffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        userDefinedMetadata: json.userDefinedMetadata,
      };
    },
  };
}

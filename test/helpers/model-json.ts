import { readFileSync } from 'node:fs';

/** The parts of a tfjs model.json (with our metadata) that the tests read or edit. */
export interface ModelJson {
  modelTopology: { config: { layers: { config: { batch_input_shape?: (number | null)[] } }[] } };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; quantization?: { dtype: string } }[] }[];
  userDefinedMetadata: {
    digitListener: { version: number; labels: string[]; frontend: Record<string, number | string>; window: Record<string, number>; encoder: { path: string; fingerprint: string } };
  };
}

/** Reads and parses a model.json. */
export function readModelJson(path: string): ModelJson {
  return JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
}

import { readFileSync } from 'node:fs';

/** The parts of a tfjs model.json (with our metadata) that the tests read or edit. */
export interface ModelJson {
  modelTopology: { config: { layers: { config: { batch_input_shape?: (number | null)[] } }[] } };
  weightsManifest: { paths: string[]; weights: { name: string; quantization?: { dtype: string } }[] }[];
  userDefinedMetadata: {
    digitListener: { labels: string[]; frontend: Record<string, number>; window: Record<string, number> };
  };
}

/** Reads and parses a model.json. */
export function readModelJson(path: string): ModelJson {
  return JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
}

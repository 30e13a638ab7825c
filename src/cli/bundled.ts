/**
 * Entry of the compiled CLI, `lib/cli.js` (vite.cli.config.ts): the same command line as
 * ./main.ts, with tfjs, wavefile and fft.js bundled in, so the installed package needs neither
 * tsx nor any dependency at run time. It uses what the package build puts beside it in `lib/`:
 * the shipped models in `lib/models/default/` and tfjs' wasm binaries in `lib/wasm/` (once
 * bundled, tfjs can no longer find them beside its own files).
 */
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAsProcess } from './cli';

// Not `new URL(…, import.meta.url)`: Vite would take that for an asset to bundle.
const LIB_DIR = dirname(fileURLToPath(import.meta.url));
const WASM_DIR = join(LIB_DIR, 'wasm') + sep;
const MODEL_DIR = join(LIB_DIR, 'models', 'default');
const missing = [join(WASM_DIR, 'tfjs-backend-wasm.wasm'), join(MODEL_DIR, 'model.json')].filter((path) => !existsSync(path));
if (missing.length > 0) {
  process.stderr.write(
    `digit-listener: the package is incomplete, ${missing.join(' and ')} missing; reinstall digit-listener (in a checkout, \`npm run build:lib\` builds lib/)\n`,
  );
  process.exitCode = 2;
} else {
  runAsProcess({ modelDir: MODEL_DIR, wasmDir: WASM_DIR });
}

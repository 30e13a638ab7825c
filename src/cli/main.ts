/**
 * The CLI from the repository's sources (`npm run cli`, run by tsx; also what
 * `bin/digit-listener.js` runs inside a checkout): the models of `models/default/`, and tfjs'
 * wasm binaries from its own package in `node_modules`. The published package runs the same code
 * compiled, from `lib/cli.js` (./bundled.ts).
 */
import { runAsProcess } from './cli';
import { DEFAULT_MODEL_DIR } from './paths';

runAsProcess({ modelDir: DEFAULT_MODEL_DIR });

#!/usr/bin/env node
// The `digit-listener` command.
//
// The published package runs the compiled CLI, lib/cli.js (`npm run build:lib`: tfjs, wavefile
// and fft.js bundled in, so nothing else is installed and no TypeScript is compiled at run time).
// In a checkout of the repository — src/ beside this folder and tsx installed as a dev
// dependency — it runs the TypeScript sources instead (src/cli/main.ts, as `npm run cli` does),
// so the tests always exercise the code as it is now, never a lib/ built earlier.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../lib/cli.js', import.meta.url);

/** tsx's loader when it is installed (a checkout after `npm install`), else null. */
async function tsxLoader() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return null;
  }
}

const tsx = existsSync(source) ? await tsxLoader() : null;
if (tsx) {
  tsx.register();
  await import(source.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  process.stderr.write(
    `digit-listener: ${fileURLToPath(compiled)} is missing — in a checkout, run \`npm install\` (the CLI then runs from src/ with tsx) or \`npm run build:lib\`; an installed package ships it, so reinstall digit-listener\n`,
  );
  process.exitCode = 2;
}

/**
 * `digit-listener` command line: runs the product's streaming path (frontend, gate, model on
 * tfjs wasm) over WAV files.
 *
 *   digit-listener recognize [--json] [--model DIR] [--threshold P] FILE…
 *   digit-listener eval [--model DIR] [--threshold P] DIR
 *
 * Exit codes: 0 ok; 1 some file could not be read (the others are still processed);
 * 2 usage error or the model could not be loaded.
 *
 * Two entry points run it: `main.ts` from the repository's sources (`npm run cli`, tsx) and
 * `bundled.ts`, compiled to `lib/cli.js` for the package (`bin/digit-listener.js`).
 */
import '@tensorflow/tfjs-backend-wasm';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { initWasmBackend } from '../model/backend';
import { DEFAULT_CONFIDENCE_THRESHOLD, type DigitDetection, type RecognizerModels } from '../pipeline/recognizer';
import { loadModels } from './models';
import { recognizeFile } from './recognize-file';
import { atThreshold, detectSet, type EvalSet, labelledFolder, scoreSet } from './score';

const USAGE = `Usage:
  digit-listener recognize [--json] [--model DIR] [--threshold P] FILE...
      Prints each digit found in each WAV file with its confidence, start/end time and the model
      that read it (word: one word at a time; string: the string model, for digits said in one
      breath), then the digits as one string.
      --json       one JSON object per file per line: {"file", "string": "4172", "digits": [{digit, confidence, startMs, endMs, source}]}
  digit-listener eval [--model DIR] [--threshold P] DIR
      Accuracy over the WAV files in DIR named {digit}_*.wav (a file counts as correct when
      exactly one digit is found and it is the right one).
Options:
  --model DIR      model folder holding model.json, and the string model in DIR/strings/ if any (default: the shipped models)
  --threshold P    minimum confidence 0-1 for a digit to be reported (default ${DEFAULT_CONFIDENCE_THRESHOLD})
`;

function formatDetection(d: DigitDetection): string {
  return `${d.digit}  confidence ${d.confidence.toFixed(3)}  ${Math.round(d.startMs)}–${Math.round(d.endMs)} ms  (${d.source})`;
}

/** Where the running CLI finds what it ships with: the default model and tfjs' wasm binaries. */
export interface CliInstall {
  /** Model folder used when `--model` is not given (word model + `strings/`). */
  readonly modelDir: string;
  /**
   * Folder holding tfjs-backend-wasm's binaries, ending in a path separator. Omitted when running
   * from the repository's sources, where tfjs finds them in its own `node_modules` folder.
   */
  readonly wasmDir?: string;
}

/**
 * Runs one command line (`argv` without `node` and the script) and resolves with its exit code:
 * 0 ok, 1 some file unreadable, 2 usage error or model not loadable. Errors are written to
 * stderr, results to stdout; never throws for bad input.
 */
export async function runCli(argv: string[], install: CliInstall): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        model: { type: 'string', default: install.modelDir },
        threshold: { type: 'string', default: String(DEFAULT_CONFIDENCE_THRESHOLD) },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`digit-listener: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const confidenceThreshold = Number(values.threshold);
  if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
    process.stderr.write(`digit-listener: --threshold must be a number in [0, 1], got ${values.threshold}\n`);
    return 2;
  }
  if ((command !== 'recognize' && command !== 'eval') || rest.length === 0 || (command === 'eval' && rest.length !== 1)) {
    process.stderr.write(`digit-listener: ${command === 'recognize' || command === 'eval' ? 'missing argument' : `unknown command ${command}`}\n${USAGE}`);
    return 2;
  }

  try {
    await initWasmBackend(install.wasmDir);
  } catch (error) {
    // tfjs rejects with a plain { message } object when a binary cannot be loaded.
    const where = install.wasmDir ? ` from ${install.wasmDir}` : '';
    process.stderr.write(`digit-listener: the tfjs wasm backend could not start${where}: ${(error as { message?: string })?.message ?? String(error)}\n`);
    return 2;
  }
  let models: RecognizerModels;
  try {
    models = await loadModels(values.model);
  } catch (error) {
    process.stderr.write(`digit-listener: ${(error as Error).message}\n`);
    return 2;
  }

  if (command === 'recognize') {
    let failed = false;
    for (const file of rest) {
      try {
        const digits = await recognizeFile(file, models, { confidenceThreshold });
        if (values.json) {
          const out = digits.map((d) => ({ digit: d.digit, confidence: round(d.confidence, 4), startMs: Math.round(d.startMs), endMs: Math.round(d.endMs), source: d.source }));
          process.stdout.write(`${JSON.stringify({ file, string: digits.map((d) => d.digit).join(''), digits: out })}\n`);
        } else {
          const string = digits.length > 1 ? `\n  string ${digits.map((d) => d.digit).join('')}` : '';
          process.stdout.write(`${file}\n${digits.length ? digits.map((d) => `  ${formatDetection(d)}`).join('\n') : '  (no digit)'}${string}\n`);
        }
      } catch (error) {
        failed = true;
        const message = (error as Error).message;
        if (values.json) process.stdout.write(`${JSON.stringify({ file, error: message })}\n`);
        else process.stderr.write(`digit-listener: ${message}\n`);
      }
    }
    return failed ? 1 : 0;
  }

  // eval: the same scoring as `npm run eval` and the trainer's report (./score.ts).
  const dir = rest[0];
  let set: EvalSet;
  try {
    set = labelledFolder(basename(dir), dir);
  } catch (error) {
    process.stderr.write(`digit-listener: cannot read folder ${dir}: ${(error as Error).message}\n`);
    return 2;
  }
  if (set.files.length === 0) {
    process.stderr.write(`digit-listener: no {digit}_*.wav files in ${dir}\n`);
    return 2;
  }
  const detections = await detectSet(set, models, (message) => process.stderr.write(`digit-listener: ${message}\n`));
  const score = scoreSet(set, atThreshold(detections, confidenceThreshold));
  const total = score.files;
  const correct = score.confusion!.reduce((sum, row, digit) => sum + row[digit], 0);
  const wrong = total - correct - score.noDigit! - score.severalDigits! - score.unreadable;
  process.stdout.write(
    `${set.name}: accuracy ${((100 * correct) / total).toFixed(2)}% (${correct}/${total}); ` +
      `no digit ${score.noDigit}, several digits ${score.severalDigits}, wrong digit ${wrong}, unreadable ${score.unreadable}\n`,
  );
  const confusion = score.confusion!.map((row) => row.slice(0, 10));
  process.stdout.write(`confusion (rows true 0-9, columns predicted 0-9):\n${confusion.map((r, i) => `  ${i}: ${r.map((v) => String(v).padStart(3)).join(' ')}`).join('\n')}\n`);
  return score.unreadable > 0 ? 1 : 0;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Runs the command line of this process (`process.argv`) and sets `process.exitCode`; an
 * unexpected error prints its stack and exits with 2.
 */
export function runAsProcess(install: CliInstall): void {
  runCli(process.argv.slice(2), install).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`digit-listener: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

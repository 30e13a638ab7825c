/**
 * `digit-listener` command line: runs the product's streaming path (frontend, gate, model on
 * tfjs wasm) over WAV files.
 *
 *   digit-listener recognize [--json] [--model DIR] [--threshold P] [--profile FILE] FILE…
 *   digit-listener eval [--model DIR] [--threshold P] [--profile FILE] DIR
 *   digit-listener enroll --out FILE [--model DIR] FILE…
 *
 * Exit codes: 0 ok; 1 some file could not be read (the others are still processed);
 * 2 usage error or the model could not be loaded.
 *
 * Two entry points run it: `main.ts` from the repository's sources (`npm run cli`, tsx) and
 * `bundled.ts`, compiled to `lib/cli.js` for the package (`bin/digit-listener.js`).
 */
import '@tensorflow/tfjs-backend-wasm';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { readAnchors } from '../adaptation/anchors';
import { adaptHead, type EnrollmentTake } from '../adaptation/enroll';
import type { HeadExample } from '../adaptation/head';
import { makeProfile, readProfile } from '../adaptation/profile';
import { decodeWav } from '../audio/wav';
import { initWasmBackend } from '../model/backend';
import { DEFAULT_CONFIDENCE_THRESHOLD, type DigitDetection, type RecognizerModels } from '../pipeline/recognizer';
import { loadModels } from './models';
import { recognizeFile } from './recognize-file';
import { atThreshold, detectSet, type EvalSet, labelledFolder, scoreSet } from './score';

const USAGE = `Usage:
  digit-listener recognize [--json] [--model DIR] [--threshold P] [--profile FILE] FILE...
      Prints each digit found in each WAV file with its confidence, start/end time and the head
      that read it (word: one word at a time; string: the string head, for digits said in one
      breath), then the digits as one string.
      --json       one JSON object per file per line: {"file", "string": "4172", "digits": [{digit, confidence, startMs, endMs, source}]}
  digit-listener eval [--model DIR] [--threshold P] [--profile FILE] DIR
      Accuracy over the WAV files in DIR named {digit}_*.wav (a file counts as correct when
      exactly one digit is found and it is the right one).
  digit-listener enroll --out FILE [--model DIR] FILE...
      Adapts the word head to one person from their takes, WAV files named {digit}_*.wav (one
      or more per digit), and writes a voice profile (weights only, no audio) to FILE.
Options:
  --model DIR      folder of the word head (model.json), and of the string head in DIR/strings/ if any; the
                   speech encoder is the one model.json names (default: the shipped heads and encoder)
  --threshold P    minimum confidence 0-1 for a digit to be reported (default ${DEFAULT_CONFIDENCE_THRESHOLD})
  --profile FILE   read with a voice profile made by \`enroll\` for this model
`;

const COMMANDS = ['recognize', 'eval', 'enroll'];

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
        profile: { type: 'string' },
        out: { type: 'string' },
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
  if (!COMMANDS.includes(command) || rest.length === 0 || (command === 'eval' && rest.length !== 1)) {
    process.stderr.write(`digit-listener: ${COMMANDS.includes(command) ? 'missing argument' : `unknown command ${command}`}\n${USAGE}`);
    return 2;
  }
  if (command === 'enroll' && !values.out) {
    process.stderr.write(`digit-listener: enroll needs --out FILE, where the voice profile is written\n${USAGE}`);
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
    if (values.profile) models.word.adaptedHead = readProfile(readFileSync(values.profile, 'utf8'), values.profile, models.word);
  } catch (error) {
    process.stderr.write(`digit-listener: ${(error as Error).message}\n`);
    return 2;
  }

  if (command === 'enroll') return enroll(rest, values.out!, models, values.model);

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

/** `enroll`: adapts the word model to the takes and writes the profile; 1 if a take is unreadable or unlabelled, 2 if none can be used. */
function enroll(files: string[], out: string, models: RecognizerModels, modelDir: string): number {
  // The model's general examples keep the profile rejecting words that are not digits.
  const anchorsPath = join(modelDir.endsWith('.json') ? dirname(modelDir) : modelDir, 'anchors.json');
  let anchors: HeadExample[] = [];
  if (existsSync(anchorsPath)) {
    try {
      anchors = readAnchors(readFileSync(anchorsPath, 'utf8'), anchorsPath, models.word);
    } catch (error) {
      process.stderr.write(`digit-listener: ${(error as Error).message}\n`);
      return 2;
    }
  } else {
    process.stderr.write(`digit-listener: warning: ${anchorsPath} is missing (npm run anchors): without it the profile may take words that are not digits for digits\n`);
  }
  const takes: EnrollmentTake[] = [];
  let failed = false;
  for (const file of files) {
    const digit = /^(\d)_/.exec(basename(file))?.[1];
    if (digit === undefined) {
      process.stderr.write(`digit-listener: ${file}: not named {digit}_*.wav, so its digit is unknown (skipped)\n`);
      failed = true;
      continue;
    }
    try {
      const audio = decodeWav(new Uint8Array(readFileSync(file)), file);
      takes.push({ samples: audio.samples, sampleRate: audio.sampleRate, digit: Number(digit) });
    } catch (error) {
      process.stderr.write(`digit-listener: ${(error as Error).message} (skipped)\n`);
      failed = true;
    }
  }
  const started = performance.now();
  let adaptation;
  try {
    adaptation = adaptHead(models.word, takes, { anchors });
  } catch (error) {
    process.stderr.write(`digit-listener: ${(error as Error).message}\n`);
    return 2;
  }
  const ms = performance.now() - started;
  const perDigit = Array.from({ length: 10 }, (_, d) => takes.filter((t) => t.digit === d).length);
  writeFileSync(out, `${JSON.stringify(makeProfile(models.word, adaptation.head, perDigit))}\n`);
  const missing = perDigit.flatMap((n, d) => (n === 0 ? [d] : []));
  process.stdout.write(
    `enrolled ${takes.length} takes (${adaptation.examples} windows with their augmented copies) in ${Math.round(ms)} ms; wrote ${out}\n` +
      (missing.length ? `no take of ${missing.join(', ')}: the profile has not heard how you say them\n` : '') +
      (adaptation.silentTakes ? `${adaptation.silentTakes} takes had no speech the gate could hear\n` : ''),
  );
  return failed ? 1 : 0;
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

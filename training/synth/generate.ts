/**
 * `npm run synth` — writes synthetic speech with espeak-ng into a cache folder outside git:
 * every synthetic speaker (see voices.ts) saying each digit `--takes` times with random pitch,
 * speaking rate, volume and inflection ("seven", "seven?", "seven!", "seven."), and `--other`
 * non-digit words each. Held-out voices go to their own folders, split by gender.
 *
 *   .cache/synth/train/digits/{digit}_{speaker}_{take}.wav      (FSDD-style names)
 *   .cache/synth/train/other/other_{word}_{speaker}_{take}.wav
 *   .cache/synth/heldout/female/{digit}_{speaker}_{take}.wav    (also .../male/)
 *   .cache/synth/heldout/other/…
 *   .cache/synth/manifest.json        (one entry per file, paths relative to the folder)
 *
 * Usage: npm run synth -- [--out DIR] [--takes N] [--other N] [--seed N]
 * Requires espeak-ng (Debian package `espeak-ng`). Existing files are kept (cache).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { Random } from '../random';
import { type SynthSpeaker, synthSpeakers } from './voices';
import { DIGIT_WORDS, NEAR_MISSES, NEAR_MISS_HOMOPHONES, OTHER_WORDS } from './words';

const run = promisify(execFile);

/** One generated file. */
export interface SynthEntry {
  readonly path: string;
  /** 0–9, or -1 for a non-digit. */
  readonly digit: number;
  readonly text: string;
  readonly speaker: string;
  readonly gender: SynthSpeaker['gender'];
  readonly heldOut: boolean;
  /** espeak-ng pitch 0–99, speed in words per minute, amplitude 0–200. */
  readonly pitch: number;
  readonly speed: number;
  readonly amplitude: number;
}

/** Default cache folder, relative to the project root. */
export const DEFAULT_SYNTH_DIR = '.cache/synth';

const INFLECTIONS = ['', '.', '?', '!'];

function folderFor(speaker: SynthSpeaker, digit: number): string {
  if (!speaker.heldOut) return digit >= 0 ? 'train/digits' : 'train/other';
  return digit >= 0 ? `heldout/${speaker.gender}` : 'heldout/other';
}

/** Plans every file: deterministic from the seed. */
export function planSynth(outDir: string, takes: number, otherPerSpeaker: number, seed: number): SynthEntry[] {
  const random = new Random(seed);
  const entries: SynthEntry[] = [];
  const prosody = () => ({ pitch: Math.round(random.uniform(15, 85)), speed: Math.round(random.uniform(120, 215)), amplitude: Math.round(random.uniform(60, 180)) });
  for (const speaker of synthSpeakers()) {
    for (let digit = 0; digit < 10; digit++) {
      for (let take = 0; take < takes; take++) {
        const words = DIGIT_WORDS[digit];
        const word = words[random.next() < 0.2 ? words.length - 1 : 0];
        const text = word + INFLECTIONS[random.int(INFLECTIONS.length)];
        entries.push({ path: join(outDir, folderFor(speaker, digit), `${digit}_${speaker.id}_${take}.wav`), digit, text, speaker: speaker.id, gender: speaker.gender, heldOut: speaker.heldOut, ...prosody() });
      }
    }
    // Held-out speakers also say the homophones (evaluation only); training never sees them.
    const pool = speaker.heldOut ? [...NEAR_MISSES, ...NEAR_MISS_HOMOPHONES, ...OTHER_WORDS] : [...NEAR_MISSES, ...OTHER_WORDS];
    for (let take = 0; take < otherPerSpeaker; take++) {
      const word = pool[random.int(pool.length)];
      const text = word + INFLECTIONS[random.int(INFLECTIONS.length)];
      const slug = word.replace(/[^a-z]/gi, '').toLowerCase();
      entries.push({ path: join(outDir, folderFor(speaker, -1), `other_${slug}_${speaker.id}_${take}.wav`), digit: -1, text, speaker: speaker.id, gender: speaker.gender, heldOut: speaker.heldOut, ...prosody() });
    }
  }
  return entries;
}

/** Runs espeak-ng for one planned file (22.05 kHz 16-bit mono WAV). */
export async function synthesize(entry: SynthEntry, voice: string): Promise<void> {
  await run('espeak-ng', ['-v', voice, '-p', String(entry.pitch), '-s', String(entry.speed), '-a', String(entry.amplitude), '-w', entry.path, entry.text]);
}

/**
 * Synthesizes every planned file that is not there yet (4 espeak-ng processes at a time) and
 * writes `outDir/manifest.json` listing the files that exist.
 *
 * @returns the entries written to the manifest and the files that failed (path: reason)
 */
export async function writeSynth(outDir: string, entries: SynthEntry[], onProgress: (done: number) => void = () => {}): Promise<{ written: SynthEntry[]; failed: string[] }> {
  const voices = new Map(synthSpeakers().map((s) => [s.id, s.voice]));
  for (const dir of new Set(entries.map((e) => join(e.path, '..')))) mkdirSync(dir, { recursive: true });
  const todo = entries.filter((e) => !existsSync(e.path));
  let done = 0;
  const failed: string[] = [];
  const worker = async () => {
    for (let entry = todo.pop(); entry; entry = todo.pop()) {
      try {
        await synthesize(entry, voices.get(entry.speaker)!);
      } catch (error) {
        failed.push(`${entry.path}: ${(error as Error).message}`);
      }
      onProgress(++done);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  const written = entries.filter((e) => existsSync(e.path));
  // Paths in the manifest are relative to its folder, so the cache can be read from anywhere.
  const manifest = written.map((e) => ({ ...e, path: relative(outDir, e.path) }));
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return { written, failed };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: DEFAULT_SYNTH_DIR },
      takes: { type: 'string', default: '2' },
      other: { type: 'string', default: '12' },
      seed: { type: 'string', default: '2024' },
    },
  });
  try {
    await run('espeak-ng', ['--version']);
  } catch {
    throw new Error('espeak-ng is not installed (Debian: apt-get install espeak-ng)');
  }
  const outDir = values.out!;
  const entries = planSynth(outDir, Number(values.takes), Number(values.other), Number(values.seed));
  const started = performance.now();
  const { written: ok, failed } = await writeSynth(outDir, entries, (done) => {
    if (done % 1000 === 0) console.log(`${done} files, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  });
  const count = (f: (e: SynthEntry) => boolean) => ok.filter(f).length;
  console.log(
    `${ok.length} files in ${outDir} (${((performance.now() - started) / 1000).toFixed(0)} s): ` +
      `train ${count((e) => !e.heldOut && e.digit >= 0)} digits + ${count((e) => !e.heldOut && e.digit < 0)} other; ` +
      `held out ${count((e) => e.heldOut && e.digit >= 0 && e.gender === 'female')} female + ${count((e) => e.heldOut && e.digit >= 0 && e.gender === 'male')} male digits + ${count((e) => e.heldOut && e.digit < 0)} other`,
  );
  for (const f of failed) console.warn(`failed: ${f}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Pitch shifts applied to real recordings, in cents (100 cents = 1 semitone). Skewed upwards:
 * FSDD's six men are lower than the women and children the product must also hear. Together with
 * speed perturbation (±3 semitones with tempo) this spans about −5 to +9 semitones.
 */
export const PITCH_SHIFT_CENTS = [-200, 200, 400, 600] as const;

/** Default cache of the pitch-shifted copies (outside git). */
export const DEFAULT_PITCH_CACHE = '.cache/pitch';

/**
 * Pitch-shifted copies of WAV files, made once with SoX's `pitch` effect (WSOLA time-stretch
 * plus resampling: the pitch and the formants move, the duration stays) — a well-kept tool
 * rather than our own time-stretcher, as this is training-only augmentation. Writes
 * `cacheDir/<cents>/<file name>` for every cents value that is missing; two SoX processes at a
 * time (the machine has two cores).
 *
 * @param paths WAV files with unique base names (FSDD clips)
 * @param onError when given, a file SoX cannot read (a bad WAV in a data folder) is reported
 *   through it — `"<path>: SoX could not pitch-shift it (<SoX's message>)"` — and left out of
 *   the result (no copies), and the other files are still processed; without it, that throws
 * @returns per input path, the cached copies' paths in {@link PITCH_SHIFT_CENTS} order
 * @throws Error when SoX is missing, or naming the file and SoX's message when SoX fails on a
 *   file and there is no `onError`
 */
export async function pitchShiftedCopies(paths: readonly string[], cacheDir = DEFAULT_PITCH_CACHE, onError?: (message: string) => void): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const todo: { source: string; target: string; cents: number }[] = [];
  for (const cents of PITCH_SHIFT_CENTS) mkdirSync(join(cacheDir, String(cents)), { recursive: true });
  for (const source of paths) {
    const targets = PITCH_SHIFT_CENTS.map((cents) => join(cacheDir, String(cents), basename(source)));
    PITCH_SHIFT_CENTS.forEach((cents, i) => existsSync(targets[i]) || todo.push({ source, target: targets[i], cents }));
    out.set(source, targets);
  }
  let next = 0;
  const workerLoop = async () => {
    while (next < todo.length) {
      const { source, target, cents } = todo[next++];
      if (!out.has(source)) continue; // SoX already failed on this file
      // Written under a temporary name and renamed, so an interrupted run leaves no partial file.
      const partial = `${target}.partial.wav`;
      try {
        await run('sox', [source, partial, 'pitch', String(cents)]);
      } catch (error) {
        const e = error as NodeJS.ErrnoException & { stderr?: string };
        if (e.code === 'ENOENT') throw new Error('sox not found: install the Debian package `sox`', { cause: error });
        const said = e.stderr?.trim() || e.message;
        if (!onError) throw new Error(`sox pitch ${cents} on ${source} failed: ${said}`, { cause: error });
        rmSync(partial, { force: true });
        // Reported once, though both SoX processes may have been working on it.
        if (out.delete(source)) onError(`${source}: SoX could not pitch-shift it (${said})`);
        continue;
      }
      renameSync(partial, target);
    }
  };
  if (todo.length > 0) console.log(`pitch-shifting ${todo.length} copies with SoX into ${cacheDir} (once)`);
  await Promise.all([workerLoop(), workerLoop()]);
  return out;
}

/**
 * One of each kind of bad file the CLI and the trainer must survive (issue 6, "Bad files"),
 * made from a real FSDD clip, with the reason decodeWav (or the file system) gives for it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FSDD_DIR } from './fsdd';

/** A bad file written by {@link writeBadWavs}. */
export interface BadWav {
  /** File name inside the folder, e.g. `truncated.wav`. */
  readonly name: string;
  readonly path: string;
  /** What the error must say after `"<path>: "`. */
  readonly reason: RegExp;
}

/** Offset of a chunk's header (`id`) in a canonical FSDD file, or -1. */
function chunkAt(bytes: Uint8Array, id: string): number {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = 12; pos + 8 <= bytes.length; pos += 8 + v.getUint32(pos + 4, true)) {
    if (String.fromCharCode(...bytes.subarray(pos, pos + 4)) === id) return pos;
  }
  return -1;
}

/**
 * Writes one bad file of each kind into `dir` (created if missing), made from the FSDD clip
 * `source` (the float and codec files by sox): a WAV cut inside its data, one cut inside its
 * header, a wrong RIFF/WAVE header, a RIFX container, a zero-length data chunk, an empty file,
 * non-WAV bytes, a data chunk claiming 4 GB, float WAVs with a NaN and an Infinity sample, u-law,
 * IMA ADPCM and MS ADPCM files, and a folder named like a WAV (unreadable as a file).
 *
 * @param name maps a kind (e.g. `truncated`) to the file name to use; default `<kind>.wav`
 * @returns the files, in a fixed order
 * @throws Error from sox or the file system
 */
export function writeBadWavs(dir: string, name: (kind: string) => string = (k) => `${k}.wav`, source = '6_theo_0'): BadWav[] {
  mkdirSync(dir, { recursive: true });
  const clipPath = join(FSDD_DIR, `${source}.wav`);
  const clip = new Uint8Array(readFileSync(clipPath));
  const data = chunkAt(clip, 'data');
  const files: BadWav[] = [];
  const add = (kind: string, bytes: Uint8Array | string, reason: RegExp) => {
    const path = join(dir, name(kind));
    writeFileSync(path, bytes);
    files.push({ name: name(kind), path, reason });
  };
  const patched = (edit: (bytes: Uint8Array, v: DataView) => void): Uint8Array => {
    const bytes = clip.slice();
    edit(bytes, new DataView(bytes.buffer));
    return bytes;
  };
  const dataSize = new DataView(clip.buffer).getUint32(data + 4, true);

  add('truncated', clip.slice(0, data + 8 + 1000), new RegExp(`^truncated data chunk \\(claims ${dataSize} bytes, has 1000\\)$`));
  add('header-cut', clip.slice(0, 30), /^truncated fmt chunk \(claims 16 bytes, has 10\)$/);
  add(
    'wrong-header',
    patched((b) => b.set([0x41, 0x56, 0x49, 0x20], 8)),
    /^not a RIFF\/WAVE file$/,
  ); // "AVI "
  add(
    'rifx',
    patched((b) => (b[3] = 0x58)),
    /^unsupported container RIFX/,
  );
  add('zero-length-data', patched((_, v) => v.setUint32(data + 4, 0, true)).slice(0, data + 8), /^no audio data \(0 samples\)$/);
  add('empty', new Uint8Array(0), /^empty input \(0 bytes\)$/);
  add('not-a-wav', 'ID3\u0004\u0000 this is an MP3 tag, not a WAV file at all', /^not a RIFF\/WAVE file$/);
  add(
    'huge-size',
    patched((_, v) => v.setUint32(data + 4, 0xffffffff, true)),
    new RegExp(`^truncated data chunk \\(claims 4294967295 bytes, has ${dataSize}\\)$`),
  );

  // Float files via sox, then one NaN / one +Infinity sample written into the audio.
  const float = (kind: string, value: number) => {
    const path = join(dir, name(kind));
    execFileSync('sox', [clipPath, '-e', 'floating-point', '-b', '32', path], { stdio: 'pipe' });
    const bytes = new Uint8Array(readFileSync(path));
    const at = chunkAt(bytes, 'data') + 8 + 100 * 4; // frame 100
    new DataView(bytes.buffer).setFloat32(at, value, true);
    writeFileSync(path, bytes);
    files.push({ name: name(kind), path, reason: new RegExp(`^sample value NaN/Inf at frame 100 \\(channel 0 is ${value}\\)$`) });
  };
  float('nan', NaN);
  float('infinity', Infinity);

  // Codecs decodeWav does not support, written by sox.
  const codec = (kind: string, encoding: string, reason: RegExp) => {
    const path = join(dir, name(kind));
    execFileSync('sox', [clipPath, '-e', encoding, path], { stdio: 'pipe' });
    files.push({ name: name(kind), path, reason });
  };
  codec('u-law', 'u-law', /^unsupported codec \(format tag 7: mu-law\)$/);
  codec('ima-adpcm', 'ima-adpcm', /^unsupported codec \(format tag 17: IMA ADPCM\)$/);
  codec('ms-adpcm', 'ms-adpcm', /^unsupported codec \(format tag 2: Microsoft ADPCM\)$/);

  // Not a file at all: a folder with a .wav name cannot be read.
  const folder = join(dir, name('folder'));
  mkdirSync(folder, { recursive: true });
  files.push({ name: name('folder'), path: folder, reason: /^EISDIR: illegal operation on a directory/ });
  return files;
}

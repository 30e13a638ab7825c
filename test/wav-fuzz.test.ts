/**
 * Property-based fuzzing of decodeWav (src/audio/wav.ts) with fast-check: arbitrary bytes,
 * generated RIFF structures, and mutations of real files (FSDD clips; sox-made float, 24-bit,
 * 8-bit and multichannel WAVs). Every case must end in one of two ways: mono samples that are
 * finite, in [-1, 1], at a sane rate — or a WavDecodeError whose message starts with the file
 * name. Anything else (another exception, a NaN sample, a slow case) fails. Where the outcome is
 * known (a corrupted RIFF size, sample bytes, a data size, a truncation, a NaN/Inf sample), the
 * exact result is asserted too.
 *
 * Seeded (property k runs with seed WAV_FUZZ_SEED + k, WAV_FUZZ_SEED defaulting to 20250611), so a
 * failure reproduces on every run; fast-check prints the failing seed, path and shrunk input. Set
 * WAV_FUZZ_SEED to explore other cases. 4,350 cases in all, about 2 s.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav, type DecodedAudio, WavDecodeError } from '../src/audio/wav';
import { FSDD_DIR } from './helpers/fsdd';

const SEED = Number(process.env.WAV_FUZZ_SEED ?? 20250611);
/** A single decode slower than this counts as a hang (inputs are ≤ ~20 KB; a decode takes < 5 ms). */
const CASE_LIMIT_MS = 1500;

/** A base file and where its chunks are. */
interface Base {
  name: string;
  bytes: Uint8Array;
  /** Offset of the data chunk's body, its claimed size, bytes per frame, float or not. */
  dataStart: number;
  dataSize: number;
  blockAlign: number;
  float: boolean;
  bits: number;
  frames: number;
  /** The base file's decoded samples. */
  reference: Float32Array;
}

/** Walks the chunks (the test's own reader) to describe a well-formed base file. */
function describeBase(name: string, bytes: Uint8Array): Base {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt = -1;
  let data = -1;
  for (let pos = 12; pos + 8 <= bytes.length;) {
    const id = String.fromCharCode(...bytes.subarray(pos, pos + 4));
    const size = v.getUint32(pos + 4, true);
    if (id === 'fmt ') fmt = pos + 8;
    if (id === 'data') data = pos;
    pos += 8 + size + (size & 1);
  }
  if (fmt < 0 || data < 0) throw new Error(`${name}: base file without fmt/data chunk`);
  const tag = v.getUint16(fmt, true);
  const blockAlign = v.getUint16(fmt + 12, true);
  const dataSize = v.getUint32(data + 4, true);
  const float = tag === 3 || (tag === 0xfffe && v.getUint16(fmt + 24, true) === 3);
  const frames = Math.floor(dataSize / blockAlign);
  const reference = decodeWav(bytes, name).samples;
  return { name, bytes, dataStart: data + 8, dataSize, blockAlign, float, bits: v.getUint16(fmt + 14, true), frames, reference };
}

/** Outcomes seen, so the test can show it exercised both sides. */
const outcomes = { decoded: 0, rejected: 0 };

/**
 * Decodes `bytes` as `source` and checks the universal property; returns the audio or the error.
 * Throws (failing the property) on any other exception, a bad sample, or a slow decode.
 */
function decodeChecked(bytes: Uint8Array, source: string): DecodedAudio | WavDecodeError {
  const t0 = performance.now();
  let result: DecodedAudio | WavDecodeError;
  try {
    result = decodeWav(bytes, source);
  } catch (error) {
    if (!(error instanceof WavDecodeError)) throw new Error(`${source}: threw ${String(error)} instead of a WavDecodeError`, { cause: error });
    result = error;
  }
  const ms = performance.now() - t0;
  if (ms > CASE_LIMIT_MS) throw new Error(`${source}: decoding took ${ms.toFixed(0)} ms`);
  if (result instanceof WavDecodeError) {
    outcomes.rejected++;
    if (result.source !== source || !result.message.startsWith(`${source}: `) || result.reason.length === 0) {
      throw new Error(`error does not name the file: ${result.message}`);
    }
    if (/internal decoder error/.test(result.message)) throw new Error(`decoder failed internally: ${result.message}`);
    return result;
  }
  outcomes.decoded++;
  const { samples, sampleRate, channels, durationMs } = result;
  if (!(Number.isInteger(sampleRate) && sampleRate >= 1000 && sampleRate <= 384000)) throw new Error(`${source}: sample rate ${sampleRate}`);
  if (!(channels >= 1 && channels <= 8)) throw new Error(`${source}: ${channels} channels`);
  if (samples.length < 1 || Math.abs(durationMs - (samples.length * 1000) / sampleRate) > 1e-6) throw new Error(`${source}: length/duration wrong`);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    if (!(s >= -1 && s <= 1)) throw new Error(`${source}: sample ${i} is ${s}`);
  }
  return result;
}

function expectDecoded(result: DecodedAudio | WavDecodeError): DecodedAudio {
  if (result instanceof WavDecodeError) throw new Error(`expected audio, got ${result.message}`);
  return result;
}
function expectRejected(result: DecodedAudio | WavDecodeError): WavDecodeError {
  if (!(result instanceof WavDecodeError)) throw new Error('expected a WavDecodeError, the file decoded');
  return result;
}

const FSDD_CLIPS = ['0_jackson_0', '7_theo_12', '3_yweweler_40', '9_nicolas_25'];
let tmp = '';
let bases: Base[] = [];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'wav-fuzz-'));
  const sox = (name: string, args: string[]): Base => {
    const path = join(tmp, `${name}.wav`);
    execFileSync('sox', ['-n', ...args, path, 'synth', '0.03', 'sine', '440', 'sine', '620', 'vol', '0.8'], { stdio: 'pipe' });
    return describeBase(name, new Uint8Array(readFileSync(path)));
  };
  bases = [
    ...FSDD_CLIPS.map((c) => describeBase(`${c}.wav`, new Uint8Array(readFileSync(join(FSDD_DIR, `${c}.wav`))))),
    sox('f32-stereo', ['-r', '16000', '-c', '2', '-e', 'floating-point', '-b', '32']),
    sox('f64-stereo', ['-r', '8000', '-c', '2', '-e', 'floating-point', '-b', '64']),
    sox('s24-3ch', ['-r', '44100', '-c', '3', '-e', 'signed-integer', '-b', '24']),
    sox('s32-mono', ['-r', '22050', '-c', '1', '-e', 'signed-integer', '-b', '32']),
    sox('u8-mono', ['-r', '11025', '-c', '1', '-e', 'unsigned-integer', '-b', '8']),
  ];
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const baseIndex = () => fc.nat({ max: bases.length - 1 });
const run = (numRuns: number, offset: number) => ({ seed: SEED + offset, numRuns });
const u32 = fc.oneof(fc.constantFrom(0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff, 2 ** 28), fc.nat({ max: 0xffffffff }));

describe('decodeWav property-based fuzz (fast-check)', () => {
  it('every base file decodes whole (the fuzz starts from good files)', () => {
    for (const b of bases) {
      expect(expectDecoded(decodeChecked(b.bytes, b.name)).samples.length).toBe(b.frames);
      expect(b.frames).toBeGreaterThan(100);
    }
  });

  it('arbitrary bytes, with and without a RIFF/WAVE prefix: audio or an error naming the file', () => {
    const riff = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048, size: 'max' }), fc.boolean(), (bytes, prefixed) => {
        const input = prefixed ? Uint8Array.from([...riff, ...bytes]) : bytes;
        decodeChecked(input, 'arbitrary.wav');
      }),
      run(1000, 1),
    );
  });

  it('generated RIFF files (fmt fields, chunk ids and sizes from edge values): never anything else', () => {
    // fmt fields: mostly a supported combination, else anything.
    const supported = fc.oneof(
      fc.record({ tag: fc.constant(1), bits: fc.constantFrom(8, 16, 24, 32) }),
      fc.record({ tag: fc.constant(3), bits: fc.constantFrom(32, 64) }),
      fc.record({ tag: fc.constant(0xfffe), bits: fc.constantFrom(16, 24, 32, 64) }),
    );
    const fmtFields = fc.record({
      codec: fc.oneof({ arbitrary: supported, weight: 3 }, { arbitrary: fc.record({ tag: fc.nat({ max: 0xffff }), bits: fc.constantFrom(0, 12, 16, 0xffff) }), weight: 1 }),
      channels: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 8 }), weight: 4 }, fc.constantFrom(0, 9, 0xffff), fc.nat({ max: 0xffff })),
      rate: fc.oneof({ arbitrary: fc.constantFrom(0, 999, 1000, 8000, 16000, 44100, 48000, 384000, 384001), weight: 3 }, { arbitrary: fc.nat({ max: 0xffffffff }), weight: 1 }),
      alignRight: fc.boolean(),
      subTag: fc.constantFrom(1, 3, 0x55),
      guidRight: fc.boolean(),
      length: fc.constantFrom(14, 16, 18, 40, 40, 39),
    });
    const fmtBody = fmtFields.map((f) => {
      const body = new Uint8Array(40);
      const v = new DataView(body.buffer);
      v.setUint16(0, f.codec.tag, true);
      v.setUint16(2, f.channels, true);
      v.setUint32(4, f.rate, true);
      v.setUint16(12, f.alignRight ? ((f.channels * f.codec.bits) / 8) & 0xffff : (f.channels * 3) & 0xffff, true);
      v.setUint16(14, f.codec.bits, true);
      v.setUint16(24, f.subTag, true);
      if (f.guidRight) body.set([0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71], 26);
      return body.subarray(0, f.length);
    });
    /** A chunk: id, body, and a size field that is mostly the body's length. */
    const chunk = (ids: string[], body: fc.Arbitrary<Uint8Array>) =>
      fc.record({ id: fc.constantFrom(...ids), body, size: fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: u32, weight: 1 }) }).map(({ id, body: b, size }) => {
        const out = new Uint8Array(8 + b.length + (b.length & 1));
        for (let k = 0; k < 4; k++) out[k] = id.charCodeAt(k);
        new DataView(out.buffer).setUint32(4, size ?? b.length, true);
        out.set(b, 8);
        return out;
      });
    const other = chunk(['LIST', 'cue ', 'smpl', 'fact', 'junk', '\0\0\0\0'], fc.uint8Array({ maxLength: 48 }));
    const fmt = chunk(['fmt '], fmtBody);
    const data = chunk(['data'], fc.uint8Array({ maxLength: 256, size: 'max' }));
    const any = fc.oneof(other, fmt, data);
    // Mostly fmt … data in order with other chunks around them; else chunks in any order.
    const ordered = fc.tuple(fc.array(other, { maxLength: 2 }), fmt, fc.array(other, { maxLength: 2 }), data, fc.array(any, { maxLength: 2 }));
    const files = fc.oneof({ arbitrary: ordered.map(([a, f, b, d, c]) => [...a, f, ...b, d, ...c]), weight: 3 }, { arbitrary: fc.array(any, { maxLength: 6 }), weight: 1 });
    let generatedDecoded = 0;
    fc.assert(
      fc.property(files, fc.nat({ max: 0xffffffff }), (chunks, riffSize) => {
        const bytes = new Uint8Array(12 + chunks.reduce((n, c) => n + c.length, 0));
        bytes.set([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]);
        new DataView(bytes.buffer).setUint32(4, riffSize, true);
        let o = 12;
        for (const c of chunks) {
          bytes.set(c, o);
          o += c.length;
        }
        if (!(decodeChecked(bytes, 'generated.wav') instanceof WavDecodeError)) generatedDecoded++;
      }),
      run(1000, 2),
    );
    console.log(`generated RIFF files: ${generatedDecoded} of 1000 decoded`);
    expect(generatedDecoded).toBeGreaterThanOrEqual(10); // the generator reaches the sample decoding too
  });
  it('a corrupted RIFF size field is ignored: the same audio', () => {
    fc.assert(
      fc.property(baseIndex(), u32, (i, size) => {
        const b = bases[i];
        const bytes = b.bytes.slice();
        new DataView(bytes.buffer).setUint32(4, size, true);
        const { samples } = expectDecoded(decodeChecked(bytes, b.name));
        expect(Buffer.from(samples.buffer).equals(Buffer.from(b.reference.buffer))).toBe(true);
      }),
      run(150, 3),
    );
  });

  it('any bytes in the samples of an integer PCM file: still decodes, same length, in range', () => {
    const pcm = () => bases.filter((b) => !b.float);
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 40 }), (i, edits) => {
        const b = pcm()[i % pcm().length];
        const bytes = b.bytes.slice();
        for (const [at, value] of edits) bytes[b.dataStart + (at % b.dataSize)] = value;
        expect(expectDecoded(decodeChecked(bytes, b.name)).samples.length).toBe(b.frames);
      }),
      run(300, 4),
    );
  });

  it('a corrupted data chunk size: truncation error, no-audio error, or exactly the frames it claims', () => {
    fc.assert(
      fc.property(baseIndex(), fc.oneof(u32, fc.nat({ max: 20000 })), (i, claimed) => {
        const b = bases[i];
        const bytes = b.bytes.slice();
        new DataView(bytes.buffer).setUint32(b.dataStart - 4, claimed, true);
        const result = decodeChecked(bytes, b.name);
        const available = bytes.length - b.dataStart;
        if (claimed > available) {
          expect(expectRejected(result).reason).toBe(`truncated data chunk (claims ${claimed} bytes, has ${available})`);
        } else if (claimed < b.blockAlign) {
          expect(expectRejected(result).reason).toMatch(/^no audio data \(0 samples/);
        } else {
          expect(expectDecoded(result).samples.length).toBe(Math.floor(claimed / b.blockAlign));
        }
      }),
      run(300, 5),
    );
  });

  it('a file cut anywhere before its end is rejected naming the file; inside the data: claimed and present bytes', () => {
    fc.assert(
      fc.property(baseIndex(), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (i, at) => {
        const b = bases[i];
        const end = b.dataStart + b.dataSize;
        const length = Math.floor(at * end);
        const error = expectRejected(decodeChecked(b.bytes.slice(0, length), `cut-${length}-${b.name}`));
        if (length >= b.dataStart) expect(error.reason).toBe(`truncated data chunk (claims ${b.dataSize} bytes, has ${length - b.dataStart})`);
      }),
      run(300, 6),
    );
  });

  it('NaN/±Inf in a float file is rejected at the first bad frame; huge finite values are clamped', () => {
    const floats = () => bases.filter((b) => b.float);
    const value = fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity), fc.double({ noNaN: true, noDefaultInfinity: true }));
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.tuple(fc.nat(), value), { minLength: 1, maxLength: 6 }), (i, edits) => {
        const b = floats()[i % floats().length];
        const bytes = b.bytes.slice();
        const v = new DataView(bytes.buffer);
        const width = b.bits / 8;
        const count = b.dataSize / width;
        for (const [at, x] of edits) {
          const offset = b.dataStart + (at % count) * width;
          if (width === 4) v.setFloat32(offset, x, true);
          else v.setFloat64(offset, x, true);
        }
        // The first non-finite sample as stored (a large double becomes ±Infinity as float32).
        let first = -1;
        for (let k = 0; k < count && first < 0; k++) {
          const x = width === 4 ? v.getFloat32(b.dataStart + k * width, true) : v.getFloat64(b.dataStart + k * width, true);
          if (!Number.isFinite(x)) first = k;
        }
        const result = decodeChecked(bytes, b.name);
        if (first < 0) expectDecoded(result);
        else {
          const channels = b.blockAlign / width;
          const stored = width === 4 ? v.getFloat32(b.dataStart + first * width, true) : v.getFloat64(b.dataStart + first * width, true);
          expect(expectRejected(result).reason).toBe(`sample value NaN/Inf at frame ${Math.floor(first / channels)} (channel ${first % channels} is ${stored})`);
        }
      }),
      run(300, 7),
    );
  });

  it('random byte edits, bit flips, insertions, deletions and cuts of real files: audio or an error naming the file', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), header: fc.boolean(), value: fc.nat({ max: 255 }) }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), header: fc.boolean(), value: fc.nat({ max: 7 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), header: fc.boolean(), value: fc.nat({ max: 255 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), header: fc.boolean(), value: fc.nat({ max: 16 }) }),
    );
    fc.assert(
      fc.property(baseIndex(), fc.array(edit, { minLength: 1, maxLength: 10 }), fc.option(fc.nat()), fc.uint8Array({ maxLength: 64 }), (i, edits, cut, tail) => {
        const b = bases[i];
        let bytes = Array.from(b.bytes);
        for (const e of edits) {
          // Half the edits hit the first 80 bytes, where the headers are.
          const at = e.at % Math.max(1, e.header ? Math.min(80, bytes.length) : bytes.length);
          if (e.kind === 'set') bytes[at] = e.value;
          else if (e.kind === 'flip') bytes[at] = (bytes[at] ?? 0) ^ (1 << e.value);
          else if (e.kind === 'insert') bytes.splice(at, 0, e.value);
          else bytes.splice(at, e.value + 1);
        }
        if (cut !== null) bytes = bytes.slice(0, cut % (bytes.length + 1));
        decodeChecked(Uint8Array.from([...bytes, ...tail]), `mutant-${b.name}`);
      }),
      run(1000, 8),
    );
    // Both outcomes occurred across this file's properties.
    console.log(`decodeWav fuzz: ${outcomes.decoded} decoded, ${outcomes.rejected} rejected`);
    expect(outcomes.decoded).toBeGreaterThan(300);
    expect(outcomes.rejected).toBeGreaterThan(300);
  });
});

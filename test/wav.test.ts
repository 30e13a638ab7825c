/**
 * Tests of src/audio/wav.ts against real files: the FSDD dataset (read in place) and signals
 * converted by sox into every supported format, plus malformed inputs and a seeded fuzz loop.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav16, WavDecodeError, type DecodedAudio } from '../src/audio/wav.js';
import { Random } from '../src/audio/random';

const FSDD_DIR = '/work/shared/datasets/fsdd/recordings';
const SOX = '/usr/bin/sox';

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'wav-test-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Deterministic uniform PRNG in [0, 1) (the project's seeded Random). */
function mulberry32(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

/** Sum of sines, `channels` interleaved channels with different content, length `frames`. */
function testSignal(frames: number, rate: number, channels = 1): Float64Array {
  const out = new Float64Array(frames * channels);
  for (let f = 0; f < frames; f++) {
    const t = f / rate;
    for (let c = 0; c < channels; c++) {
      // channel 0: 0.8·sin(440 Hz); channel c>0: different frequency, amplitude and DC offset
      out[f * channels + c] = c === 0 ? 0.8 * Math.sin(2 * Math.PI * 440 * t) : 0.4 * Math.sin(2 * Math.PI * (300 + 250 * c) * t + c) + 0.1 * (c % 3) - 0.1;
    }
  }
  return out;
}

/** Mono average of an interleaved signal. */
function mixdown(interleaved: Float64Array, channels: number): Float64Array {
  const frames = interleaved.length / channels;
  const out = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += interleaved[f * channels + c];
    out[f] = s / channels;
  }
  return out;
}

/** Write `signal` as raw little-endian float64 and let sox convert it to a WAV; return its bytes. */
function soxConvert(name: string, signal: Float64Array, rate: number, channels: number, outArgs: string[]): Uint8Array {
  const raw = new Uint8Array(signal.length * 8);
  const view = new DataView(raw.buffer);
  signal.forEach((v, i) => view.setFloat64(i * 8, v, true));
  const rawPath = join(tmp, `${name}.f64`);
  const wavPath = join(tmp, `${name}.wav`);
  writeFileSync(rawPath, raw);
  // -D: no dither, so the only error is rounding to the output format.
  execFileSync(
    SOX,
    [
      '-D',
      '-t',
      'raw',
      '-r',
      String(rate),
      '-c',
      String(channels),
      '-e',
      'floating-point',
      '-b',
      '64',
      '-L',
      rawPath,
      '-r',
      String(rate),
      '-c',
      String(channels),
      ...outArgs,
      wavPath,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Uint8Array(readFileSync(wavPath));
}

/** Byte offset of the first chunk with id `id` (its header), or -1. */
function findChunk(bytes: Uint8Array, id: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = 12; pos + 8 <= bytes.length;) {
    if (String.fromCharCode(...bytes.subarray(pos, pos + 4)) === id) return pos;
    const size = view.getUint32(pos + 4, true);
    pos += 8 + size + (size & 1);
  }
  return -1;
}

function formatTagOf(bytes: Uint8Array): number {
  const fmt = findChunk(bytes, 'fmt ');
  return new DataView(bytes.buffer, bytes.byteOffset).getUint16(fmt + 8, true);
}

/** Call decodeWav expecting a WavDecodeError; return it. */
function decodeError(bytes: Uint8Array, source: string): WavDecodeError {
  try {
    decodeWav(bytes, source);
  } catch (err) {
    expect(err).toBeInstanceOf(WavDecodeError);
    const e = err as WavDecodeError;
    expect(e.source).toBe(source);
    expect(e.message.startsWith(`${source}: `)).toBe(true);
    expect(e.message).toBe(`${source}: ${e.reason}`);
    return e;
  }
  throw new Error(`decodeWav(${source}) did not throw`);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Rewrite a plain (tag 1 or 3) WAV as WAVE_FORMAT_EXTENSIBLE with the matching sub-format GUID. */
function toExtensible(wav: Uint8Array): Uint8Array {
  const fmt = findChunk(wav, 'fmt ');
  const data = findChunk(wav, 'data');
  const src = new DataView(wav.buffer, wav.byteOffset);
  const tag = src.getUint16(fmt + 8, true);
  const dataSize = src.getUint32(data + 4, true);
  const out = new Uint8Array(12 + 48 + 8 + dataSize);
  const v = new DataView(out.buffer);
  out.set(wav.subarray(0, 12));
  v.setUint32(4, out.length - 8, true);
  out.set([0x66, 0x6d, 0x74, 0x20], 12); // 'fmt '
  v.setUint32(16, 40, true);
  out.set(wav.subarray(fmt + 8, fmt + 24), 20); // the 16 common bytes
  v.setUint16(20, 0xfffe, true);
  v.setUint16(36, 22, true); // cbSize
  v.setUint16(38, v.getUint16(34, true), true); // wValidBitsPerSample
  v.setUint32(40, 0, true); // dwChannelMask
  v.setUint16(44, tag, true);
  out.set([0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71], 46);
  out.set(wav.subarray(data, data + 8 + dataSize), 60);
  return out;
}

/** Insert a chunk (id, body) right before the data chunk. */
function insertChunkBeforeData(wav: Uint8Array, id: string, body: Uint8Array): Uint8Array {
  const data = findChunk(wav, 'data');
  const padded = body.length + (body.length & 1);
  const out = new Uint8Array(wav.length + 8 + padded);
  out.set(wav.subarray(0, data));
  const v = new DataView(out.buffer);
  for (let k = 0; k < 4; k++) out[data + k] = id.charCodeAt(k);
  v.setUint32(data + 4, body.length, true);
  out.set(body, data + 8);
  out.set(wav.subarray(data), data + 8 + padded);
  v.setUint32(4, out.length - 8, true);
  return out;
}

describe('decodeWav on FSDD recordings', () => {
  it('decodes 8 kHz int16 clips exactly (value = int16 / 32768, length from file size)', () => {
    expect(existsSync(FSDD_DIR)).toBe(true);
    const names = readdirSync(FSDD_DIR)
      .filter((n) => n.endsWith('.wav'))
      .sort();
    expect(names.length).toBeGreaterThan(100);
    // a spread of 25 files across digits and speakers
    const picked = names.filter((_, i) => i % Math.floor(names.length / 25) === 0).slice(0, 25);
    for (const name of picked) {
      const bytes = new Uint8Array(readFileSync(join(FSDD_DIR, name)));
      const audio = decodeWav(bytes, name);
      expect(audio.sampleRate).toBe(8000);
      expect(audio.channels).toBe(1);
      // FSDD files have a plain 44-byte header: 2 bytes per sample after it
      const dataPos = findChunk(bytes, 'data');
      expect(dataPos).toBe(36);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const dataSize = view.getUint32(dataPos + 4, true);
      expect(dataSize).toBe(bytes.length - 44);
      expect(audio.samples.length).toBe((bytes.length - 44) / 2);
      expect(audio.durationMs).toBeCloseTo((audio.samples.length / 8000) * 1000, 9);
      for (let i = 0; i < audio.samples.length; i++) {
        const expected = view.getInt16(44 + 2 * i, true) / 32768;
        if (audio.samples[i] !== expected) {
          throw new Error(`${name}: sample ${i} is ${audio.samples[i]}, expected ${expected}`);
        }
      }
    }
  });

  it('reads from a Uint8Array view with a non-zero byteOffset (e.g. a pooled Node Buffer)', () => {
    const bytes = new Uint8Array(readFileSync(join(FSDD_DIR, '3_theo_7.wav')));
    const big = new Uint8Array(bytes.length + 13);
    big.set(bytes, 13);
    const a = decodeWav(bytes, 'a.wav');
    const b = decodeWav(big.subarray(13), 'b.wav');
    expect(b.samples).toEqual(a.samples);
    expect(decodeWav(readFileSync(join(FSDD_DIR, '3_theo_7.wav')), 'buf.wav').samples).toEqual(a.samples);
  });
});

describe('decodeWav on sox-converted signals', () => {
  // tolerance = half an LSB of the stored format (sox rounds to nearest with -D), plus float32
  // rounding of the result (2^-24 absolute for |x| < 1).
  const F32 = 2 ** -24;
  const formats: { label: string; args: string[]; tag: number; tol: number }[] = [
    { label: '8-bit unsigned PCM', args: ['-e', 'unsigned-integer', '-b', '8'], tag: 1, tol: 0.5 / 128 + F32 },
    { label: '16-bit PCM', args: ['-e', 'signed-integer', '-b', '16'], tag: 1, tol: 0.5 / 32768 + F32 },
    { label: '24-bit PCM (sox writes EXTENSIBLE)', args: ['-e', 'signed-integer', '-b', '24'], tag: 0xfffe, tol: 0.5 / 2 ** 23 + F32 },
    { label: '32-bit PCM (sox writes EXTENSIBLE)', args: ['-e', 'signed-integer', '-b', '32'], tag: 0xfffe, tol: 2 ** -31 + F32 },
    { label: '32-bit float', args: ['-e', 'floating-point', '-b', '32'], tag: 3, tol: 2 ** -31 + F32 },
    { label: '64-bit float', args: ['-e', 'floating-point', '-b', '64'], tag: 3, tol: 2 ** -31 + F32 },
  ];

  for (const [i, fmt] of formats.entries()) {
    it(`${fmt.label}, mono 16 kHz: matches the original within quantisation`, () => {
      const rate = 16000;
      const signal = testSignal(1234, rate);
      const wav = soxConvert(`fmt${i}`, signal, rate, 1, fmt.args);
      expect(formatTagOf(wav)).toBe(fmt.tag);
      const audio = decodeWav(wav, `fmt${i}.wav`);
      expect(audio.sampleRate).toBe(rate);
      expect(audio.channels).toBe(1);
      expect(audio.samples.length).toBe(1234);
      expect(maxAbsDiff(audio.samples, signal)).toBeLessThanOrEqual(fmt.tol);
      // and it is not trivially zero
      expect(Math.max(...audio.samples)).toBeGreaterThan(0.79);
    });
  }

  for (const [i, fmt] of formats.entries()) {
    it(`${fmt.label}, stereo with different channels: mixdown is the channel average`, () => {
      const rate = 22050;
      const signal = testSignal(777, rate, 2);
      const wav = soxConvert(`st${i}`, signal, rate, 2, fmt.args);
      const audio = decodeWav(wav, `st${i}.wav`);
      expect(audio.channels).toBe(2);
      expect(audio.samples.length).toBe(777);
      const expected = mixdown(signal, 2);
      expect(maxAbsDiff(audio.samples, expected)).toBeLessThanOrEqual(fmt.tol);
      // the average differs clearly from either channel alone
      const left = signal.filter((_, k) => k % 2 === 0);
      expect(maxAbsDiff(audio.samples, left)).toBeGreaterThan(0.1);
    });
  }

  it('6-channel 24-bit EXTENSIBLE file is averaged over all channels', () => {
    const signal = testSignal(500, 48000, 6);
    const wav = soxConvert('six', signal, 48000, 6, ['-e', 'signed-integer', '-b', '24']);
    expect(formatTagOf(wav)).toBe(0xfffe);
    const audio = decodeWav(wav, 'six.wav');
    expect(audio.channels).toBe(6);
    expect(maxAbsDiff(audio.samples, mixdown(signal, 6))).toBeLessThanOrEqual(0.5 / 2 ** 23 + 2 ** -24);
  });

  it('WAVE_FORMAT_EXTENSIBLE wrapping 32- and 64-bit float decodes as float (not as integers)', () => {
    for (const bits of [32, 64]) {
      const signal = testSignal(300, 8000, 2);
      const plain = soxConvert(`extf${bits}`, signal, 8000, 2, ['-e', 'floating-point', '-b', String(bits)]);
      const ext = toExtensible(plain);
      expect(formatTagOf(ext)).toBe(0xfffe);
      const a = decodeWav(ext, `extf${bits}.wav`);
      expect(a.channels).toBe(2);
      expect(maxAbsDiff(a.samples, mixdown(signal, 2))).toBeLessThanOrEqual(2 ** -31 + 2 ** -24);
      expect(a.samples).toEqual(decodeWav(plain, 'plain.wav').samples);
    }
  });

  for (const rate of [8000, 22050, 44100, 48000, 96000]) {
    it(`16-bit mono at ${rate} Hz: rate, length and duration`, () => {
      const frames = Math.round(rate * 0.25);
      const signal = testSignal(frames, rate);
      const wav = soxConvert(`rate${rate}`, signal, rate, 1, ['-e', 'signed-integer', '-b', '16']);
      const audio = decodeWav(wav, `rate${rate}.wav`);
      expect(audio.sampleRate).toBe(rate);
      expect(audio.samples.length).toBe(frames);
      expect(audio.durationMs).toBeCloseTo((frames * 1000) / rate, 9);
      expect(Math.abs(audio.durationMs - 250)).toBeLessThan(1000 / rate);
      expect(maxAbsDiff(audio.samples, signal)).toBeLessThanOrEqual(0.5 / 32768 + 2 ** -24);
    });
  }

  it('skips unknown and odd-sized chunks (with pad byte) before the data chunk', () => {
    const wav = encodeWav16(new Float32Array([0.25, -0.5, 0.75]), 8000);
    const withList = insertChunkBeforeData(wav, 'LIST', new Uint8Array([0x49, 0x4e, 0x46, 0x4f, 1, 2, 3])); // 7 bytes + pad
    const audio = decodeWav(withList, 'list.wav');
    expect(Array.from(audio.samples)).toEqual([0.25, -0.5, 0.75]);
  });

  it('ignores a hostile cue chunk claiming 2^28 cue points (wavefile alone would hang on it)', () => {
    const wav = encodeWav16(new Float32Array([0.5, -0.5]), 8000);
    const cue = new Uint8Array([0xff, 0xff, 0xff, 0x0f]);
    const t0 = performance.now();
    const audio = decodeWav(insertChunkBeforeData(wav, 'cue ', cue), 'cue.wav');
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(Array.from(audio.samples)).toEqual([0.5, -0.5]);
  });

  it('drops a trailing partial frame when all claimed data bytes are present', () => {
    const wav = encodeWav16(new Float32Array([0.5, 0.25, -0.25]), 8000);
    const odd = new Uint8Array(wav.length + 2); // one extra data byte + pad byte
    odd.set(wav);
    const v = new DataView(odd.buffer);
    v.setUint32(40, 7, true); // data claims 7 bytes = 3 frames + 1 byte
    v.setUint32(4, odd.length - 8, true);
    expect(Array.from(decodeWav(odd, 'odd.wav').samples)).toEqual([0.5, 0.25, -0.25]);
  });
});

describe('encodeWav16', () => {
  it('writes a 44-byte-header 16-bit mono PCM file that sox reads back', () => {
    const signal = new Float32Array(testSignal(1000, 8000));
    const wav = encodeWav16(signal, 8000);
    expect(wav.length).toBe(44 + 2000);
    expect(String.fromCharCode(...wav.subarray(0, 4))).toBe('RIFF');
    const path = join(tmp, 'enc.wav');
    writeFileSync(path, wav);
    const info = (arg: string): string => execFileSync('soxi', [arg, path]).toString().trim();
    expect(info('-r')).toBe('8000');
    expect(info('-c')).toBe('1');
    expect(info('-b')).toBe('16');
    expect(info('-s')).toBe('1000');
    expect(info('-e')).toBe('Signed Integer PCM');
    const back = decodeWav(wav, 'enc.wav');
    expect(maxAbsDiff(back.samples, signal)).toBeLessThanOrEqual(0.5 / 32768);
  });

  it('clips to [-1, 1] and writes NaN as 0', () => {
    const back = decodeWav(encodeWav16(new Float32Array([2, -3, 1, -1, NaN, 0]), 44100), 'clip.wav');
    expect(Array.from(back.samples)).toEqual([32767 / 32768, -1, 32767 / 32768, -1, 0, 0]);
  });

  it('rejects invalid sample rates with RangeError', () => {
    expect(() => encodeWav16(new Float32Array(1), 0)).toThrow(RangeError);
    expect(() => encodeWav16(new Float32Array(1), 44100.5)).toThrow(RangeError);
    expect(() => encodeWav16(new Float32Array(1), NaN)).toThrow(RangeError);
  });
});

describe('decodeWav errors', () => {
  const valid = (): Uint8Array => {
    const s = new Float32Array(48000);
    for (let i = 0; i < s.length; i++) s[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / 8000);
    return encodeWav16(s, 8000); // data chunk: 96000 bytes at offset 44
  };
  const floatWav = (bits: 32 | 64, channels: number): Uint8Array =>
    soxConvert(`nan${bits}_${channels}`, testSignal(64, 8000, channels), 8000, channels, ['-e', 'floating-point', '-b', String(bits)]);

  it('empty input', () => {
    expect(decodeError(new Uint8Array(0), 'empty.wav').message).toBe('empty.wav: empty input (0 bytes)');
  });

  it('random bytes', () => {
    const rnd = mulberry32(7);
    const bytes = Uint8Array.from({ length: 1000 }, () => Math.floor(rnd() * 256));
    expect(decodeError(bytes, 'bad.wav').message).toBe('bad.wav: not a RIFF/WAVE file');
    expect(decodeError(new TextEncoder().encode('hello'), 'hello.txt').message).toBe('hello.txt: not a RIFF/WAVE file');
  });

  it('non-Uint8Array input', () => {
    expect(decodeError(null as unknown as Uint8Array, 'null').reason).toBe('input is not a Uint8Array');
    expect(decodeError([1, 2, 3] as unknown as Uint8Array, 'array').reason).toBe('input is not a Uint8Array');
  });

  it('WAV truncated inside the header', () => {
    const wav = valid();
    expect(decodeError(wav.slice(0, 6), 'h6.wav').message).toBe('h6.wav: truncated RIFF header (6 bytes, need at least 12)');
    expect(decodeError(wav.slice(0, 12), 'h12.wav').reason).toMatch(/^missing fmt chunk$/);
    expect(decodeError(wav.slice(0, 16), 'h16.wav').reason).toMatch(/^truncated header \(input ends inside a chunk header/);
    expect(decodeError(wav.slice(0, 28), 'h28.wav').message).toBe('h28.wav: truncated fmt chunk (claims 16 bytes, has 8)');
    expect(decodeError(wav.slice(0, 40), 'h40.wav').reason).toBe('truncated header (input ends inside a chunk header at byte 36; no data chunk)');
  });

  it('data chunk cut short: error naming claimed and present bytes (no partial decode)', () => {
    const wav = valid();
    expect(decodeError(wav.slice(0, 44 + 1200), 'x.wav').message).toBe('x.wav: truncated data chunk (claims 96000 bytes, has 1200)');
    expect(decodeError(wav.slice(0, 44 + 1201), 'x.wav').reason).toBe('truncated data chunk (claims 96000 bytes, has 1201)');
    expect(decodeError(wav.slice(0, 44), 'x.wav').reason).toBe('truncated data chunk (claims 96000 bytes, has 0)');
  });

  it('zero-length data', () => {
    expect(decodeError(encodeWav16(new Float32Array(0), 8000), 'x.wav').message).toBe('x.wav: no audio data (0 samples)');
    const wav = valid();
    const v = new DataView(wav.buffer);
    v.setUint32(40, 1, true); // one byte: less than a frame
    expect(decodeError(wav, 'y.wav').reason).toMatch(/^no audio data \(0 samples/);
  });

  it('header claiming a 4 GB data chunk fails fast without allocating it', () => {
    const wav = valid();
    const v = new DataView(wav.buffer);
    v.setUint32(4, 0xffffffff, true);
    v.setUint32(40, 0xffffffff, true);
    const t0 = performance.now();
    expect(decodeError(wav, 'huge.wav').message).toBe('huge.wav: truncated data chunk (claims 4294967295 bytes, has 96000)');
    expect(performance.now() - t0).toBeLessThan(500);
    // and a huge unknown chunk before the data chunk
    const withJunk = insertChunkBeforeData(valid(), 'junk', new Uint8Array(4));
    new DataView(withJunk.buffer).setUint32(40, 0xfffffff0, true);
    expect(decodeError(withJunk, 'junk.wav').reason).toBe('truncated "junk" chunk (claims 4294967280 bytes, has 96012); no data chunk');
  });

  it('unsupported codecs: patched MP3 tag, sox u-law and A-law, IMA ADPCM', () => {
    const wav = valid();
    new DataView(wav.buffer).setUint16(20, 0x55, true);
    expect(decodeError(wav, 'x.wav').message).toBe('x.wav: unsupported codec (format tag 85: MPEG Layer-3 (MP3))');
    const sig = testSignal(100, 8000);
    const ulaw = soxConvert('ulaw', sig, 8000, 1, ['-e', 'u-law']);
    expect(decodeError(ulaw, 'u.wav').message).toBe('u.wav: unsupported codec (format tag 7: mu-law)');
    const alaw = soxConvert('alaw', sig, 8000, 1, ['-e', 'a-law']);
    expect(decodeError(alaw, 'a.wav').message).toBe('a.wav: unsupported codec (format tag 6: A-law)');
    const ima = soxConvert('ima', sig, 8000, 1, ['-e', 'ima-adpcm']);
    expect(decodeError(ima, 'i.wav').reason).toBe('unsupported codec (format tag 17: IMA ADPCM)');
    // EXTENSIBLE wrapping an unsupported sub-format, and a non-standard GUID
    const ext = toExtensible(valid());
    const ev = new DataView(ext.buffer);
    ev.setUint16(44, 0x55, true);
    expect(decodeError(ext, 'e.wav').reason).toBe('unsupported codec (WAVE_FORMAT_EXTENSIBLE sub-format 85: MPEG Layer-3 (MP3))');
    ev.setUint16(44, 1, true);
    ext[59] ^= 0xff;
    expect(decodeError(ext, 'g.wav').reason).toMatch(/non-standard sub-format GUID/);
  });

  it('unsupported bit depths and containers', () => {
    const wav = valid();
    const v = new DataView(wav.buffer);
    v.setUint16(34, 12, true);
    expect(decodeError(wav, 'b.wav').reason).toBe('unsupported bit depth (12-bit integer PCM)');
    const f = floatWav(32, 1);
    new DataView(f.buffer).setUint16(34, 16, true);
    expect(decodeError(f, 'f.wav').reason).toBe('unsupported bit depth (16-bit float)');
    const rifx = valid();
    rifx[3] = 0x58; // 'RIFX'
    expect(decodeError(rifx, 'r.wav').reason).toMatch(/^unsupported container RIFX/);
    const noFmt = valid();
    noFmt[15] = 0x78; // 'fmtx'
    expect(decodeError(noFmt, 'n.wav').reason).toBe('missing fmt chunk');
    const noData = valid();
    noData[36] = 0x44; // 'Data'
    expect(decodeError(noData, 'd.wav').reason).toBe('missing data chunk');
    const shortFmt = valid();
    new DataView(shortFmt.buffer).setUint32(16, 14, true);
    expect(decodeError(shortFmt, 's.wav').reason).toBe('fmt chunk too short (14 bytes, need 16)');
    const align = valid();
    new DataView(align.buffer).setUint16(32, 4, true);
    expect(decodeError(align, 'al.wav').reason).toMatch(/^inconsistent fmt chunk \(block align 4, expected 2/);
  });

  it('float samples that are NaN or ±Infinity', () => {
    const f32 = floatWav(32, 1);
    const d32 = findChunk(f32, 'data') + 8;
    new DataView(f32.buffer).setUint32(d32 + 10 * 4, 0x7fc00000, true); // NaN at frame 10
    expect(decodeError(f32, 'x.wav').message).toBe('x.wav: sample value NaN/Inf at frame 10 (channel 0 is NaN)');

    const f64 = floatWav(64, 1);
    const d64 = findChunk(f64, 'data') + 8;
    new DataView(f64.buffer).setFloat64(d64 + 3 * 8, Infinity, true);
    expect(decodeError(f64, 'y.wav').message).toBe('y.wav: sample value NaN/Inf at frame 3 (channel 0 is Infinity)');

    const st = floatWav(32, 2);
    const ds = findChunk(st, 'data') + 8;
    new DataView(st.buffer).setFloat32(ds + (5 * 2 + 1) * 4, -Infinity, true); // frame 5, right channel
    expect(decodeError(st, 'z.wav').reason).toBe('sample value NaN/Inf at frame 5 (channel 1 is -Infinity)');
  });

  it('float samples beyond ±1 are clamped to [-1, 1] after mixdown', () => {
    const f = floatWav(32, 1);
    const d = findChunk(f, 'data') + 8;
    const v = new DataView(f.buffer);
    v.setFloat32(d, 3.5, true);
    v.setFloat32(d + 4, -2, true);
    const a = decodeWav(f, 'loud.wav');
    expect(a.samples[0]).toBe(1);
    expect(a.samples[1]).toBe(-1);
  });

  it('sample rates outside 1000..384000 Hz and channel counts outside 1..8', () => {
    for (const [rate, ok] of [
      [999, false],
      [1000, true],
      [384000, true],
      [384001, false],
      [0, false],
    ] as const) {
      const wav = valid();
      new DataView(wav.buffer).setUint32(24, rate, true);
      if (ok) expect(decodeWav(wav, 'r.wav').sampleRate).toBe(rate);
      else expect(decodeError(wav, 'r.wav').reason).toBe(`unsupported sample rate ${rate} Hz (supported: 1000–384000 Hz)`);
    }
    const nine = soxConvert('nine', testSignal(10, 8000, 9), 8000, 9, ['-e', 'signed-integer', '-b', '16']);
    expect(decodeError(nine, '9ch.wav').message).toBe('9ch.wav: too many channels (9; at most 8 supported)');
    const eight = soxConvert('eight', testSignal(10, 8000, 8), 8000, 8, ['-e', 'signed-integer', '-b', '16']);
    expect(decodeWav(eight, '8ch.wav').channels).toBe(8);
    const zero = valid();
    new DataView(zero.buffer).setUint16(22, 0, true);
    expect(decodeError(zero, '0ch.wav').reason).toBe('invalid channel count (0)');
  });
});

describe('decodeWav fuzz', () => {
  it('300 seeded mutations/truncations: finite in-range samples or WavDecodeError, nothing else', () => {
    const rnd = mulberry32(20240611);
    const bases: Uint8Array[] = [
      encodeWav16(new Float32Array(testSignal(200, 8000)), 8000),
      soxConvert('fz1', testSignal(100, 16000, 2), 16000, 2, ['-e', 'floating-point', '-b', '32']),
      soxConvert('fz2', testSignal(100, 44100, 3), 44100, 3, ['-e', 'signed-integer', '-b', '24']),
      soxConvert('fz3', testSignal(100, 8000), 8000, 1, ['-e', 'unsigned-integer', '-b', '8']),
      soxConvert('fz4', testSignal(50, 8000, 2), 8000, 2, ['-e', 'floating-point', '-b', '64']),
    ];
    const outcomes = { decoded: 0, rejected: 0 };
    const t0 = performance.now();
    for (let iter = 0; iter < 300; iter++) {
      const base = bases[iter % bases.length];
      let bytes = base.slice();
      const mutations = 1 + Math.floor(rnd() * 8);
      for (let m = 0; m < mutations; m++) {
        // half the mutations hit the header region, where they matter most
        const limit = rnd() < 0.5 ? Math.min(80, bytes.length) : bytes.length;
        const at = Math.floor(rnd() * limit);
        const kind = rnd();
        if (kind < 0.6) bytes[at] = Math.floor(rnd() * 256);
        else if (kind < 0.8) bytes[at] = rnd() < 0.5 ? 0 : 0xff;
        else bytes[at] ^= 1 << Math.floor(rnd() * 8);
      }
      if (rnd() < 0.4) bytes = bytes.slice(0, Math.floor(rnd() * bytes.length));
      const source = `fuzz-${iter}.wav`;
      let audio: DecodedAudio;
      try {
        audio = decodeWav(bytes, source);
      } catch (err) {
        if (!(err instanceof WavDecodeError)) throw new Error(`${source}: threw non-WavDecodeError ${String(err)}`, { cause: err });
        expect(err.message.startsWith(`${source}: `)).toBe(true);
        expect(err.message).not.toMatch(/internal decoder error/);
        outcomes.rejected++;
        if (process.env.WAV_FUZZ_VERBOSE) console.log(err.reason);
        continue;
      }
      outcomes.decoded++;
      expect(audio.samples.length).toBeGreaterThan(0);
      expect(audio.sampleRate).toBeGreaterThanOrEqual(1000);
      expect(audio.sampleRate).toBeLessThanOrEqual(384000);
      expect(audio.channels).toBeGreaterThanOrEqual(1);
      expect(audio.channels).toBeLessThanOrEqual(8);
      expect(Number.isFinite(audio.durationMs)).toBe(true);
      for (const s of audio.samples) {
        if (!(s >= -1 && s <= 1)) throw new Error(`${source}: sample ${s} outside [-1, 1]`);
      }
    }
    // the loop exercised both outcomes, quickly
    expect(outcomes.decoded).toBeGreaterThan(20);
    expect(outcomes.rejected).toBeGreaterThan(20);
    expect(performance.now() - t0).toBeLessThan(10000);
  }, 30000);
});

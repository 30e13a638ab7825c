/**
 * The product's one WAV decoder (and a tiny 16-bit writer for tests and tools).
 *
 * Used by the CLI and the trainer in Node, and written without Node imports so the same file
 * runs in a browser: input is a `Uint8Array`, output a mono `Float32Array`.
 *
 * How it is put together:
 *  1. This module walks the RIFF chunks itself (bounded, DataView reads only) and validates the
 *     `fmt ` and `data` chunks: container, codec, bit depth, channel count, sample rate, block
 *     align, and that the data chunk really holds the bytes it claims. Every problem becomes a
 *     {@link WavDecodeError} with a precise message.
 *  2. The validated audio is re-wrapped in a canonical 44-byte-header WAV (plain `fmt ` chunk,
 *     format tag 1 or 3, whole frames only) and handed to the `wavefile` library, which unpacks
 *     the samples. `wavefile` never sees the caller's bytes directly, because on its own it
 *     (a) hangs/allocates without bound on a `cue `/`smpl` chunk claiming ~2^32 entries (it
 *     loops over the claimed count, reading past the buffer), (b) decodes by `bitsPerSample`
 *     alone, ignoring the format tag (an MP3 or WAVE_FORMAT_EXTENSIBLE float file would come out
 *     as integer PCM noise), and (c) slices a truncated data chunk to whatever bytes exist.
 *  3. Samples are scaled to [-1, 1] and averaged across channels into one mono channel.
 *
 * Truncated data policy (deliberate): the `data` chunk's size field is authoritative. If it
 * claims more bytes than the input holds, decoding fails with
 * `"<source>: truncated data chunk (claims N bytes, has M)"` — nothing is decoded partially,
 * so a cut-off recording or a half-copied dataset file is reported instead of silently
 * producing shorter audio. (This also rejects streaming writers that leave a 0xFFFFFFFF
 * placeholder size.) A data chunk whose size is not a multiple of the frame size, but whose
 * bytes are all present, is decoded up to its last whole frame; the partial frame is dropped.
 */
import * as wavefileModule from 'wavefile';

/** Lowest sample rate accepted by {@link decodeWav}, Hz. */
const MIN_SAMPLE_RATE = 1000;
/** Highest sample rate accepted by {@link decodeWav}, Hz. */
const MAX_SAMPLE_RATE = 384000;
/** Most channels accepted by {@link decodeWav}. */
const MAX_CHANNELS = 8;
/** Most interleaved samples (frames × channels) decoded from one file: 2^28 (≈46 min of 48 kHz stereo). */
const MAX_TOTAL_SAMPLES = 2 ** 28;

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Bytes 2..15 of every standard KSDATAFORMAT_SUBTYPE_* GUID (bytes 0..1 hold the format tag). */
const KSDATAFORMAT_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71] as const;

/** Names of common WAV format tags, only for error messages. */
const FORMAT_TAG_NAMES: Readonly<Record<number, string>> = {
  0x0000: 'unknown',
  0x0001: 'PCM',
  0x0002: 'Microsoft ADPCM',
  0x0003: 'IEEE float',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0016: 'ITU G.723 ADPCM',
  0x0031: 'GSM 6.10',
  0x0040: 'ITU G.721 ADPCM',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer-3 (MP3)',
  0x00ff: 'AAC',
  0x0161: 'Windows Media Audio',
  0x1610: 'HE-AAC',
  0x2000: 'Dolby AC-3',
  0xf1ac: 'FLAC',
  0xfffe: 'WAVE_FORMAT_EXTENSIBLE',
};

/** Mono audio decoded from a WAV file. */
export interface DecodedAudio {
  /** Sample rate of `samples`, Hz (the file's rate; no resampling is done). */
  sampleRate: number;
  /** Number of channels in the file, before the mono mixdown (1..8). */
  channels: number;
  /**
   * Mono mixdown, one value per frame: the average of the frame's channels, each scaled to
   * [-1, 1] (integers: value / 2^(bits-1), 8-bit unsigned re-centred first; floats clamped).
   * Length = number of whole frames in the data chunk (always ≥ 1).
   */
  samples: Float32Array;
  /** Duration, milliseconds: `samples.length / sampleRate * 1000`. */
  durationMs: number;
}

/**
 * Thrown by {@link decodeWav} for any input it cannot decode; it never throws anything else.
 *
 * `message` is `"<source>: <reason>"`, e.g. `"bad.wav: not a RIFF/WAVE file"`,
 * `"x.wav: truncated data chunk (claims 96000 bytes, has 1200)"`. Unexpected internal failures
 * (e.g. an allocation failure) are wrapped too, with the original error as `cause`.
 */
export class WavDecodeError extends Error {
  /** The `source` string passed to {@link decodeWav} (a file name, URL, … — used only for messages). */
  readonly source: string;
  /** The problem without the source prefix, e.g. `"not a RIFF/WAVE file"`. */
  readonly reason: string;

  /**
   * @param source Where the bytes came from (shown first in the message).
   * @param reason What is wrong with them.
   * @param options Standard error options; `cause` carries a wrapped library error.
   */
  constructor(source: string, reason: string, options?: { cause?: unknown }) {
    super(`${source}: ${reason}`, options);
    this.name = 'WavDecodeError';
    this.source = source;
    this.reason = reason;
  }
}

/** What the `fmt ` chunk says, after validation. */
interface FmtInfo {
  /** WAVE_FORMAT_PCM or WAVE_FORMAT_IEEE_FLOAT (EXTENSIBLE is resolved to its sub-format). */
  readonly formatTag: typeof WAVE_FORMAT_PCM | typeof WAVE_FORMAT_IEEE_FLOAT;
  readonly channels: number;
  readonly sampleRate: number;
  /** Container bits per sample: 8/16/24/32 for PCM, 32/64 for float. */
  readonly bitsPerSample: number;
  /** Bytes per frame (all channels). */
  readonly blockAlign: number;
}

type WaveFileCtor = typeof wavefileModule.WaveFile;
let waveFileCtor: WaveFileCtor | undefined;

/**
 * The `WaveFile` class, whichever way the bundler/runtime exposes it: Node loads wavefile's
 * CommonJS/UMD build (`main`), whose exports reach ESM only as the default export, while
 * bundlers (Vite) pick its ES-module build (`module`), which has a named `WaveFile` export and
 * no default. A namespace import plus this lookup works in both.
 */
function getWaveFileCtor(): WaveFileCtor {
  if (waveFileCtor === undefined) {
    const ns = wavefileModule as unknown as {
      WaveFile?: WaveFileCtor;
      default?: { WaveFile?: WaveFileCtor };
    };
    const ctor = ns.WaveFile ?? ns.default?.WaveFile;
    if (typeof ctor !== 'function') throw new Error('the wavefile module exports no WaveFile class');
    waveFileCtor = ctor;
  }
  return waveFileCtor;
}

function fourCC(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}

/** A chunk id for messages: quoted, with bytes outside printable ASCII shown as \xNN. */
function printableId(id: string): string {
  let out = '';
  for (const ch of id) {
    const code = ch.charCodeAt(0);
    out += code >= 0x20 && code < 0x7f && ch !== '"' && ch !== '\\' ? ch : `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return `"${out}"`;
}

function formatTagName(tag: number): string {
  return FORMAT_TAG_NAMES[tag] ?? `0x${tag.toString(16).padStart(4, '0')}`;
}

/**
 * Decode a WAV file into mono float samples.
 *
 * Supported: little-endian RIFF/WAVE with format tag 1 (integer PCM: 8-bit unsigned, 16-, 24-,
 * 32-bit signed), tag 3 (IEEE float, 32- or 64-bit), or WAVE_FORMAT_EXTENSIBLE wrapping either
 * (container size decides the decoding; `wValidBitsPerSample` is ignored, which is exact for
 * left-justified samples); 1..8 channels, averaged to mono; 1000..384000 Hz. Chunks other than
 * `fmt ` and `data` are skipped; RIFF size fields are not trusted.
 *
 * Cost is bounded by the input: at most `bytes.length / 8` chunk-walk steps, and allocations
 * proportional to the number of sample bytes actually present, whatever the header claims.
 *
 * @param bytes The whole file. Not modified and not retained.
 * @param source Name of the input (file path, URL, …), used only in error messages.
 * @returns Mono audio at the file's sample rate, at least one frame long.
 * @throws {WavDecodeError} For every failure, and nothing else, e.g.: empty input, not a
 *   RIFF/WAVE file, RIFX/RF64 container, truncated header or `fmt ` chunk, missing `fmt `/`data`
 *   chunk, unsupported codec (`"unsupported codec (format tag 85: MPEG Layer-3 (MP3))"`) or bit
 *   depth, 0 or more than 8 channels, sample rate outside 1000..384000 Hz, inconsistent block
 *   align, a data chunk claiming more bytes than present (see the module comment: no partial
 *   decoding), no whole frame of audio (`"no audio data (0 samples)"`), more than 2^28
 *   interleaved samples, or a NaN/±Infinity float sample
 *   (`"sample value NaN/Inf at frame N (channel C is NaN)"`).
 */
export function decodeWav(bytes: Uint8Array, source: string): DecodedAudio {
  const name = String(source);
  try {
    return decodeWavUnchecked(bytes, name);
  } catch (err) {
    if (err instanceof WavDecodeError) throw err;
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new WavDecodeError(name, `internal decoder error (${detail})`, { cause: err });
  }
}

function decodeWavUnchecked(bytes: Uint8Array, source: string): DecodedAudio {
  const fail = (reason: string): WavDecodeError => new WavDecodeError(source, reason);
  if (!(bytes instanceof Uint8Array)) throw fail('input is not a Uint8Array');
  const n = bytes.length;
  if (n === 0) throw fail('empty input (0 bytes)');

  // --- RIFF header -------------------------------------------------------------------------
  if (n < 12) {
    const prefix = String.fromCharCode(...bytes.subarray(0, Math.min(n, 4)));
    if ('RIFF'.startsWith(prefix)) throw fail(`truncated RIFF header (${n} bytes, need at least 12)`);
    throw fail('not a RIFF/WAVE file');
  }
  const container = fourCC(bytes, 0);
  const form = fourCC(bytes, 8);
  if (form === 'WAVE' && (container === 'RIFX' || container === 'RF64')) {
    throw fail(`unsupported container ${container} (only little-endian RIFF/WAVE is supported)`);
  }
  if (container !== 'RIFF' || form !== 'WAVE') throw fail('not a RIFF/WAVE file');

  // --- Chunk walk --------------------------------------------------------------------------
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: FmtInfo | undefined;
  let dataStart = -1;
  let dataClaimed = 0;
  let pos = 12;
  let lastChunk: { id: string; size: number; body: number } | undefined;
  while (pos + 8 <= n) {
    const id = fourCC(bytes, pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    lastChunk = { id, size, body };
    if (id === 'fmt ' && fmt === undefined) {
      if (size > n - body) throw fail(`truncated fmt chunk (claims ${size} bytes, has ${n - body})`);
      fmt = parseFmt(view, body, size, fail);
    } else if (id === 'data' && dataStart < 0) {
      dataStart = body;
      dataClaimed = size;
    }
    if (fmt !== undefined && dataStart >= 0) break;
    pos = body + size + (size & 1); // chunks are padded to even length
  }
  if (fmt === undefined || dataStart < 0) {
    const missing = fmt === undefined ? 'fmt' : 'data';
    if (pos < n && pos + 8 > n) {
      throw fail(`truncated header (input ends inside a chunk header at byte ${pos}; no ${missing} chunk)`);
    }
    if (lastChunk !== undefined && lastChunk.size > n - lastChunk.body) {
      const { id, size, body } = lastChunk;
      throw fail(`truncated ${printableId(id)} chunk (claims ${size} bytes, has ${n - body}); no ${missing} chunk`);
    }
    throw fail(`missing ${missing} chunk`);
  }

  // --- Data chunk --------------------------------------------------------------------------
  const available = n - dataStart;
  if (dataClaimed > available) {
    throw fail(`truncated data chunk (claims ${dataClaimed} bytes, has ${available})`);
  }
  const { channels, blockAlign, sampleRate } = fmt;
  const frames = Math.floor(dataClaimed / blockAlign);
  if (frames === 0) {
    throw fail(dataClaimed === 0 ? 'no audio data (0 samples)' : `no audio data (0 samples: ${dataClaimed}-byte data chunk, ${blockAlign}-byte frames)`);
  }
  if (frames * channels > MAX_TOTAL_SAMPLES) {
    throw fail(`audio too long (${frames * channels} samples; at most ${MAX_TOTAL_SAMPLES} supported)`);
  }

  // --- Unpack with wavefile from a canonical buffer ----------------------------------------
  const dataBytes = frames * blockAlign;
  const canonical = new Uint8Array(44 + dataBytes);
  writeCanonicalHeader(canonical, fmt.formatTag, channels, sampleRate, fmt.bitsPerSample, dataBytes);
  canonical.set(bytes.subarray(dataStart, dataStart + dataBytes), 44);
  const WaveFile = getWaveFileCtor();
  const raw = new WaveFile(canonical).getSamples(true, Float64Array);
  if (raw.length !== frames * channels) {
    throw new Error(`wavefile returned ${raw.length} samples, expected ${frames * channels}`);
  }

  // --- Scale and mix down ------------------------------------------------------------------
  const samples = new Float32Array(frames);
  if (fmt.formatTag === WAVE_FORMAT_IEEE_FLOAT) {
    for (let f = 0, i = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++, i++) {
        const v = raw[i];
        if (!Number.isFinite(v)) {
          throw fail(`sample value NaN/Inf at frame ${f} (channel ${c} is ${v})`);
        }
        sum += v;
      }
      const mean = sum / channels;
      samples[f] = mean > 1 ? 1 : mean < -1 ? -1 : mean;
    }
  } else {
    const bits = fmt.bitsPerSample;
    const offset = bits === 8 ? 128 : 0; // 8-bit PCM is unsigned, 128 = silence
    const scale = 1 / (2 ** (bits - 1) * channels);
    for (let f = 0, i = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++, i++) sum += raw[i] - offset;
      samples[f] = sum * scale;
    }
  }
  return { sampleRate, channels, samples, durationMs: (frames * 1000) / sampleRate };
}

/** Validate the `fmt ` chunk body at `body` (`size` bytes, all present). */
function parseFmt(view: DataView, body: number, size: number, fail: (reason: string) => WavDecodeError): FmtInfo {
  if (size < 16) throw fail(`fmt chunk too short (${size} bytes, need 16)`);
  let formatTag = view.getUint16(body, true);
  const channels = view.getUint16(body + 2, true);
  const sampleRate = view.getUint32(body + 4, true);
  const blockAlign = view.getUint16(body + 12, true);
  const bitsPerSample = view.getUint16(body + 14, true);

  let codecLabel = `format tag ${formatTag}: ${formatTagName(formatTag)}`;
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) throw fail(`WAVE_FORMAT_EXTENSIBLE fmt chunk too short (${size} bytes, need 40)`);
    const subTag = view.getUint16(body + 24, true);
    for (let k = 0; k < KSDATAFORMAT_GUID_TAIL.length; k++) {
      if (view.getUint8(body + 26 + k) !== KSDATAFORMAT_GUID_TAIL[k]) {
        throw fail('unsupported codec (WAVE_FORMAT_EXTENSIBLE with a non-standard sub-format GUID)');
      }
    }
    formatTag = subTag;
    codecLabel = `WAVE_FORMAT_EXTENSIBLE sub-format ${subTag}: ${formatTagName(subTag)}`;
  }

  let kind: string;
  let bitsOk: boolean;
  if (formatTag === WAVE_FORMAT_PCM) {
    kind = 'integer PCM';
    bitsOk = bitsPerSample === 8 || bitsPerSample === 16 || bitsPerSample === 24 || bitsPerSample === 32;
  } else if (formatTag === WAVE_FORMAT_IEEE_FLOAT) {
    kind = 'float';
    bitsOk = bitsPerSample === 32 || bitsPerSample === 64;
  } else {
    throw fail(`unsupported codec (${codecLabel})`);
  }
  if (!bitsOk) throw fail(`unsupported bit depth (${bitsPerSample}-bit ${kind})`);
  if (channels === 0) throw fail('invalid channel count (0)');
  if (channels > MAX_CHANNELS) throw fail(`too many channels (${channels}; at most ${MAX_CHANNELS} supported)`);
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw fail(`unsupported sample rate ${sampleRate} Hz (supported: ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz)`);
  }
  const expectedAlign = (channels * bitsPerSample) / 8;
  if (blockAlign !== expectedAlign) {
    throw fail(`inconsistent fmt chunk (block align ${blockAlign}, expected ${expectedAlign} for ${channels} × ${bitsPerSample}-bit)`);
  }
  return { formatTag, channels, sampleRate, bitsPerSample, blockAlign };
}

/** Write a 44-byte RIFF/WAVE header (16-byte `fmt ` chunk, then the `data` chunk header) into `out`. */
function writeCanonicalHeader(out: Uint8Array, formatTag: number, channels: number, sampleRate: number, bitsPerSample: number, dataBytes: number): void {
  const v = new DataView(out.buffer, out.byteOffset, 44);
  const ascii = (offset: number, text: string): void => {
    for (let k = 0; k < 4; k++) v.setUint8(offset + k, text.charCodeAt(k));
  };
  const blockAlign = (channels * bitsPerSample) / 8;
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, formatTag, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * blockAlign, true);
  v.setUint16(32, blockAlign, true);
  v.setUint16(34, bitsPerSample, true);
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
}

/**
 * Encode mono float samples as a 16-bit PCM WAV file (44-byte header, format tag 1, 1 channel),
 * via wavefile's writer.
 *
 * Each sample is clipped to [-1, 1] and quantised as `round(x · 32768)` limited to
 * [-32768, 32767], so {@link decodeWav} returns it within 1/65536 (NaN is written as 0).
 *
 * @param samples Mono samples, nominally in [-1, 1]. May be empty (the file then has an empty
 *   data chunk, which {@link decodeWav} rejects as "no audio data").
 * @param sampleRate Sample rate to record in the header, Hz; an integer ≥ 1.
 * @returns The complete file bytes.
 * @throws {RangeError} If `sampleRate` is not a positive integer, or the file would exceed
 *   the 4 GiB RIFF limit.
 */
export function encodeWav16(samples: Float32Array, sampleRate: number): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate * 2 > 0xffffffff) {
    throw new RangeError(`encodeWav16: invalid sample rate ${sampleRate} (must be a positive integer, Hz)`);
  }
  if (44 + samples.length * 2 > 0xffffffff) {
    throw new RangeError(`encodeWav16: ${samples.length} samples exceed the 4 GiB WAV size limit`);
  }
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const q = Math.round(samples[i] * 32768);
    pcm[i] = q > 32767 ? 32767 : q < -32768 ? -32768 : q || 0; // `|| 0` maps NaN to 0
  }
  const WaveFile = getWaveFileCtor();
  const wav = new WaveFile();
  wav.fromScratch(1, sampleRate, '16', pcm);
  return wav.toBuffer();
}

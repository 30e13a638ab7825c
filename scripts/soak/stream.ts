/**
 * The soak stream: a deterministic (seeded), endless sequence of 8 kHz segments — single digits
 * and digit strings (FSDD test clips, clean or in noise), silence, stationary noise, bursty
 * non-speech sounds and non-digit speech — with the true place of every digit. Built one segment
 * at a time (at most ≈ 40 s of audio alive), so an hour of it costs no more memory than a minute.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav } from '../../src/audio/wav';
import { FSDD_DIR } from '../../test/helpers/fsdd';
import { generateNoise, type NoiseColour, officeNoise, rms } from '../../src/audio/noise';
import { nonSpeechSound } from '../../training/nonspeech';
import { Random } from '../../src/audio/random';
import type { SpeechClip } from './speech';

/** Sample rate of the generated segments (that of FSDD), Hz. */
export const SEGMENT_RATE = 8000;

/** What a stretch of the stream holds. */
export type SegmentKind = 'digits' | 'digit-string' | 'silence' | 'stationary-noise' | 'bursty-noise' | 'speech';

/** Share of the stream's time each kind gets (the generator keeps every kind near its share). */
export const TIME_SHARE: Readonly<Record<SegmentKind, number>> = Object.freeze({
  digits: 0.35,
  'digit-string': 0.1,
  silence: 0.15,
  'stationary-noise': 0.15,
  'bursty-noise': 0.1,
  speech: 0.15,
});

/** A digit that was said, in stream time. */
export interface ExpectedDigit {
  readonly digit: number;
  /** FSDD clip name, e.g. `7_jackson_3`. */
  readonly clip: string;
  /** The clip's span in the stream, ms (the clip includes FSDD's short near-silence around the word). */
  readonly startMs: number;
  readonly endMs: number;
  /** e.g. `single, clean`, `single, 10 dB`, `string, clean`. */
  readonly condition: string;
}

/** A non-digit utterance that was said, in stream time. */
export interface SpokenText {
  readonly text: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** One generated stretch of the stream. */
export interface SoakSegment {
  readonly kind: SegmentKind;
  /** Span in the stream, ms. */
  readonly startMs: number;
  readonly endMs: number;
  /** Mono audio at {@link SEGMENT_RATE}. */
  readonly samples: Float32Array;
  /** Digits said in it, in order. */
  readonly digits: readonly ExpectedDigit[];
  /** Non-digit utterances (speech) or non-speech sounds (bursty noise) in it. */
  readonly events: number;
  /** The non-digit utterances of a speech segment, in stream time (empty for other kinds). */
  readonly utterances: readonly SpokenText[];
  /** Background: `silence`, `room tone`, or the noise colour and SNR of a noisy digit segment. */
  readonly background: string;
}

/** Options of {@link SoakStream}. */
export interface SoakStreamOptions {
  readonly seed?: number;
  /**
   * Scales the length of silence, noise and speech segments (default 1: 5–40 s each). The browser
   * soak's short loop uses less, so that a minute holds every kind.
   */
  readonly durationScale?: number;
}

const COLOURS: readonly (NoiseColour | 'office')[] = ['white', 'pink', 'brown', 'band', 'office'];
const SNRS_DB = [20, 10] as const;

/** dBFS (RMS re full scale) → linear RMS. */
const dbfs = (db: number) => 10 ** (db / 20);

/**
 * Endless, seeded soak stream. Call {@link next} for each segment in turn; the same seed gives
 * the same stream.
 *
 * @throws Error (constructor) if FSDD's test split is not found beside the project
 */
export class SoakStream {
  private readonly random: Random;
  private readonly scale: number;
  private readonly speech: readonly SpeechClip[];
  /** FSDD test clips (index 0–4) by speaker. */
  private readonly clipsBySpeaker: Map<string, string[]>;
  private readonly clips: string[];
  private readonly timeByKind = new Map<SegmentKind, number>();
  private samples = 0;

  /** @param speech the non-digit utterances ({@link nonDigitSpeech}), 8 kHz */
  constructor(speech: readonly SpeechClip[], options: SoakStreamOptions = {}) {
    this.random = new Random(options.seed ?? 1);
    this.scale = options.durationScale ?? 1;
    this.speech = speech;
    this.clips = readdirSync(FSDD_DIR)
      .filter((n) => /^\d_[a-z]+_[0-4]\.wav$/.test(n))
      .sort()
      .map((n) => n.slice(0, -4));
    if (this.clips.length === 0) throw new Error(`soak stream: no FSDD test clips in ${FSDD_DIR}`);
    this.clipsBySpeaker = new Map();
    for (const c of this.clips) {
      const speaker = c.split('_')[1];
      this.clipsBySpeaker.set(speaker, [...(this.clipsBySpeaker.get(speaker) ?? []), c]);
    }
  }

  /** Stream time generated so far, ms. */
  get timeMs(): number {
    return (this.samples * 1000) / SEGMENT_RATE;
  }

  /** The next segment: the kind furthest below its {@link TIME_SHARE} (of the time so far plus a minute × the duration scale). */
  next(): SoakSegment {
    const ahead = this.samples + 60 * this.scale * SEGMENT_RATE;
    let kind: SegmentKind = 'digits';
    let deficit = -Infinity;
    for (const [k, share] of Object.entries(TIME_SHARE) as [SegmentKind, number][]) {
      const d = share * ahead - (this.timeByKind.get(k) ?? 0);
      if (d > deficit) [kind, deficit] = [k, d];
    }
    const startMs = this.timeMs;
    const built = this.build(kind, startMs);
    this.samples += built.samples.length;
    this.timeByKind.set(kind, (this.timeByKind.get(kind) ?? 0) + built.samples.length);
    return { kind, startMs, endMs: this.timeMs, ...built };
  }

  private build(kind: SegmentKind, startMs: number): Omit<SoakSegment, 'kind' | 'startMs' | 'endMs'> {
    const r = this.random;
    const seconds = (lo: number, hi: number) => Math.round(r.uniform(lo, hi) * this.scale * SEGMENT_RATE);
    switch (kind) {
      case 'digits': {
        const names = Array.from({ length: 3 + r.int(4) }, () => this.clips[r.int(this.clips.length)]);
        const snr = r.next() < 0.5 ? null : SNRS_DB[r.int(SNRS_DB.length)];
        return this.digitSegment(names, () => r.uniform(0.8, 2.5), r.uniform(0.5, 1.5), snr, `single, ${snr === null ? 'clean' : `${snr} dB`}`, startMs);
      }
      case 'digit-string': {
        const speakers = [...this.clipsBySpeaker.keys()];
        const own = this.clipsBySpeaker.get(speakers[r.int(speakers.length)])!;
        const names = Array.from({ length: 3 + r.int(3) }, () => own[r.int(own.length)]);
        const snr = r.next() < 0.6 ? null : 20;
        // Gaps of natural speech (README: words 50–300 ms apart are read one by one); a 2 s tail.
        const gaps = names.map((_, i) => (i === names.length - 1 ? r.uniform(1.5, 2.5) : r.uniform(0.1, 0.3)));
        let i = 0;
        return this.digitSegment(names, () => gaps[i++], r.uniform(0.5, 1), snr, `string, ${snr === null ? 'clean' : `${snr} dB`}`, startMs);
      }
      case 'silence': {
        const { samples, background } = this.roomTone(seconds(5, 40));
        return { samples, digits: [], events: 0, utterances: [], background };
      }
      case 'stationary-noise': {
        const n = seconds(5, 40);
        const colour = COLOURS[r.int(COLOURS.length)];
        const levelDb = r.uniform(-50, -25);
        const samples = this.noise(n, colour);
        const fade = Math.round(0.05 * SEGMENT_RATE);
        for (let i = 0; i < n; i++) samples[i] *= dbfs(levelDb) * Math.min(1, i / fade, (n - 1 - i) / fade);
        return { samples, digits: [], events: 0, utterances: [], background: `${colour} noise ${levelDb.toFixed(0)} dBFS` };
      }
      case 'bursty-noise':
      case 'speech': {
        const { samples, background } = this.roomTone(seconds(10, 30));
        let events = 0;
        const utterances: SpokenText[] = [];
        for (let at = Math.round(r.uniform(0.2, 1) * SEGMENT_RATE); ; events++) {
          let sound: Float32Array;
          let text = '';
          if (kind === 'speech') {
            const clip = this.speech[r.int(this.speech.length)];
            const gain = dbfs(r.uniform(-32, -20)) / (rms(clip.samples) || 1);
            sound = clip.samples.map((v) => v * gain);
            text = clip.text;
          } else {
            sound = nonSpeechSound(SEGMENT_RATE, r); // clicks, noise bursts, tones, chords (with silence around)
          }
          if (at + sound.length > samples.length) break;
          for (let i = 0; i < sound.length; i++) samples[at + i] += sound[i];
          if (text) utterances.push({ text, startMs: startMs + (at * 1000) / SEGMENT_RATE, endMs: startMs + ((at + sound.length) * 1000) / SEGMENT_RATE });
          at += sound.length + Math.round(r.uniform(kind === 'speech' ? 0.4 : 0.2, kind === 'speech' ? 1.5 : 2.5) * SEGMENT_RATE);
        }
        return { samples: limitPeak(samples), digits: [], events, utterances, background };
      }
    }
  }

  /**
   * FSDD clips at one speech level (the median RMS of the clips) over room tone, or over noise
   * at `snrDb` against that level (as the evaluation does: SNR against the clip's RMS).
   */
  private digitSegment(
    names: string[],
    gapS: () => number,
    leadS: number,
    snrDb: number | null,
    condition: string,
    startMs: number,
  ): Omit<SoakSegment, 'kind' | 'startMs' | 'endMs'> {
    const clips = names.map((name) => {
      const path = join(FSDD_DIR, `${name}.wav`);
      return decodeWav(new Uint8Array(readFileSync(path)), path).samples;
    });
    const levels = clips.map((c) => rms(c));
    const level = [...levels].sort((a, b) => a - b)[Math.floor(levels.length / 2)];
    const starts: number[] = [];
    let t = Math.round(leadS * SEGMENT_RATE);
    for (const c of clips) {
      starts.push(t);
      t += c.length + Math.round(gapS() * SEGMENT_RATE);
    }
    let samples: Float32Array;
    let background: string;
    if (snrDb === null) {
      ({ samples, background } = this.roomTone(t));
    } else {
      const colour = COLOURS[this.random.int(COLOURS.length)];
      samples = this.noise(t, colour);
      const gain = level / 10 ** (snrDb / 20);
      for (let i = 0; i < t; i++) samples[i] *= gain;
      background = `${colour} noise, ${snrDb} dB SNR`;
    }
    clips.forEach((c, k) => {
      const gain = level / (levels[k] || 1);
      for (let i = 0; i < c.length; i++) samples[starts[k] + i] += gain * c[i];
    });
    const digits = names.map((clip, k) => ({
      digit: Number(clip[0]),
      clip,
      startMs: startMs + (starts[k] * 1000) / SEGMENT_RATE,
      endMs: startMs + ((starts[k] + clips[k].length) * 1000) / SEGMENT_RATE,
      condition,
    }));
    return { samples: limitPeak(samples), digits, events: 0, utterances: [], background };
  }

  /** Unit-RMS noise of a colour (or the evaluation's "office" noise), at 8 kHz. */
  private noise(n: number, colour: NoiseColour | 'office'): Float32Array {
    return colour === 'office' ? officeNoise(n, SEGMENT_RATE, this.random) : generateNoise(n, colour, this.random, SEGMENT_RATE);
  }

  /** A quiet room: pink noise at −75…−55 dBFS, or (one time in six) digital silence. */
  private roomTone(n: number): { samples: Float32Array; background: string } {
    if (this.random.next() < 1 / 6) return { samples: new Float32Array(n), background: 'digital silence' };
    const levelDb = this.random.uniform(-75, -55);
    const samples = generateNoise(n, 'pink', this.random);
    for (let i = 0; i < n; i++) samples[i] *= dbfs(levelDb);
    return { samples, background: `room tone ${levelDb.toFixed(0)} dBFS` };
  }
}

/** Scales a signal down (in place) so that its peak stays under 0.99; returns it. */
function limitPeak(samples: Float32Array): Float32Array {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]));
  if (peak > 0.99) for (let i = 0; i < samples.length; i++) samples[i] *= 0.99 / peak;
  return samples;
}

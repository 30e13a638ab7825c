import { describe, expect, it } from 'vitest';
import { DEFAULT_FRONTEND_CONFIG } from '../src/frontend/config';
import { type LogMelFrame, StreamingLogMel } from '../src/frontend/log-mel';
import { melEdgesHz } from '../src/frontend/mel';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { Random } from '../src/audio/random';
import { concat, fsddClip, tone } from './helpers/fsdd';

const { melBins, fMinHz, fMaxHz, sampleRate } = DEFAULT_FRONTEND_CONFIG;

function meanLogMel(frames: LogMelFrame[]): Float32Array {
  const mean = new Float32Array(melBins);
  for (const f of frames) f.logMel.forEach((v, i) => (mean[i] += v / frames.length));
  return mean;
}

describe('StreamingLogMel', () => {
  it('emits 10 ms frames of 40 mel bins, one per hop once a 25 ms window is full', () => {
    const frames = new StreamingLogMel().push(new Float32Array(16000));
    expect(frames.length).toBe(Math.floor((16000 - 400) / 160) + 1); // 98
    expect(frames[0].logMel.length).toBe(40);
    expect(frames[0].logMel[0]).toBeCloseTo(Math.log(DEFAULT_FRONTEND_CONFIG.logFloor), 5);
    expect(frames[0].energyDb).toBeLessThan(-100);
  });

  for (const hz of [150, 440, 1000, 2000, 3500]) {
    it(`puts a ${hz} Hz tone in the mel bin that contains it`, () => {
      const mean = meanLogMel(new StreamingLogMel().push(tone(hz, sampleRate, 0.5)));
      const best = mean.indexOf(Math.max(...mean));
      const edges = melEdgesHz(melBins, fMinHz, fMaxHz);
      // Filter m spans edges[m]..edges[m+2] and peaks at edges[m+1].
      expect(edges[best]).toBeLessThan(hz);
      expect(edges[best + 2]).toBeGreaterThan(hz);
      const nearest = [...edges.slice(1, -1)].map((c) => Math.abs(c - hz));
      expect(best).toBe(nearest.indexOf(Math.min(...nearest)));
    });
  }

  it('reads a full-scale sine at about -3 dB and ignores energy above 4 kHz', () => {
    const [loud] = new StreamingLogMel().push(tone(1000, sampleRate, 0.03, 1));
    expect(loud.energyDb).toBeCloseTo(-3, 0);
    const [high] = new StreamingLogMel().push(tone(6000, sampleRate, 0.03, 1));
    expect(high.energyDb).toBeLessThan(-40);
  });

  it('gives exactly the frames of the whole signal for random-sized chunks', () => {
    const random = new Random(11);
    const { samples } = fsddClip('3_theo_0');
    const signal = concat(
      new Float32Array(3000),
      samples,
      Float32Array.from({ length: 5000 }, () => 0.01 * random.normal()),
    );
    const whole = new StreamingLogMel().push(signal);
    const chunked: LogMelFrame[] = [];
    const frontend = new StreamingLogMel();
    for (let i = 0; i < signal.length;) {
      const n = random.int(700); // includes empty chunks
      chunked.push(...frontend.push(signal.subarray(i, i + n)));
      i += n;
    }
    expect(chunked.length).toBe(whole.length);
    chunked.forEach((f, i) => {
      expect(f.index).toBe(i);
      expect(f.logMel).toEqual(whole[i].logMel);
      expect(f.energyDb).toBe(whole[i].energyDb);
    });
  });
});

describe('StreamingPipeline (resampler → log-mel → gate → window)', () => {
  it('gives the same windows at 44.1 kHz for whole and random-chunked input', () => {
    const random = new Random(5);
    const a = fsddClip('1_jackson_1');
    const b = fsddClip('9_george_2');
    // Upsample to 44.1 kHz by our own resampler is not independent; use linear interpolation here.
    const up = (x: Float32Array) =>
      Float32Array.from({ length: Math.floor((x.length * 44100) / 8000) }, (_, i) => {
        const t = (i * 8000) / 44100;
        const k = Math.floor(t);
        return (x[k] ?? 0) * (1 - (t - k)) + (x[k + 1] ?? 0) * (t - k);
      });
    const gap = new Float32Array(44100 * 0.7);
    const signal = concat(gap, up(a.samples), gap, up(b.samples), gap);
    const whole = new StreamingPipeline(44100);
    const wholeWindows = [...whole.push(signal).windows, ...whole.flush().windows];
    const chunked = new StreamingPipeline(44100);
    const chunkedWindows = [];
    for (let i = 0; i < signal.length;) {
      const n = 1 + random.int(3000);
      chunkedWindows.push(...chunked.push(signal.subarray(i, i + n)).windows);
      i += n;
    }
    chunkedWindows.push(...chunked.flush().windows);
    expect(wholeWindows.length).toBe(2);
    expect(chunkedWindows.map((w) => [w.startMs, w.endMs])).toEqual(wholeWindows.map((w) => [w.startMs, w.endMs]));
    chunkedWindows.forEach((w, i) => expect(w.features).toEqual(wholeWindows[i].features));
  });
});

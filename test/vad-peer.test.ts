import { beforeAll, describe, expect, it } from 'vitest';
import { buildStream, compareVad, markdownTable, type VadComparison } from '../scripts/bench/vad-peer';

describe('buildStream', () => {
  it('is deterministic and places the true word spans inside the stream, in order', () => {
    const a = buildStream(6, 7);
    const b = buildStream(6, 7);
    expect(a.audio).toEqual(b.audio);
    expect(a.truth).toHaveLength(6);
    expect(a.truth[0].startMs).toBeGreaterThanOrEqual(500);
    for (let i = 1; i < a.truth.length; i++) expect(a.truth[i].startMs - a.truth[i - 1].endMs).toBeGreaterThanOrEqual(400);
    for (const w of a.truth) expect(w.endMs - w.startMs).toBeGreaterThan(50);
    expect(a.truth.at(-1)!.endMs).toBeLessThanOrEqual((1000 * a.audio.length) / 16000);
    expect(buildStream(6, 8).truth).not.toEqual(a.truth);
  });
});

describe('compareVad: our gate beside Silero VAD on 12 FSDD words', () => {
  let result: VadComparison;
  const get = (detector: string, condition: string) => result.scores.find((s) => s.detector === detector && s.condition === condition)!;

  beforeAll(async () => {
    result = await compareVad({ words: 12, snrsDb: [10], repeats: 1 });
  }, 120_000);

  it('scores every detector on the clean and the 10 dB stream', () => {
    expect(result.stream.words).toBe(12);
    expect(result.scores.map((s) => `${s.condition}/${s.detector}`)).toEqual([
      'clean/our gate',
      'clean/silero',
      'clean/silero-v5 gate-timed',
      'pink 10 dB/our gate',
      'pink 10 dB/silero',
      'pink 10 dB/silero-v5 gate-timed',
    ]);
    expect(markdownTable(result).split('\n')).toHaveLength(2 + 6);
  });

  it('both detectors find at least 80 % of the words on the clean stream', () => {
    for (const detector of ['our gate', 'silero', 'silero-v5 gate-timed']) {
      expect(get(detector, 'clean').recall, detector).toBeGreaterThanOrEqual(0.8);
      expect(get(detector, 'clean').precision, detector).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('our gate and word-timed Silero give one segment per clean word, with edges near the truth', () => {
    for (const detector of ['our gate', 'silero-v5 gate-timed']) {
      const s = get(detector, 'clean');
      expect(s.mergedWords + s.splitWords, detector).toBe(0);
      expect(s.pairs, detector).toBeGreaterThanOrEqual(10);
      expect(s.startErrorMs, detector).toBeLessThan(120);
      expect(s.endErrorMs, detector).toBeLessThan(120);
    }
  });

  it("Silero's default 1400 ms redemption bridges the pauses between digits", () => {
    expect(get('silero', 'clean').mergedWords).toBeGreaterThan(6);
  });

  it('both still find most words in pink noise at 10 dB SNR', () => {
    expect(get('our gate', 'pink 10 dB').found).toBeGreaterThanOrEqual(0.8);
    expect(get('silero-v5 gate-timed', 'pink 10 dB').recall).toBeGreaterThanOrEqual(0.8);
  });

  it('reports finite, positive CPU and wall figures from single-threaded onnxruntime-web', () => {
    expect(result.runtime.threads).toBe(1);
    for (const s of result.scores) {
      for (const v of [s.cpuMsPerAudioSecond, s.wallRealTimeFactor, s.cpuRatioToGate]) {
        expect(Number.isFinite(v) && v > 0, `${s.detector} ${s.condition}`).toBe(true);
      }
      // Far faster than real time, for every detector (CPU ms per s of audio < 200).
      expect(s.cpuMsPerAudioSecond).toBeLessThan(200);
    }
    expect(get('our gate', 'clean').cpuRatioToGate).toBe(1);
  });
});

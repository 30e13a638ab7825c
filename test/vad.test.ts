import { describe, expect, it } from 'vitest';
import { VoiceActivityGate } from '../src/vad/gate';
import { DEFAULT_WINDOW_CONFIG, FrameHistory, windowStartFrame } from '../src/vad/window';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { generateNoise, mixAtSnr, rms } from '../training/noise';
import { Random } from '../training/random';
import { concat, fsddClip, tone } from './helpers/fsdd';

const CLIPS = ['0_george_0', '4_jackson_1', '6_lucas_2', '7_nicolas_3', '8_theo_4', '2_yweweler_0'];
const RATE = 8000;

/**
 * FSDD clips separated by `gapSeconds` of silence, with their true [start, end] in ms. Each clip
 * is scaled to the same RMS (−25 dBFS), as one speaker at one distance, so a stream SNR is
 * also each word's SNR.
 */
function stream(gapSeconds: number): { signal: Float32Array; truth: [number, number][]; speechRms: number } {
  const gap = new Float32Array(Math.round(gapSeconds * RATE));
  const parts: Float32Array[] = [gap];
  const truth: [number, number][] = [];
  let t = gap.length;
  let energy = 0;
  let count = 0;
  for (const name of CLIPS) {
    const clip = fsddClip(name).samples;
    const gain = 10 ** (-25 / 20) / rms(clip);
    const samples = clip.map((v) => v * gain);
    truth.push([(1000 * t) / RATE, (1000 * (t + samples.length)) / RATE]);
    parts.push(samples, gap);
    t += samples.length + gap.length;
    energy += rms(samples) ** 2 * samples.length;
    count += samples.length;
  }
  return { signal: concat(...parts), truth, speechRms: Math.sqrt(energy / count) };
}

function segmentsOf(signal: Float32Array): [number, number][] {
  const pipeline = new StreamingPipeline(RATE);
  return [...pipeline.push(signal).windows, ...pipeline.flush().windows].map((w) => [w.startMs, w.endMs]);
}

function expectMatches(found: [number, number][], truth: [number, number][], toleranceMs: number): void {
  expect(found.length).toBe(truth.length);
  found.forEach(([s, e], i) => {
    // Each segment overlaps its clip and its edges lie near the clip's (the clips are trimmed).
    expect(Math.abs(s - truth[i][0])).toBeLessThan(toleranceMs);
    expect(Math.abs(e - truth[i][1])).toBeLessThan(toleranceMs);
  });
}

describe('VoiceActivityGate on FSDD clips in a continuous stream', () => {
  it('finds each utterance embedded in digital silence', () => {
    const { signal, truth } = stream(1.0);
    expectMatches(segmentsOf(signal), truth, 120);
  });

  for (const [colour, snrDb] of [['white', 20], ['pink', 15], ['brown', 10]] as const) {
    it(`finds each utterance in continuous ${colour} noise at ${snrDb} dB SNR`, () => {
      const { signal, truth, speechRms } = stream(1.0);
      const noisy = mixAtSnr(signal, generateNoise(signal.length, colour, new Random(3)), speechRms, snrDb);
      expectMatches(segmentsOf(noisy), truth, 150);
    });
  }

  it('keeps two digits apart with 0.3 s between them but bridges stop closures inside a word', () => {
    const { signal, truth } = stream(0.3);
    expectMatches(segmentsOf(signal), truth, 120);
  });

  it('adapts its noise floor to steady noise and ignores it', () => {
    const noise = mixAtSnr(new Float32Array(RATE * 4), generateNoise(RATE * 4, 'pink', new Random(9)), 0.05, 0);
    const gate = new VoiceActivityGate();
    const pipeline = new StreamingPipeline(RATE);
    const windows = [...pipeline.push(noise).windows, ...pipeline.flush().windows];
    expect(windows).toEqual([]);
    for (let i = 0; i < 300; i++) gate.push(-30);
    expect(gate.noiseFloorDb).toBeGreaterThan(-35);
    expect(gate.inSpeech).toBe(false);
  });

  it('drops clicks shorter than the minimum speech length', () => {
    const click = concat(new Float32Array(RATE), tone(1000, RATE, 0.03, 0.5), new Float32Array(RATE));
    expect(segmentsOf(click)).toEqual([]);
  });

  it('drops sound that holds the gate open too long for a digit, then follows the new floor', () => {
    const gate = new VoiceActivityGate();
    const events = Array.from({ length: 400 }, (_, i) => gate.push(i < 30 ? -90 : -20 + (i % 3))).flat();
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-dropped']);
    const dropped = events[1];
    expect(dropped.type === 'speech-dropped' && dropped.reason).toBe('too-long');
    expect(gate.noiseFloorDb).toBeGreaterThan(-21);
    expect(gate.inSpeech).toBe(false);
  });

  it('closes a run of words at its last pause when it reaches the maximum length, instead of dropping it', () => {
    const gate = new VoiceActivityGate();
    // Silence, then words of 50 frames at −20 dB with 5-frame pauses at −90 dB: 165 frames.
    const energies = [...Array(30).fill(-90), ...[0, 1, 2].flatMap(() => [...Array(50).fill(-20), ...Array(5).fill(-90)]), ...Array(40).fill(-90)];
    const events = energies.flatMap((e) => gate.push(e));
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-end', 'speech-start', 'speech-end']);
    const [, first, restart, last] = events;
    // Closed at 150 frames (frame 179) at the pause that began at frame 135; the rest goes on.
    expect(first.type === 'speech-end' && first.segment).toEqual({ startFrame: 30, endFrame: 135, pauses: [{ startFrame: 80, endFrame: 85 }] });
    expect(restart.type === 'speech-start' && restart.startFrame).toBe(140);
    expect(last.type === 'speech-end' && last.segment).toEqual({ startFrame: 140, endFrame: 190, pauses: [] });
  });

  it('notes a pause only where what follows rises like a word onset, not a faint tail', () => {
    const noise = -60; // steady background: after 3 s the floor has settled near it
    const run = (tail: number) => {
      const gate = new VoiceActivityGate();
      const energies = [...Array(300).fill(noise), ...Array(30).fill(-20), ...Array(5).fill(noise), ...Array(20).fill(tail), ...Array(30).fill(noise)];
      const end = energies.flatMap((e) => gate.push(e)).find((e) => e.type === 'speech-end');
      expect(end?.type === 'speech-end' && end.segment.endFrame).toBe(355);
      return end?.type === 'speech-end' ? end.segment.pauses : null;
    };
    // 8 dB over the noise: above the offset (6 dB), below the onset (12 dB) — the release of a stop.
    expect(run(noise + 8)).toEqual([]);
    expect(run(-25)).toEqual([{ startFrame: 330, endFrame: 335 }]);
  });

  it('finds a word inside noise that began before the floor was known', () => {
    // Noise from the first sample (floor still at its initial value), a clip at 1.0 s.
    const { samples } = fsddClip('5_theo_3');
    const signal = concat(new Float32Array(RATE), samples.map((v) => (v * 10 ** (-25 / 20)) / rms(samples)), new Float32Array(RATE * 2));
    const noisy = mixAtSnr(signal, generateNoise(signal.length, 'white', new Random(4)), 10 ** (-25 / 20), 15);
    const found = segmentsOf(noisy);
    expectMatches(found, [[1000, 1000 + (1000 * samples.length) / RATE]], 150);
  });
});

describe('model window alignment', () => {
  it('end-aligns short segments with the post-roll and centres long ones', () => {
    const { windowFrames, postRollFrames } = DEFAULT_WINDOW_CONFIG;
    expect(windowStartFrame({ startFrame: 200, endFrame: 240 })).toBe(240 + postRollFrames - windowFrames);
    expect(windowStartFrame({ startFrame: 200, endFrame: 350 })).toBe(275 - windowFrames / 2);
  });

  it('reads frames before the stream start as silence and refuses frames not yet seen', () => {
    const silence = new Float32Array(2).fill(-13.8);
    const history = new FrameHistory(2, 4, silence);
    history.push(Float32Array.of(1, 2));
    history.push(Float32Array.of(3, 4));
    expect(Array.from(history.slice(-1, 3))).toEqual([-13.8, -13.8, 1, 2, 3, 4].map((v) => Math.fround(v)));
    expect(() => history.slice(0, 3)).toThrow(RangeError);
    for (let i = 0; i < 4; i++) history.push(Float32Array.of(5, 6));
    expect(() => history.slice(0, 2)).toThrow(/not available/);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../src/audio/wav';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { nonSpeechSound } from '../training/nonspeech';
import { Random } from '../training/random';
import { planSynth, synthesize } from '../training/synth/generate';
import { HELD_OUT_VARIANTS, synthSpeakers } from '../training/synth/voices';
import { NEAR_MISS_HOMOPHONES } from '../training/synth/words';

const dir = mkdtempSync(join(tmpdir(), 'digit-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synthetic speakers (espeak-ng)', () => {
  const plan = planSynth(dir, 2, 6, 2024);

  it('plans every accent × variant, both genders held out, deterministically', () => {
    const speakers = synthSpeakers();
    expect(new Set(speakers.map((s) => s.id)).size).toBe(speakers.length);
    expect(plan.filter((e) => e.digit >= 0)).toHaveLength(speakers.length * 10 * 2);
    const heldOut = speakers.filter((s) => s.heldOut);
    expect(heldOut.some((s) => s.gender === 'female') && heldOut.some((s) => s.gender === 'male')).toBe(true);
    expect(planSynth(dir, 2, 6, 2024)).toEqual(plan);
    // Inflections and prosody vary.
    expect(new Set(plan.map((e) => e.text.slice(-1))).size).toBeGreaterThanOrEqual(4);
    expect(new Set(plan.map((e) => e.pitch)).size).toBeGreaterThan(30);
  });

  it('keeps held-out voices out of the training folders and homophones out of training', () => {
    for (const e of plan) {
      const variant = synthSpeakers().find((s) => s.id === e.speaker)!.variant;
      expect(e.path.includes('/train/')).toBe(!HELD_OUT_VARIANTS.has(variant));
      if (e.path.includes('/train/')) expect(NEAR_MISS_HOMOPHONES.some((w) => e.text.replace(/[.?!]$/, '') === w)).toBe(false);
    }
  });

  it('synthesizes a digit the gate finds as one utterance', async () => {
    const entry = plan.find((e) => e.digit === 7 && e.gender === 'female' && e.heldOut)!;
    const voice = synthSpeakers().find((s) => s.id === entry.speaker)!.voice;
    const path = join(dir, 'seven.wav');
    await synthesize({ ...entry, path }, voice);
    const audio = decodeWav(new Uint8Array(readFileSync(path)), path);
    expect(audio.sampleRate).toBe(22050);
    const pipeline = new StreamingPipeline(audio.sampleRate);
    expect([...pipeline.push(audio.samples).windows, ...pipeline.flush().windows]).toHaveLength(1);
  });
});

describe('non-speech sounds for the rejection class', () => {
  it('are finite, bounded and mostly found by the gate (clicks may be too short)', () => {
    const random = new Random(5);
    let found = 0;
    for (let i = 0; i < 40; i++) {
      const sound = nonSpeechSound(16000, random);
      expect(sound.every((v) => Number.isFinite(v) && Math.abs(v) <= 0.5001)).toBe(true);
      const pipeline = new StreamingPipeline(16000);
      if ([...pipeline.push(sound).windows, ...pipeline.flush().windows].length > 0) found++;
    }
    expect(found).toBeGreaterThan(20);
  });
});

import { generateNoise, type NoiseColour } from '../src/audio/noise';
import type { Random } from '../src/audio/random';

/**
 * Sounds that are not speech, for the rejection class: noise bursts (white/pink/brown), clicks
 * and click trains, and music-like tones (sustained notes, chords, glides, with vibrato).
 *
 * @returns a mono signal at `sampleRate` Hz with 0.3–0.6 s of silence on each side, peak ≈ 0.05–0.5
 */
export function nonSpeechSound(sampleRate: number, random: Random): Float32Array {
  const kind = random.int(4);
  const seconds = random.uniform(0.15, 1.0);
  const n = Math.round(seconds * sampleRate);
  let body: Float32Array = new Float32Array(n);
  if (kind === 0) {
    const colours: NoiseColour[] = ['white', 'pink', 'brown'];
    body = generateNoise(n, colours[random.int(3)], random);
  } else if (kind === 1) {
    // Clicks: 1–8 impulses with a short decaying ring.
    const clicks = 1 + random.int(8);
    for (let c = 0; c < clicks; c++) {
      const at = random.int(Math.max(1, n - 200));
      const ring = random.uniform(500, 4000);
      for (let i = 0; i < 200 && at + i < n; i++) body[at + i] += Math.exp(-i / 30) * Math.sin((2 * Math.PI * ring * i) / sampleRate);
    }
  } else {
    // Notes: 1–3 partial-rich tones (a chord when kind === 3), optional glide and vibrato.
    const notes = kind === 3 ? 2 + random.int(2) : 1;
    for (let k = 0; k < notes; k++) {
      const f0 = 110 * 2 ** (random.int(36) / 12);
      const glide = random.next() < 0.3 ? random.uniform(-0.5, 0.5) : 0;
      const vibrato = random.uniform(0, 0.01);
      let phase = 0;
      for (let i = 0; i < n; i++) {
        const t = i / sampleRate;
        const f = f0 * (1 + (glide * t) / seconds) * (1 + vibrato * Math.sin(2 * Math.PI * 5.5 * t));
        phase += (2 * Math.PI * f) / sampleRate;
        body[i] += Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase);
      }
    }
  }
  let peak = 0;
  for (const v of body) peak = Math.max(peak, Math.abs(v));
  const gain = random.uniform(0.05, 0.5) / (peak || 1);
  const fade = Math.min(n / 2, Math.round(0.01 * sampleRate));
  for (let i = 0; i < n; i++) body[i] *= gain * Math.min(1, i / fade, (n - 1 - i) / fade);
  const lead = Math.round(random.uniform(0.3, 0.6) * sampleRate);
  const out = new Float32Array(lead + n + Math.round(random.uniform(0.3, 0.6) * sampleRate));
  out.set(body, lead);
  return out;
}

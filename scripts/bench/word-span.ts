/**
 * Where the word is inside an FSDD clip: from its first to its last 10 ms frame within 40 dB of
 * its loudest frame (FSDD clips carry some near-silence before and after the word). The bench's
 * ground truth for word boundaries (latency in Chromium, the VAD comparison).
 *
 * @param samples one clip, mono
 * @param sampleRate its rate, Hz
 * @returns the span in samples, `[start, end)`, on 10 ms frame boundaries
 */
export function wordSpan(samples: Float32Array, sampleRate: number): { start: number; end: number } {
  const frame = Math.round(sampleRate * 0.01);
  const energies: number[] = [];
  for (let i = 0; i + frame <= samples.length; i += frame) {
    let e = 0;
    for (let j = i; j < i + frame; j++) e += samples[j] * samples[j];
    energies.push(e / frame);
  }
  const limit = Math.max(...energies) * 1e-4; // −40 dB
  const loud = energies.map((e) => e >= limit);
  return { start: loud.indexOf(true) * frame, end: (loud.lastIndexOf(true) + 1) * frame };
}

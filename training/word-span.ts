/**
 * Where the word is inside a clip: from its first to its last 10 ms frame within `floorDb` of
 * its loudest frame (FSDD and Speech Commands clips carry some near-silence before and after the
 * word). The bench's ground truth for word boundaries (latency in Chromium, the VAD comparison,
 * 40 dB) and the trim of the words glued into phrases (training/phrases.ts, 30 dB).
 *
 * @param samples one clip, mono
 * @param sampleRate its rate, Hz
 * @param floorDb how far below the loudest frame a frame still counts, dB (default 40)
 * @returns the span in samples, `[start, end)`, on 10 ms frame boundaries
 */
export function wordSpan(samples: Float32Array, sampleRate: number, floorDb = 40): { start: number; end: number } {
  const frame = Math.round(sampleRate * 0.01);
  const energies: number[] = [];
  for (let i = 0; i + frame <= samples.length; i += frame) {
    let e = 0;
    for (let j = i; j < i + frame; j++) e += samples[j] * samples[j];
    energies.push(e / frame);
  }
  const limit = Math.max(...energies) * 10 ** (-floorDb / 10);
  const loud = energies.map((e) => e >= limit);
  return { start: loud.indexOf(true) * frame, end: (loud.lastIndexOf(true) + 1) * frame };
}

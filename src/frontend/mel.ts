/**
 * Mel scale and triangular mel filterbank.
 *
 * Mel scale: HTK form, mel(f) = 2595·log10(1 + f/700) (O'Shaughnessy 1987; HTK Book §5.4).
 * Filters: `melBins` triangles whose edges are `melBins + 2` points evenly spaced in mel
 * between fMin and fMax; filter m rises from edge m to a peak of 1 at edge m+1 and falls to
 * zero at edge m+2, evaluated at the FFT bin frequencies (HTK, no area normalisation).
 */

/** Hz → mel (HTK). */
export function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

/** mel → Hz (HTK). */
export function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/**
 * Edge frequencies of the filterbank in Hz, `[melBins + 2]`: filter m spans
 * edges[m]..edges[m+2] and peaks at edges[m+1] (its centre frequency).
 */
export function melEdgesHz(melBins: number, fMinHz: number, fMaxHz: number): Float64Array {
  const lo = hzToMel(fMinHz);
  const hi = hzToMel(fMaxHz);
  const edges = new Float64Array(melBins + 2);
  for (let i = 0; i < edges.length; i++) edges[i] = melToHz(lo + ((hi - lo) * i) / (melBins + 1));
  return edges;
}

/** One triangular filter as a run of non-zero weights starting at FFT bin `firstBin`. */
export interface MelFilter {
  readonly firstBin: number;
  readonly weights: Float32Array;
}

/**
 * Builds the filterbank for a real FFT of `fftSize` points at `sampleRate` Hz.
 *
 * @returns `[melBins]` sparse filters over FFT bins 0..fftSize/2.
 * @throws RangeError if fMax exceeds the Nyquist rate or the band is empty.
 */
export function melFilterbank(
  melBins: number,
  fftSize: number,
  sampleRate: number,
  fMinHz: number,
  fMaxHz: number,
): MelFilter[] {
  if (!(fMinHz >= 0 && fMaxHz > fMinHz && fMaxHz <= sampleRate / 2)) {
    throw new RangeError(`melFilterbank: need 0 ≤ fMin < fMax ≤ ${sampleRate / 2} Hz, got ${fMinHz}–${fMaxHz} Hz`);
  }
  const edges = melEdgesHz(melBins, fMinHz, fMaxHz);
  const binHz = sampleRate / fftSize;
  const filters: MelFilter[] = [];
  for (let m = 0; m < melBins; m++) {
    const [left, centre, right] = [edges[m], edges[m + 1], edges[m + 2]];
    const first = Math.max(0, Math.ceil(left / binHz));
    const last = Math.min(fftSize / 2, Math.floor(right / binHz));
    const weights: number[] = [];
    for (let k = first; k <= last; k++) {
      const f = k * binHz;
      const w = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
      weights.push(Math.max(0, w));
    }
    filters.push({ firstBin: first, weights: Float32Array.from(weights) });
  }
  return filters;
}

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

/** Widest VTLP warp factor range accepted: Jaitly & Hinton (2013) draw 0.9–1.1; 0.8–1.25 is generous. */
export const VTLP_WARP_LIMITS = [0.8, 1.25] as const;

/**
 * Fraction of the Nyquist rate up to which VTLP scales frequencies linearly by the warp factor
 * (the boundary F_hi of Cui, Goel & Kingsbury 2015 / Kaldi's `vtln-high`; above it the map runs
 * linearly to the Nyquist rate, so the axis still ends there).
 */
const VTLP_BOUNDARY = 0.8;

/**
 * Vocal tract length perturbation's frequency warp (Jaitly & Hinton 2013, "Vocal Tract Length
 * Perturbation (VTLP) improves speech recognition", eq. 1): f ↦ α·f up to
 * F_hi·min(α, 1)/α, then linear to `nyquistHz`, which maps to itself.
 *
 * @param hz frequency, Hz (0 … nyquistHz)
 * @param warp α, 1 = identity
 * @returns the warped frequency, Hz
 */
export function vtlpWarpHz(hz: number, warp: number, nyquistHz: number): number {
  if (warp === 1) return hz;
  const fHi = VTLP_BOUNDARY * nyquistHz;
  const knee = (fHi * Math.min(warp, 1)) / warp;
  if (hz <= knee) return hz * warp;
  return nyquistHz - ((nyquistHz - fHi * Math.min(warp, 1)) / (nyquistHz - knee)) * (nyquistHz - hz);
}

/**
 * Builds the filterbank for a real FFT of `fftSize` points at `sampleRate` Hz.
 *
 * @param warp VTLP warp factor α (augmentation in training and enrollment; 1 when recognizing): each FFT bin's
 *   frequency f is read as {@link vtlpWarpHz}(f), so a spectrum warped by α is what the filters
 *   see — a shorter (α > 1) or longer (α < 1) vocal tract.
 * @returns `[melBins]` sparse filters over FFT bins 0..fftSize/2.
 * @throws RangeError if fMax exceeds the Nyquist rate, the band is empty, or `warp` is outside
 *   {@link VTLP_WARP_LIMITS}.
 */
export function melFilterbank(melBins: number, fftSize: number, sampleRate: number, fMinHz: number, fMaxHz: number, warp = 1): MelFilter[] {
  if (!(fMinHz >= 0 && fMaxHz > fMinHz && fMaxHz <= sampleRate / 2)) {
    throw new RangeError(`melFilterbank: need 0 ≤ fMin < fMax ≤ ${sampleRate / 2} Hz, got ${fMinHz}–${fMaxHz} Hz`);
  }
  if (!(warp >= VTLP_WARP_LIMITS[0] && warp <= VTLP_WARP_LIMITS[1])) {
    throw new RangeError(`melFilterbank: VTLP warp must be in ${VTLP_WARP_LIMITS.join('–')}, got ${warp}`);
  }
  const edges = melEdgesHz(melBins, fMinHz, fMaxHz);
  const binHz = sampleRate / fftSize;
  const nyquist = sampleRate / 2;
  // The highest bin whose warped frequency can reach the top edge (α < 1 reads higher bins).
  const lastBin = (hz: number) => {
    let k = Math.min(fftSize / 2, Math.floor(hz / binHz));
    while (k < fftSize / 2 && vtlpWarpHz((k + 1) * binHz, warp, nyquist) <= hz) k++;
    while (k > 0 && vtlpWarpHz(k * binHz, warp, nyquist) > hz) k--;
    return k;
  };
  const filters: MelFilter[] = [];
  for (let m = 0; m < melBins; m++) {
    const [left, centre, right] = [edges[m], edges[m + 1], edges[m + 2]];
    let first = Math.max(0, Math.ceil(left / binHz));
    if (warp !== 1) first = Math.max(0, lastBin(left));
    const last = warp === 1 ? Math.min(fftSize / 2, Math.floor(right / binHz)) : lastBin(right);
    const weights: number[] = [];
    for (let k = first; k <= last; k++) {
      const f = vtlpWarpHz(k * binHz, warp, nyquist);
      const w = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
      weights.push(Math.max(0, w));
    }
    filters.push({ firstBin: first, weights: Float32Array.from(weights) });
  }
  return filters;
}

/**
 * Mel scales and triangular mel filterbanks.
 *
 * Two mel scales, as a model's frontend config names them (`FrontendConfig.melScale`):
 * - `'htk'` (the product's own models): mel(f) = 2595·log10(1 + f/700) (O'Shaughnessy 1987;
 *   HTK Book §5.4); filters peak at 1 (no area normalisation).
 * - `'slaney'` (the pretrained speech encoder's, as librosa's default `librosa.filters.mel`):
 *   Slaney's Auditory Toolbox scale — linear below 1 kHz (200/3 Hz per mel), logarithmic above
 *   (27 mels per factor 6.4) — and each filter scaled by 2 / (its upper − lower edge, Hz), so
 *   every filter has the same area (M. Slaney, "Auditory Toolbox", Interval Research TR 1998-010).
 * Filters: `melBins` triangles whose edges are `melBins + 2` points evenly spaced in mel
 * between fMin and fMax; filter m rises from edge m to its peak at edge m+1 and falls to zero at
 * edge m+2, linear in Hz, evaluated at the FFT bin frequencies.
 */

/** Which mel scale and filter normalisation a filterbank uses (see the module comment). */
export type MelScale = 'htk' | 'slaney';

/** Slaney's scale: Hz per mel below 1 kHz, the break frequency, and the log step above it. */
const SLANEY_HZ_PER_MEL = 200 / 3;
const SLANEY_BREAK_HZ = 1000;
const SLANEY_LOG_STEP = Math.log(6.4) / 27;

/** Hz → mel (HTK by default). */
export function hzToMel(hz: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  if (hz < SLANEY_BREAK_HZ) return hz / SLANEY_HZ_PER_MEL;
  return SLANEY_BREAK_HZ / SLANEY_HZ_PER_MEL + Math.log(hz / SLANEY_BREAK_HZ) / SLANEY_LOG_STEP;
}

/** mel → Hz (HTK by default). */
export function melToHz(mel: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  const breakMel = SLANEY_BREAK_HZ / SLANEY_HZ_PER_MEL;
  if (mel < breakMel) return mel * SLANEY_HZ_PER_MEL;
  return SLANEY_BREAK_HZ * Math.exp(SLANEY_LOG_STEP * (mel - breakMel));
}

/**
 * Edge frequencies of the filterbank in Hz, `[melBins + 2]`: filter m spans
 * edges[m]..edges[m+2] and peaks at edges[m+1] (its centre frequency).
 */
export function melEdgesHz(melBins: number, fMinHz: number, fMaxHz: number, scale: MelScale = 'htk'): Float64Array {
  const lo = hzToMel(fMinHz, scale);
  const hi = hzToMel(fMaxHz, scale);
  const edges = new Float64Array(melBins + 2);
  for (let i = 0; i < edges.length; i++) edges[i] = melToHz(lo + ((hi - lo) * i) / (melBins + 1), scale);
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
 * @param scale mel scale and normalisation (`'htk'`: peak 1; `'slaney'`: equal area)
 * @returns `[melBins]` sparse filters over FFT bins 0..fftSize/2.
 * @throws RangeError if fMax exceeds the Nyquist rate, the band is empty, or `warp` is outside
 *   {@link VTLP_WARP_LIMITS}.
 */
export function melFilterbank(melBins: number, fftSize: number, sampleRate: number, fMinHz: number, fMaxHz: number, warp = 1, scale: MelScale = 'htk'): MelFilter[] {
  if (!(fMinHz >= 0 && fMaxHz > fMinHz && fMaxHz <= sampleRate / 2)) {
    throw new RangeError(`melFilterbank: need 0 ≤ fMin < fMax ≤ ${sampleRate / 2} Hz, got ${fMinHz}–${fMaxHz} Hz`);
  }
  if (!(warp >= VTLP_WARP_LIMITS[0] && warp <= VTLP_WARP_LIMITS[1])) {
    throw new RangeError(`melFilterbank: VTLP warp must be in ${VTLP_WARP_LIMITS.join('–')}, got ${warp}`);
  }
  const edges = melEdgesHz(melBins, fMinHz, fMaxHz, scale);
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
    const area = scale === 'slaney' ? 2 / (right - left) : 1;
    for (let k = first; k <= last; k++) {
      const f = vtlpWarpHz(k * binHz, warp, nyquist);
      const w = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
      weights.push(Math.max(0, w) * area);
    }
    filters.push({ firstBin: first, weights: Float32Array.from(weights) });
  }
  return filters;
}

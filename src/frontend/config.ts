/**
 * Feature parameters of the log-mel frontend, in one typed object.
 *
 * The same object is written into every exported model's metadata and checked when the
 * model is loaded (see `src/model/metadata.ts`), so a model is never fed features it was
 * not trained on (habit taken from Google's kws_streaming).
 */
export interface FrontendConfig {
  /** Rate every input is resampled to before framing, Hz. */
  readonly sampleRate: number;
  /** Analysis window length, samples at `sampleRate` (25 ms at 16 kHz = 400). */
  readonly windowLength: number;
  /** Hop length between frame starts, samples at `sampleRate` (10 ms at 16 kHz = 160). */
  readonly hopLength: number;
  /** FFT size, samples; the window is zero-padded to it. Must be a power of two. */
  readonly fftSize: number;
  /** Number of mel bins per frame. */
  readonly melBins: number;
  /** Lower edge of the lowest mel filter, Hz. */
  readonly fMinHz: number;
  /** Upper edge of the highest mel filter, Hz (FSDD is sampled at 8 kHz: nothing above 4 kHz). */
  readonly fMaxHz: number;
  /**
   * Band of the per-frame energy the VAD reads, Hz. Starts at 200 Hz so mains hum and rumble
   * (energy that speech intelligibility does not need) cannot open the gate.
   */
  readonly energyMinHz: number;
  readonly energyMaxHz: number;
  /** Floor added before the natural log of each mel energy (log(mel + floor)). */
  readonly logFloor: number;
}

/** The product's frontend: 16 kHz, 25 ms Hann window, 10 ms hop, 512-point FFT, 40 mel bins 20 Hz–4 kHz. */
export const DEFAULT_FRONTEND_CONFIG: FrontendConfig = Object.freeze({
  sampleRate: 16000,
  windowLength: 400,
  hopLength: 160,
  fftSize: 512,
  melBins: 40,
  fMinHz: 20,
  fMaxHz: 4000,
  energyMinHz: 200,
  energyMaxHz: 4000,
  logFloor: 1e-6,
});

/** Duration of one hop in milliseconds. */
export function hopMs(config: FrontendConfig): number {
  return (1000 * config.hopLength) / config.sampleRate;
}

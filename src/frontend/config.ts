import type { MelScale } from './mel';

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
  /** Floor of each mel energy before its log: added (`logScale` 'ln') or a minimum ('db'). */
  readonly logFloor: number;
  /** Mel scale and filter normalisation (`frontend/mel.ts`). Default `'htk'`. */
  readonly melScale?: MelScale;
  /**
   * Log of a mel energy: `'ln'` — ln(mel + logFloor), natural-log units (default); `'db'` —
   * 10·log10(max(mel, logFloor)), decibels.
   */
  readonly logScale?: 'ln' | 'db';
  /**
   * Samples are multiplied by this before analysis. Default 1 (full scale ±1); 32768 reads them
   * as 16-bit PCM integers, as the speech encoder's reference frontend does.
   */
  readonly inputScale?: number;
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

/**
 * The pretrained speech encoder's log-mel (Google's speech embedding, as openWakeWord ships it in
 * `melspectrogram.onnx`): 16 kHz, 25 ms periodic Hann window in a 512-point FFT, 10 ms hop, power
 * spectrum, 32 Slaney-normalised mel bins 60–3800 Hz (librosa's `filters.mel`), 10·log10 of
 * 16-bit-integer-scaled audio. All read off the ONNX graph and its initializers (the STFT
 * kernels are the Hann window times cos/sin, `melW` equals librosa's filters to 1e-9;
 * `test/encoder-frontend.test.ts` checks it frame by frame).
 *
 * Two differences, both so the frontend streams chunk-exactly: (1) the ONNX clamps each call's
 * output at its own maximum − 80 dB (torchlibrosa's `top_db`), which depends on how the audio was
 * cut into calls; here a fixed floor of 0 dB (a mel energy of 1 in int16 units, about the level
 * int16 quantization noise reaches) stands in for it, so digital silence reads as the quietest
 * real recording rather than −100 dB; (2) the ONNX's 512-sample frame centres the 400-sample
 * window, so its frame i is this frontend's frame i of the audio from sample 56 — a 3.5 ms shift.
 */
export const ENCODER_FRONTEND_CONFIG: FrontendConfig = Object.freeze({
  sampleRate: 16000,
  windowLength: 400,
  hopLength: 160,
  fftSize: 512,
  melBins: 32,
  fMinHz: 60,
  fMaxHz: 3800,
  energyMinHz: 200,
  energyMaxHz: 4000,
  logFloor: 1,
  melScale: 'slaney',
  logScale: 'db',
  inputScale: 32768,
});

/** Duration of one hop in milliseconds. */
export function hopMs(config: FrontendConfig): number {
  return (1000 * config.hopLength) / config.sampleRate;
}

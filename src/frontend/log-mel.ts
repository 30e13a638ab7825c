import FFT from 'fft.js';
import { type FrontendConfig, DEFAULT_FRONTEND_CONFIG } from './config';
import { melFilterbank, type MelFilter } from './mel';

/** One analysis frame produced by {@link StreamingLogMel}. */
export interface LogMelFrame {
  /** Frame number since the start of the stream; the frame starts at sample index·hopLength. */
  readonly index: number;
  /** Log mel energies, `[melBins]`: ln(mel + logFloor), or 10·log10(max(mel, logFloor)) with `logScale: 'db'`. */
  readonly logMel: Float32Array;
  /**
   * Mean-square level of the frame within energyMinHz–energyMaxHz, dB re a full-scale square wave
   * (a full-scale sine reads ≈ −3 dB; digital silence −120 dB). Used by the VAD.
   */
  readonly energyDb: number;
}

/** Run-time options of {@link StreamingLogMel} that a model's metadata does not record. */
export interface FrontendOptions {
  /** VTLP warp factor α of the mel filterbank, for augmentation in training and enrollment only (default 1 = no warp). */
  readonly vtlpWarp?: number;
}

/**
 * Streaming log-mel frontend at `config.sampleRate` (16 kHz): periodic Hann window of
 * `windowLength` samples (25 ms), hop `hopLength` (10 ms), zero-padded `fftSize`-point real FFT
 * (fft.js), power spectrum, `melBins` triangular mel filters (see `mel.ts`), ln(mel + floor) — or,
 * as the config says, another mel scale, decibels and an input scale (the speech encoder's
 * `ENCODER_FRONTEND_CONFIG`). No centre padding: frame i covers samples [i·hop, i·hop + window).
 *
 * Chunk-exact: any split of the input into chunks yields exactly the frames of the whole signal.
 * Hann window: F. J. Harris, "On the use of windows…", Proc. IEEE 66(1), 1978.
 */
export class StreamingLogMel {
  readonly config: FrontendConfig;
  private readonly window: Float32Array;
  private readonly windowPower: number;
  private readonly filters: MelFilter[];
  private readonly fft: FFT;
  private readonly fftInput: Float64Array;
  private readonly fftOutput: number[];
  private readonly bandFirstBin: number;
  private readonly bandLastBin: number;
  /** Power of the scaled input relative to full scale (inputScale²): undone for `energyDb`. */
  private readonly powerScale: number;
  private readonly decibels: boolean;
  private pending: Float32Array;
  private pendingLength = 0;
  private frameCount = 0;

  /**
   * @param options.vtlpWarp VTLP warp factor of the mel filterbank (speaker augmentation
   *   in training and enrollment, see `melFilterbank`); 1 (the default) when recognizing. Not part of the config:
   *   a model's metadata never records it.
   * @throws RangeError if the config is inconsistent (window longer than the FFT, bad band) or
   *   the warp is out of range.
   */
  constructor(config: FrontendConfig = DEFAULT_FRONTEND_CONFIG, options: FrontendOptions = {}) {
    if (config.windowLength > config.fftSize || config.hopLength <= 0 || config.hopLength > config.windowLength) {
      throw new RangeError(`StreamingLogMel: need 0 < hopLength ≤ windowLength ≤ fftSize, got ${config.hopLength}/${config.windowLength}/${config.fftSize}`);
    }
    this.config = config;
    this.window = new Float32Array(config.windowLength);
    let power = 0;
    for (let n = 0; n < config.windowLength; n++) {
      this.window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / config.windowLength);
      power += this.window[n] * this.window[n];
    }
    this.windowPower = power;
    this.filters = melFilterbank(config.melBins, config.fftSize, config.sampleRate, config.fMinHz, config.fMaxHz, options.vtlpWarp ?? 1, config.melScale ?? 'htk');
    const inputScale = config.inputScale ?? 1;
    if (!(inputScale > 0)) throw new RangeError(`StreamingLogMel: inputScale must be positive, got ${inputScale}`);
    this.powerScale = inputScale * inputScale;
    this.decibels = config.logScale === 'db';
    this.fft = new FFT(config.fftSize);
    this.fftInput = new Float64Array(config.fftSize);
    this.fftOutput = this.fft.createComplexArray() as number[];
    const binHz = config.sampleRate / config.fftSize;
    this.bandFirstBin = Math.ceil(config.energyMinHz / binHz);
    this.bandLastBin = Math.min(config.fftSize / 2, Math.floor(config.energyMaxHz / binHz));
    this.pending = new Float32Array(config.windowLength + 4096);
  }

  /** The frame the frontend emits for digital silence, `[melBins]` filled with the log of logFloor. */
  silenceFrame(): Float32Array {
    return new Float32Array(this.config.melBins).fill(this.log(0));
  }

  /** ln(mel + floor), or 10·log10(max(mel, floor)). */
  private log(mel: number): number {
    const { logFloor } = this.config;
    return this.decibels ? 10 * Math.log10(Math.max(mel, logFloor)) : Math.log(mel + logFloor);
  }

  /** Frames emitted so far. */
  get frames(): number {
    return this.frameCount;
  }

  /**
   * Feeds samples at `config.sampleRate` (any chunk length, values nominally in [-1, 1])
   * and returns every frame that became complete, in order.
   */
  push(samples: Float32Array): LogMelFrame[] {
    const out: LogMelFrame[] = [];
    let offset = 0;
    const { windowLength, hopLength } = this.config;
    while (offset < samples.length) {
      const take = Math.min(samples.length - offset, this.pending.length - this.pendingLength);
      this.pending.set(samples.subarray(offset, offset + take), this.pendingLength);
      this.pendingLength += take;
      offset += take;
      let start = 0;
      while (this.pendingLength - start >= windowLength) {
        out.push(this.computeFrame(this.pending.subarray(start, start + windowLength)));
        start += hopLength;
      }
      if (start > 0) {
        this.pending.copyWithin(0, start, this.pendingLength);
        this.pendingLength -= start;
      }
    }
    return out;
  }

  private computeFrame(frame: Float32Array): LogMelFrame {
    const { fftSize } = this.config;
    const powerScale = this.powerScale;
    const input = this.fftInput;
    for (let n = 0; n < frame.length; n++) input[n] = frame[n] * this.window[n];
    // input[frame.length..fftSize) stays zero (zero padding).
    this.fft.realTransform(this.fftOutput, input);
    const spectrum = this.fftOutput;
    const power = new Float64Array(fftSize / 2 + 1);
    for (let k = 0; k <= fftSize / 2; k++) {
      const re = spectrum[2 * k];
      const im = spectrum[2 * k + 1];
      power[k] = (re * re + im * im) * powerScale;
    }
    const logMel = new Float32Array(this.filters.length);
    for (let m = 0; m < this.filters.length; m++) {
      const { firstBin, weights } = this.filters[m];
      let acc = 0;
      for (let j = 0; j < weights.length; j++) acc += weights[j] * power[firstBin + j];
      logMel[m] = this.log(acc);
    }
    let band = 0;
    for (let k = this.bandFirstBin; k <= this.bandLastBin; k++) band += power[k];
    // Parseval: Σ|X_k|² over both half-spectra = N·Σ(x·w)²; normalise by the window's energy.
    const meanSquare = (2 * band) / (fftSize * this.windowPower * powerScale);
    const energyDb = 10 * Math.log10(meanSquare + 1e-12);
    return { index: this.frameCount++, logMel, energyDb };
  }
}

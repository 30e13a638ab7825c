/**
 * Energy-based voice-activity gate with an adaptive noise floor, onset and hangover.
 *
 * Per frame (10 ms) it compares the frame's band energy (dB, from the frontend) with a running
 * noise-floor estimate. Speech starts after `onsetFrames` consecutive frames above
 * floor + `onsetDb` (and above `absoluteThresholdDb`); it ends once the energy has stayed below
 * floor + `offsetDb` for `hangoverFrames` frames (the hangover bridges stop closures inside a
 * word, e.g. the /k/ in "six"). Classic hysteresis gate as in ITU-T G.729 Annex B / Sohn-style
 * energy VADs; the floor follows decreases quickly and increases slowly (asymmetric one-pole
 * smoothing, as in minimum-tracking noise estimators, R. Martin 2001).
 */

/** Tunable gate parameters; all times in frames (1 frame = one hop, 10 ms). */
export interface GateConfig {
  /** Onset threshold above the noise floor, dB. */
  readonly onsetDb: number;
  /** Offset (release) threshold above the noise floor, dB; below onsetDb for hysteresis. */
  readonly offsetDb: number;
  /** Energy below which nothing counts as speech whatever the floor, dB (re full scale). */
  readonly absoluteThresholdDb: number;
  /** Consecutive frames above onset needed to start a segment. */
  readonly onsetFrames: number;
  /** Frames below offset after which the segment ends (hangover). */
  readonly hangoverFrames: number;
  /** Segments shorter than this (frames) are dropped as clicks. */
  readonly minSpeechFrames: number;
  /** Segments are cut at this length (frames), so sustained noise cannot hold the gate open. */
  readonly maxSpeechFrames: number;
  /** Noise floor before any frame is seen, dB. */
  readonly initialFloorDb: number;
  /** Lowest value the floor may take, dB (keeps dither from triggering after digital silence). */
  readonly minFloorDb: number;
  /** Per-frame smoothing factor when the energy is below the floor (fast fall). */
  readonly floorFall: number;
  /** Per-frame smoothing factor when above the floor outside speech (slow rise). */
  readonly floorRise: number;
  /** Per-frame smoothing factor when above the floor during speech (very slow rise). */
  readonly floorRiseInSpeech: number;
}

export const DEFAULT_GATE_CONFIG: GateConfig = Object.freeze({
  onsetDb: 12,
  offsetDb: 6,
  absoluteThresholdDb: -65,
  onsetFrames: 3,
  hangoverFrames: 20,
  minSpeechFrames: 8,
  maxSpeechFrames: 150,
  initialFloorDb: -75,
  minFloorDb: -90,
  floorFall: 0.3,
  floorRise: 0.01,
  floorRiseInSpeech: 0.002,
});

/** A detected utterance, in frame indices of the stream: [startFrame, endFrame). */
export interface SpeechSegment {
  readonly startFrame: number;
  readonly endFrame: number;
}

/** What one frame did to the gate. */
export type GateEvent =
  | { readonly type: 'speech-start'; readonly startFrame: number }
  | { readonly type: 'speech-end'; readonly segment: SpeechSegment }
  | { readonly type: 'speech-dropped'; readonly segment: SpeechSegment };

/**
 * Streaming gate: call {@link push} once per frame with its energy in dB, in order; call
 * {@link flush} at the end of the stream to close an open segment.
 */
export class VoiceActivityGate {
  readonly config: GateConfig;
  private floorDb: number;
  private frame = 0;
  private run = 0; // consecutive frames above onset while idle
  private speechStart = -1; // first frame of the open segment, -1 when idle
  private lastVoiced = -1; // last frame above offset in the open segment

  constructor(config: GateConfig = DEFAULT_GATE_CONFIG) {
    this.config = config;
    this.floorDb = config.initialFloorDb;
  }

  /** Current noise-floor estimate, dB. */
  get noiseFloorDb(): number {
    return this.floorDb;
  }

  /** True while a segment is open (onset seen, hangover not yet run out). */
  get inSpeech(): boolean {
    return this.speechStart >= 0;
  }

  /** Frames consumed so far. */
  get frames(): number {
    return this.frame;
  }

  /** Consumes the next frame's energy (dB) and reports a segment start or end, if any. */
  push(energyDb: number): GateEvent | null {
    const c = this.config;
    const index = this.frame++;
    const e = Number.isFinite(energyDb) ? energyDb : -120;
    let event: GateEvent | null = null;
    if (this.speechStart < 0) {
      const onset = Math.max(this.floorDb + c.onsetDb, c.absoluteThresholdDb);
      this.run = e > onset ? this.run + 1 : 0;
      if (this.run >= c.onsetFrames) {
        this.speechStart = index - this.run + 1;
        this.lastVoiced = index;
        this.run = 0;
        event = { type: 'speech-start', startFrame: this.speechStart };
      }
    } else {
      const offset = Math.max(this.floorDb + c.offsetDb, c.absoluteThresholdDb);
      if (e > offset) this.lastVoiced = index;
      const tooLong = index + 1 - this.speechStart >= c.maxSpeechFrames;
      if (index - this.lastVoiced >= c.hangoverFrames || tooLong) {
        event = this.close(tooLong ? index + 1 : this.lastVoiced + 1);
      }
    }
    this.updateFloor(e);
    return event;
  }

  /** Ends the stream: closes an open segment at its last voiced frame. */
  flush(): GateEvent | null {
    return this.speechStart >= 0 ? this.close(this.lastVoiced + 1) : null;
  }

  private close(endFrame: number): GateEvent {
    const segment = { startFrame: this.speechStart, endFrame };
    this.speechStart = -1;
    this.lastVoiced = -1;
    const long = segment.endFrame - segment.startFrame >= this.config.minSpeechFrames;
    return { type: long ? 'speech-end' : 'speech-dropped', segment };
  }

  private updateFloor(e: number): void {
    const c = this.config;
    const alpha = e < this.floorDb ? c.floorFall : this.speechStart >= 0 ? c.floorRiseInSpeech : c.floorRise;
    this.floorDb = Math.max(c.minFloorDb, this.floorDb + alpha * (e - this.floorDb));
  }
}

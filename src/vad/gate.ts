/**
 * Energy-based voice-activity gate with an adaptive noise floor, onset and hangover.
 *
 * Per frame (10 ms) it compares the frame's band energy (dB, from the frontend) with a running
 * noise-floor estimate. Speech starts after `onsetFrames` consecutive frames above
 * floor + `onsetDb` (and above `absoluteThresholdDb`); it ends once the energy has stayed below
 * floor + `offsetDb` for `hangoverFrames` frames (the hangover bridges stop closures inside a
 * word, e.g. the /k/ in "six"). Classic hysteresis gate as in ITU-T G.729 Annex B / energy VADs;
 * outside speech the floor follows decreases quickly and increases slowly (asymmetric one-pole
 * smoothing, as in minimum-tracking noise estimators, R. Martin 2001).
 *
 * The gate also notes the pauses it bridges inside a segment: runs of at least `minPauseFrames`
 * frames below the offset threshold after which the energy rises like an onset (`onsetFrames`
 * frames above floor + `onsetDb`), not the faint release of a stop. Words said with short gaps (50–100 ms) fall into one
 * segment; its pauses are where it may be cut into words, which the recognizer decides with the
 * model. A segment that reaches `maxSpeechFrames` with a pause in it is closed at its last
 * pause — a run of words, not sustained noise — and the rest goes on as a new segment.
 *
 * Noise that starts while the floor is still low (at the start of a stream, or a fan switched
 * on) holds the gate open. When a segment reaches `maxSpeechFrames` — too long for a digit — it
 * is dropped, the floor is re-estimated as a low percentile of that segment's energies (speech
 * occupies few of its frames, noise most), and the gate replays those frames against the new
 * floor, so a word spoken inside the noise is still found (late by at most maxSpeechFrames).
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
  /** Shortest run of frames below the offset threshold inside a segment that is noted as a pause. */
  readonly minPauseFrames: number;
  /** Segments shorter than this (frames) are dropped as clicks. */
  readonly minSpeechFrames: number;
  /** Segments reaching this length (frames) are dropped as sustained noise and replayed. */
  readonly maxSpeechFrames: number;
  /** Percentile (0–1) of a dropped segment's energies taken as the new floor. */
  readonly floorPercentile: number;
  /** Noise floor before any frame is seen, dB. */
  readonly initialFloorDb: number;
  /** Lowest value the floor may take, dB (keeps dither from triggering after digital silence). */
  readonly minFloorDb: number;
  /** Per-frame smoothing factor when the energy is below the floor (fast fall). */
  readonly floorFall: number;
  /** Per-frame smoothing factor when above the floor outside speech (slow rise). */
  readonly floorRise: number;
}

export const DEFAULT_GATE_CONFIG: GateConfig = Object.freeze({
  onsetDb: 12,
  offsetDb: 6,
  absoluteThresholdDb: -65,
  onsetFrames: 3,
  hangoverFrames: 10,
  minPauseFrames: 3,
  minSpeechFrames: 8,
  maxSpeechFrames: 150,
  floorPercentile: 0.2,
  initialFloorDb: -75,
  minFloorDb: -90,
  floorFall: 0.3,
  floorRise: 0.01,
});

/** A span of frames of the stream: [startFrame, endFrame). */
export interface FrameRange {
  readonly startFrame: number;
  readonly endFrame: number;
}

/** A detected utterance, in frame indices of the stream: [startFrame, endFrame). */
export interface SpeechSegment extends FrameRange {
  /**
   * Pauses the hangover bridged inside the segment, in order: each starts after a voiced frame
   * and ends at the next voiced frame. Where a run of words may be cut (empty for most words).
   */
  readonly pauses: readonly FrameRange[];
}

/** What a frame did to the gate. */
export type GateEvent =
  | { readonly type: 'speech-start'; readonly startFrame: number }
  | { readonly type: 'speech-end'; readonly segment: SpeechSegment }
  | { readonly type: 'speech-dropped'; readonly segment: SpeechSegment; readonly reason: 'too-short' | 'too-long' };

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
  private pauses: FrameRange[] = []; // pauses inside the open segment
  private pendingPause: FrameRange | null = null; // a pause not yet followed by an onset
  private onsetRun = 0; // consecutive frames above onset inside the open segment
  private readonly energies: Float64Array; // ring: energy of the last maxSpeechFrames frames

  constructor(config: GateConfig = DEFAULT_GATE_CONFIG) {
    this.config = config;
    this.floorDb = config.initialFloorDb;
    this.energies = new Float64Array(config.maxSpeechFrames);
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

  /**
   * Consumes the next frame's energy (dB) and reports what happened, in order: usually
   * nothing or one event; after a too-long segment, its drop and what the replay found.
   */
  push(energyDb: number): GateEvent[] {
    const index = this.frame++;
    const e = Number.isFinite(energyDb) ? energyDb : -120;
    this.energies[index % this.energies.length] = e;
    const events: GateEvent[] = [];
    this.step(index, e, events);
    if (this.speechStart >= 0 && index + 1 - this.speechStart >= this.config.maxSpeechFrames) {
      if (!this.closeAtLastPause(events)) this.dropAndReplay(index, events);
    } else if (this.speechStart < 0) {
      this.updateFloor(e);
    }
    return events;
  }

  /** Ends the stream: closes an open segment at its last voiced frame. */
  flush(): GateEvent[] {
    return this.speechStart >= 0 ? [this.close(this.lastVoiced + 1)] : [];
  }

  /** Onset/offset state machine for one frame against the current floor. */
  private step(index: number, e: number, events: GateEvent[]): void {
    const c = this.config;
    if (this.speechStart < 0) {
      this.run = e > Math.max(this.floorDb + c.onsetDb, c.absoluteThresholdDb) ? this.run + 1 : 0;
      if (this.run >= c.onsetFrames) {
        this.speechStart = index - this.run + 1;
        this.lastVoiced = index;
        this.run = 0;
        events.push({ type: 'speech-start', startFrame: this.speechStart });
      }
    } else {
      if (e > Math.max(this.floorDb + c.offsetDb, c.absoluteThresholdDb)) {
        if (index - this.lastVoiced - 1 >= c.minPauseFrames) {
          this.pendingPause = { startFrame: this.lastVoiced + 1, endFrame: index };
          this.onsetRun = 0;
        }
        this.lastVoiced = index;
      }
      // What follows a pause counts as a new word only if it rises like a word onset.
      this.onsetRun = e > Math.max(this.floorDb + c.onsetDb, c.absoluteThresholdDb) ? this.onsetRun + 1 : 0;
      if (this.pendingPause && this.onsetRun >= c.onsetFrames) {
        this.pauses.push(this.pendingPause);
        this.pendingPause = null;
      }
      if (index - this.lastVoiced >= c.hangoverFrames) events.push(this.close(this.lastVoiced + 1));
    }
  }

  /**
   * A too-long segment with pauses in it is a run of words: closes it at its last pause (if the
   * part before is long enough to be speech) and goes on with the rest as a new segment.
   */
  private closeAtLastPause(events: GateEvent[]): boolean {
    const last = this.pauses.at(-1);
    if (!last || last.startFrame - this.speechStart < this.config.minSpeechFrames) return false;
    const segment: SpeechSegment = { startFrame: this.speechStart, endFrame: last.startFrame, pauses: this.pauses.slice(0, -1) };
    events.push({ type: 'speech-end', segment }, { type: 'speech-start', startFrame: last.endFrame });
    this.speechStart = last.endFrame;
    this.pauses = [];
    this.pendingPause = null;
    return true;
  }

  private dropAndReplay(index: number, events: GateEvent[]): void {
    const start = this.speechStart;
    events.push({ type: 'speech-dropped', segment: { startFrame: start, endFrame: index + 1, pauses: this.pauses }, reason: 'too-long' });
    const values: number[] = [];
    for (let f = start; f <= index; f++) values.push(this.energies[f % this.energies.length]);
    const sorted = [...values].sort((a, b) => a - b);
    this.floorDb = Math.max(this.config.minFloorDb, sorted[Math.floor(this.config.floorPercentile * (sorted.length - 1))]);
    this.speechStart = -1;
    this.lastVoiced = -1;
    this.run = 0;
    this.pauses = [];
    this.pendingPause = null;
    // Replay the dropped frames against the new floor; a word inside them is found now.
    values.forEach((e, i) => this.step(start + i, e, events));
    // Still open since the replay's first frames: the same sustained sound, not a word.
    if (this.speechStart >= 0 && this.speechStart < start + this.config.hangoverFrames) {
      events.push({ type: 'speech-dropped', segment: { startFrame: this.speechStart, endFrame: index + 1, pauses: this.pauses }, reason: 'too-long' });
      this.speechStart = -1;
      this.pauses = [];
    this.pendingPause = null;
      this.lastVoiced = -1;
      this.run = 0;
    }
  }

  private close(endFrame: number): GateEvent {
    const segment = { startFrame: this.speechStart, endFrame, pauses: this.pauses };
    this.pauses = [];
    this.pendingPause = null;
    this.speechStart = -1;
    this.lastVoiced = -1;
    this.run = 0;
    const long = segment.endFrame - segment.startFrame >= this.config.minSpeechFrames;
    return long ? { type: 'speech-end', segment } : { type: 'speech-dropped', segment, reason: 'too-short' };
  }

  private updateFloor(e: number): void {
    const c = this.config;
    const alpha = e < this.floorDb ? c.floorFall : c.floorRise;
    this.floorDb = Math.max(c.minFloorDb, this.floorDb + alpha * (e - this.floorDb));
  }
}

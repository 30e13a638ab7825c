/**
 * The last seconds of a stream's device-rate audio, so that an utterance the gate found can be
 * handed back as a recording (enrollment takes). Only kept while the page asks for takes.
 */
export class TakeRecorder {
  private readonly ring: Float32Array;
  /** Samples of the stream so far (pushed, or before the recorder started). */
  private total: number;

  /**
   * @param sampleRate Hz of the pushed audio
   * @param streamSamples samples the stream already had when recording starts (stream time goes on)
   * @param seconds how much audio is kept: the longest take plus its margins
   */
  constructor(
    readonly sampleRate: number,
    streamSamples = 0,
    seconds = 8,
  ) {
    this.ring = new Float32Array(Math.ceil(sampleRate * seconds));
    this.total = streamSamples;
    this.started = streamSamples;
  }

  /** Stream sample where recording started: nothing before it is kept. */
  private readonly started: number;

  /** Appends the stream's next samples. */
  push(samples: Float32Array): void {
    const n = this.ring.length;
    // Only the last n samples of a (rare) longer block can be kept.
    const from = Math.max(0, samples.length - n);
    for (let i = from; i < samples.length; i++) this.ring[(this.total + i) % n] = samples[i];
    this.total += samples.length;
  }

  /**
   * The audio from `startMs` to `endMs` of stream time (clipped to what is still kept).
   * @returns a copy, or null when none of that stretch is kept any more
   */
  extract(startMs: number, endMs: number): Float32Array | null {
    const n = this.ring.length;
    const first = Math.max(0, this.total - n, this.started, Math.floor((startMs / 1000) * this.sampleRate));
    const last = Math.min(this.total, Math.ceil((endMs / 1000) * this.sampleRate));
    if (last <= first) return null;
    const out = new Float32Array(last - first);
    for (let i = first; i < last; i++) out[i - first] = this.ring[i % n];
    return out;
  }
}

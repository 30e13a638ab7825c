import workletUrl from '../../worklets/capture-processor.ts?worker&url';

/**
 * Why the microphone could not be opened or stopped working, in terms the UI can explain.
 * `device-lost`: the track ended while listening (unplugged, switched off, taken by the system).
 */
export type CaptureErrorCode = 'permission-denied' | 'no-device' | 'device-busy' | 'unsupported' | 'device-lost' | 'unknown';

/** What an open capture reports while it runs (see {@link MicrophoneCapture.watch}). */
export interface CaptureWatcher {
  /** The track ended: the device is gone; the capture cannot recover. */
  onEnded(error: CaptureError): void;
  /** The AudioContext stopped running (`suspended`, or Safari's `interrupted`): no audio flows. */
  onSuspended(state: string): void;
  /** The AudioContext runs again after a suspension. */
  onRunning(): void;
}

/**
 * How often the track's `readyState` is checked, ms: a track stopped by the system may end
 * without an `ended` event. Each check is a task on the main thread while listening (about
 * 0.2 ms on a slow machine, `npm run bench`); a lost microphone is named within a second.
 */
const TRACK_POLL_MS = 1000;

/**
 * How long {@link MicrophoneCapture.open} waits for a suspended AudioContext to resume, ms.
 * Without a user gesture (autoplay rules, iOS) `resume()` stays pending; the capture is then
 * returned suspended and resumes on the next gesture.
 */
const RESUME_WAIT_MS = 1000;

/** A getUserMedia / AudioContext failure mapped to a code and a plain-words message. */
export class CaptureError extends Error {
  readonly code: CaptureErrorCode;
  constructor(code: CaptureErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CaptureError';
    this.code = code;
  }
}

/** Maps a getUserMedia rejection (DOMException name) to a {@link CaptureError}. */
export function toCaptureError(error: unknown): CaptureError {
  const name = (error as { name?: string } | null)?.name ?? '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new CaptureError('permission-denied', 'Microphone access was denied. Allow the microphone for this site, then press Start again.', { cause: error });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new CaptureError('no-device', 'No microphone was found. Connect one, then press Start again.', { cause: error });
    case 'NotReadableError':
    case 'AbortError':
      return new CaptureError('device-busy', 'The microphone could not be read (another app may be using it).', { cause: error });
    default:
      return new CaptureError('unknown', `The microphone could not be opened: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}

/**
 * An open microphone: getUserMedia track → AudioContext (device rate) → the
 * `digit-listener-capture` AudioWorklet, which posts audio to whatever MessagePort it is given.
 */
export class MicrophoneCapture {
  readonly context: AudioContext;
  readonly stream: MediaStream;
  readonly node: AudioWorkletNode;
  private readonly source: MediaStreamAudioSourceNode;

  private constructor(
    context: AudioContext,
    stream: MediaStream,
    source: MediaStreamAudioSourceNode,
    node: AudioWorkletNode,
    private readonly owned: boolean,
  ) {
    this.context = context;
    this.stream = stream;
    this.source = source;
    this.node = node;
  }

  /** Device sample rate of the audio the worklet posts, Hz. */
  get sampleRate(): number {
    return this.context.sampleRate;
  }

  /**
   * Asks for the microphone (echo cancellation, noise suppression and auto gain off: they
   * change the signal the model was trained on) and starts the capture worklet.
   * Must be called from a user gesture so the AudioContext may start.
   *
   * @throws CaptureError with a code the UI can show
   */
  static async open(): Promise<MicrophoneCapture> {
    if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined') {
      throw new CaptureError('unsupported', 'This browser cannot capture audio here (a secure https:// page and a modern browser are needed).');
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
    } catch (error) {
      throw toCaptureError(error);
    }
    return MicrophoneCapture.fromStream(stream, true);
  }

  /**
   * Captures a stream the page already has (a call, a chosen device, a media element's
   * `captureStream()`): its first audio track feeds the capture worklet.
   *
   * @param owned stop the stream's tracks on {@link close} (true for the microphone opened by
   *   {@link open}; false leaves a stream the page gave to the page)
   * @throws CaptureError `unsupported` without AudioWorklet, `no-device` for a stream without a
   *   live audio track, `unknown` if the worklet (named by its URL) cannot start
   */
  static async fromStream(stream: MediaStream, owned = false): Promise<MicrophoneCapture> {
    if (typeof AudioWorkletNode === 'undefined') {
      throw new CaptureError('unsupported', 'This browser cannot process audio here (AudioWorklet needs a secure https:// page and a modern browser).');
    }
    if (!stream.getAudioTracks().some((t) => t.readyState === 'live')) {
      throw new CaptureError('no-device', 'The stream given to listen() has no live audio track.');
    }
    const release = () => {
      if (owned) stream.getTracks().forEach((t) => t.stop());
    };
    const context = new AudioContext();
    try {
      try {
        await context.audioWorklet.addModule(workletUrl);
      } catch (error) {
        throw new Error(`the capture worklet could not be loaded from ${new URL(workletUrl, globalThis.location?.href).href} (${(error as Error).message})`, { cause: error });
      }
      const source = context.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(context, 'digit-listener-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
      source.connect(node);
      if (context.state === 'suspended') await Promise.race([context.resume(), new Promise((r) => setTimeout(r, RESUME_WAIT_MS))]);
      return new MicrophoneCapture(context, stream, source, node, owned);
    } catch (error) {
      release();
      void context.close();
      throw new CaptureError('unknown', `Audio processing could not start: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Suspends the AudioContext (no audio flows) until {@link resume}. */
  async suspend(): Promise<void> {
    if (this.context.state === 'running') await this.context.suspend();
  }

  /** True while the AudioContext runs (audio flows to the worklet). */
  get running(): boolean {
    return this.context.state === 'running';
  }

  /**
   * Tries to (re)start a suspended AudioContext; browsers allow it during a user gesture, or
   * when the page is visible again after a suspension. Resolves true if it runs within `waitMs`.
   */
  async resume(waitMs = RESUME_WAIT_MS): Promise<boolean> {
    if (this.context.state === 'closed') return false;
    if (this.context.state !== 'running') {
      await Promise.race([this.context.resume().catch(() => undefined), new Promise((r) => setTimeout(r, waitMs))]);
    }
    return this.running;
  }

  /**
   * Reports the end of the track (an `ended` event, or `readyState` found `ended` by a poll
   * every {@link TRACK_POLL_MS} ms) and AudioContext state changes until the returned function
   * is called or the capture is closed.
   */
  watch(watcher: CaptureWatcher): () => void {
    const track = this.stream.getAudioTracks()[0];
    let ended = false;
    const onEnded = () => {
      if (ended) return;
      ended = true;
      const label = track?.label ? ` (${track.label})` : '';
      watcher.onEnded(new CaptureError('device-lost', `The microphone${label} stopped — it may have been unplugged or switched off. Connect it, then press Try again.`));
    };
    const poll = setInterval(() => {
      if (!track || track.readyState === 'ended') onEnded();
    }, TRACK_POLL_MS);
    track?.addEventListener('ended', onEnded);
    let wasRunning = this.running;
    const onState = () => {
      const state = this.context.state as string;
      if (state === 'closed') return;
      if (state === 'running' && !wasRunning) watcher.onRunning();
      else if (state !== 'running' && wasRunning) watcher.onSuspended(state);
      wasRunning = state === 'running';
    };
    this.context.addEventListener('statechange', onState);
    return () => {
      clearInterval(poll);
      track?.removeEventListener('ended', onEnded);
      this.context.removeEventListener('statechange', onState);
    };
  }

  /** Hands the worklet the port it posts audio chunks to. */
  connect(port: MessagePort): void {
    this.node.port.postMessage({ type: 'connect', port }, [port]);
  }

  /** Closes the AudioContext, and stops the tracks of a stream it opened itself. */
  async close(): Promise<void> {
    this.node.port.postMessage({ type: 'stop' });
    this.source.disconnect();
    if (this.owned) this.stream.getTracks().forEach((t) => t.stop());
    await this.context.close();
  }
}

import { CaptureError, MicrophoneCapture } from '../capture/microphone';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../pipeline/recognizer';
import type { VoiceProfile } from '../adaptation/profile';
import { type DigitResult, type HeldBackScore, type LevelMeterTarget, type ModelSources, type RejectedSpeech, unreachable, type WorkerToMain } from '../worker/protocol';
import { shippedModels, shippedWasm, wasmIn } from './assets';
import { type DigitRecognizerEventMap, type DigitsEventDetail, RecognizerError, type RecognizerState, type StateReason } from './events';
import { type BackendReady, WorkerClient, WorkerError } from './worker-client';

/** Options of {@link DigitRecognizer}; every one can be changed later with {@link DigitRecognizer.setOptions}. */
export interface DigitRecognizerOptions {
  /**
   * URL of the word head's `model.json` (absolute, or relative to the page); its string head is
   * looked for in `strings/model.json` beside it. Both read the shipped speech encoder (a head
   * trained on another encoder is refused, naming both fingerprints). Default: the heads shipped
   * with the package, found by your bundler (nothing to configure).
   */
  readonly modelUrl?: string | URL;
  /** URL of the folder that serves tfjs' three `.wasm` files. Default: the shipped ones, found by your bundler. */
  readonly wasmPath?: string | URL;
  /** Minimum confidence (0–1) for a digit to be reported; below it a `rejected` event. Default 0.5. */
  readonly confidenceThreshold?: number;
  /**
   * false (default): stop listening after the first digit (one-digit input). true: keep
   * listening and group digits into strings (`digits` events).
   */
  readonly continuous?: boolean;
  /** Continuous mode: a string is complete at this many digits (0, default: no limit). */
  readonly maxDigits?: number;
  /** Continuous mode: ms of silence after a digit that end the string. Default 1500. */
  readonly digitsTimeout?: number;
  /** Use tfjs' multi-threaded wasm where the page is cross-origin isolated. Default false (one thread measured faster). */
  readonly threads?: boolean;
  /** A voice profile made by {@link DigitRecognizer.enroll} for this model (null, default: the general model). */
  readonly profile?: VoiceProfile | null;
}

/** A recording of one digit, for {@link DigitRecognizer.enroll}. */
export interface EnrollmentRecording {
  /** An AudioBuffer (channels averaged), or mono samples at `sampleRate`. */
  readonly audio: AudioBuffer | Float32Array;
  /** Hz; required with a Float32Array. */
  readonly sampleRate?: number;
  /** The digit said, 0–9. */
  readonly digit: number;
}

/** What {@link DigitRecognizer.enroll} made. */
export interface Enrollment {
  /** The voice profile: keep it (a {@link ProfileStore}, a file) and pass it to `useProfile`. */
  readonly profile: VoiceProfile;
  /** Held-back recordings read exactly right before and after (null: none held back). */
  readonly heldBack: HeldBackScore | null;
  /** Windows fitted on (recordings × augmented copies), and the model's general examples used. */
  readonly examples: number;
  readonly anchors: number;
  /** Time of the adaptation in the worker, ms. */
  readonly adaptMs: number;
}

/** What {@link DigitRecognizer.recognize} found in a recording. */
export interface Recognition {
  /** Every digit reported, in order. */
  readonly digits: DigitResult[];
  /** The digits as a string, e.g. "4172". */
  readonly text: string;
  /** Speech that was not reported: not a digit, or below the threshold. */
  readonly rejected: RejectedSpeech[];
}

type Settings = Required<Omit<DigitRecognizerOptions, 'modelUrl' | 'wasmPath'>> & Pick<DigitRecognizerOptions, 'modelUrl' | 'wasmPath'>;

const DEFAULTS: Settings = { confidenceThreshold: DEFAULT_CONFIDENCE_THRESHOLD, continuous: false, maxDigits: 0, digitsTimeout: 1500, threads: false, profile: null };

/** The page, if any: URLs the user gives are relative to it. */
const pageUrl = (): string | undefined => globalThis.document?.baseURI ?? globalThis.location?.href;

/** @throws RangeError naming the option, for a value it cannot take */
function checkOptions(options: DigitRecognizerOptions): void {
  const t = options.confidenceThreshold;
  if (t !== undefined && !(t >= 0 && t <= 1)) throw new RangeError(`confidenceThreshold must be in [0, 1], got ${t}`);
  if (options.maxDigits !== undefined && !(options.maxDigits >= 0)) throw new RangeError(`maxDigits must be 0 (no limit) or more, got ${options.maxDigits}`);
  if (options.digitsTimeout !== undefined && !(options.digitsTimeout >= 0)) throw new RangeError(`digitsTimeout must be ≥ 0 ms, got ${options.digitsTimeout}`);
}

/** Mono samples of an AudioBuffer (channels averaged). */
function mixDown(buffer: AudioBuffer): Float32Array {
  const out = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const channel = buffer.getChannelData(c);
    for (let i = 0; i < out.length; i++) out[i] += channel[i] / buffer.numberOfChannels;
  }
  return out;
}

/**
 * The page's level-meter target, checked before it is sent to the worker: an OffscreenCanvas
 * and three CSS colour strings (`track`, `quiet`, `speech`); null or undefined: no meter.
 * @throws TypeError naming what is wrong and `setLevelMeter`, the call that set the provider
 */
function levelMeterTarget(target: LevelMeterTarget | null | undefined): LevelMeterTarget | undefined {
  if (target === null || target === undefined) return undefined;
  const colors = (target as Partial<LevelMeterTarget>).colors;
  if (typeof OffscreenCanvas === 'undefined' || !((target as Partial<LevelMeterTarget>).canvas instanceof OffscreenCanvas)) {
    throw new TypeError('setLevelMeter: the provider must return {canvas, colors} with canvas an OffscreenCanvas (canvas.transferControlToOffscreen())');
  }
  if (!colors || !(['track', 'quiet', 'speech'] as const).every((k) => typeof colors[k] === 'string')) {
    throw new TypeError('setLevelMeter: the provider must return colors {track, quiet, speech}, each a CSS colour string');
  }
  return target;
}

/**
 * The headless recognizer: microphone (or any MediaStream, or a recording) in, digits out, with
 * no user interface. `<digit-listener>` is a view over one.
 *
 * ```js
 * const r = await DigitRecognizer.create({ continuous: true });
 * r.addEventListener('digit', (e) => console.log(e.detail.digit, e.detail.confidence));
 * await r.start();           // opens the microphone (call from a user gesture)
 * ```
 *
 * Audio runs in an AudioWorklet and a Web Worker (tfjs wasm SIMD); no audio leaves the device.
 * Events (all `CustomEvent`s, typed by {@link DigitRecognizerEventMap}): `digit`, `digits`
 * (continuous mode: a string ended by a pause, `maxDigits` or `stop()`), `level` (input dBFS, ~5
 * a second; only at speech changes while the worker draws a meter, {@link setLevelMeter}), `state`, `rejected` (speech that was not a digit, or unsure), `error`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface below only types EventTarget's own add/removeEventListener for our events
export class DigitRecognizer extends EventTarget {
  private settings: Settings;
  private client: WorkerClient | null = null;
  private loaded: Promise<BackendReady> | null = null;
  private capture: MicrophoneCapture | null = null;
  private unwatch: (() => void) | null = null;
  private currentState: RecognizerState = 'idle';
  private pausedByUser = false;
  private takesOn = false;
  private meterProvider: (() => LevelMeterTarget | null) | null = null;
  private stringOpen = false;
  private openDigits = '';
  private pauseTimer: ReturnType<typeof setTimeout> | null = null;

  /** The backend the models run on (after {@link load}), e.g. `{backend: 'wasm', simd: true, …}`. */
  backend: BackendReady | null = null;

  /**
   * A recognizer that has not loaded anything yet (no worker runs until {@link load}, {@link
   * start}, {@link listen} or {@link recognize}). {@link create} also loads.
   * @throws RangeError for an option out of range
   */
  constructor(options: DigitRecognizerOptions = {}) {
    super();
    checkOptions(options);
    this.settings = { ...DEFAULTS, ...options };
  }

  /**
   * Creates a recognizer and loads its backend and models.
   * @throws RecognizerError `backend-failed` / `model-failed` naming the URL that failed and the option that sets it
   */
  static async create(options: DigitRecognizerOptions = {}): Promise<DigitRecognizer> {
    const recognizer = new DigitRecognizer(options);
    await recognizer.load();
    return recognizer;
  }

  /** Current state (see {@link RecognizerState}). */
  get state(): RecognizerState {
    return this.currentState;
  }

  /** True while audio flows (`listening` or `speech`). */
  get listening(): boolean {
    return this.currentState === 'listening' || this.currentState === 'speech';
  }

  /** Continuous mode: the digit string being spoken, else the last digit (or ''). */
  get digits(): string {
    return this.openDigits;
  }

  /** The options in effect. */
  get options(): Readonly<DigitRecognizerOptions> {
    return { ...this.settings };
  }

  /**
   * Changes options; they take effect at once, while listening too: a threshold applies to the
   * next digit decided; a new `modelUrl`, `wasmPath` or `threads` reloads the recognizer (and
   * goes on listening to the same audio once it has loaded).
   * @throws RangeError for an option out of range; RecognizerError if the new model cannot load
   */
  async setOptions(options: DigitRecognizerOptions): Promise<void> {
    checkOptions(options);
    const before = this.settings;
    this.settings = { ...this.settings, ...options };
    const reload = (['modelUrl', 'wasmPath', 'threads'] as const).some((k) => k in options && String(options[k] ?? '') !== String(before[k] ?? ''));
    if (reload && this.loaded) {
      this.client?.terminate();
      this.client = null;
      this.loaded = null;
      this.backend = null;
      if (this.capture) {
        try {
          await this.load();
          this.connectStream(this.capture);
        } catch (error) {
          this.fail(error);
          throw error;
        }
      }
      return;
    }
    if ('confidenceThreshold' in options && this.capture) this.client?.send({ type: 'configure', settings: { confidenceThreshold: this.settings.confidenceThreshold } });
    if ('profile' in options && options.profile !== before.profile && this.loaded) {
      await this.loaded;
      try {
        await this.client!.useProfile(this.settings.profile);
      } catch (error) {
        this.settings = { ...this.settings, profile: before.profile };
        throw toRecognizerError(error);
      }
    }
    if (!this.settings.continuous && this.stringOpen) this.endString('stop');
  }

  /**
   * Starts the worker, the wasm backend and the models (once; later calls share it).
   * @throws RecognizerError `backend-failed` / `model-failed`, naming the URL and the option to set
   */
  load(): Promise<BackendReady> {
    if (!this.loaded) {
      const client = new WorkerClient();
      this.client = client;
      client.on((m) => this.onWorkerMessage(m));
      const { modelUrl, wasmPath } = this.settings;
      const models: ModelSources = modelUrl
        ? { word: { url: new URL(modelUrl, pageUrl()).href }, encoder: shippedModels().encoder, strings: 'beside', anchors: 'beside' }
        : shippedModels();
      const wasm = wasmPath ? wasmIn(wasmPath) : shippedWasm();
      const profile = this.settings.profile;
      this.loaded = client.init(models, wasm, this.settings.threads).then(
        async (ready) => {
          if (profile) await client.useProfile(profile);
          if (this.takesOn) client.send({ type: 'record-takes', on: true });
          this.backend = ready;
          return ready;
        },
        (error: unknown) => {
          if (this.client === client) {
            client.terminate();
            this.client = null;
            this.loaded = null;
          }
          throw explainLoadError(error, Boolean(modelUrl), Boolean(wasmPath));
        },
      );
    }
    return this.loaded;
  }

  /**
   * Opens the microphone and listens. Call from a user gesture (autoplay rules); without one the
   * recognizer may wait in `paused` (reason `autoplay`) until {@link resume}.
   * @throws RecognizerError (code `permission-denied`, `no-device`, `device-busy`, `unsupported`,
   *   `unknown`, or a load error); the same is sent as an `error` event
   */
  async start(): Promise<void> {
    await this.begin(() => MicrophoneCapture.open());
  }

  /**
   * Listens to a stream the page already has — a call, a chosen input device. The stream stays
   * the page's: {@link stop} does not stop its tracks.
   * @throws RecognizerError like {@link start}; `no-device` for a stream without a live audio track
   */
  async listen(stream: MediaStream): Promise<void> {
    await this.begin(() => MicrophoneCapture.fromStream(stream, false));
  }

  private async begin(open: () => Promise<MicrophoneCapture>): Promise<void> {
    if (this.currentState === 'paused') return this.resume();
    if (this.capture || this.currentState === 'loading') return;
    this.setState('loading');
    try {
      // Models first, then the microphone: no audio is captured before it can be recognized.
      await this.load();
      const capture = await open();
      this.capture = capture;
      this.connectStream(capture);
      this.unwatch = capture.watch({
        onEnded: (lost) => this.fail(lost),
        onSuspended: () => this.onSuspended(),
        onRunning: () => this.onRunning(),
      });
      this.watchPage(true);
      if (capture.running) this.setState('listening');
      else this.setState('paused', 'autoplay'); // no gesture yet (iOS): the context waits for the user
    } catch (error) {
      await this.release();
      const e = toRecognizerError(error);
      this.fail(e);
      throw e;
    }
  }

  /** Gives the worker a fresh stream fed by `capture`'s worklet. */
  private connectStream(capture: MicrophoneCapture): void {
    const channel = new MessageChannel();
    const meter = levelMeterTarget(this.meterProvider?.() ?? null);
    this.client!.send(
      { type: 'start', sampleRate: capture.sampleRate, port: channel.port2, settings: { confidenceThreshold: this.settings.confidenceThreshold }, meter },
      meter ? [channel.port2, meter.canvas] : [channel.port2],
    );
    capture.connect(channel.port1);
  }

  /** Stops listening and releases the microphone; an open digit string ends (`digits`, reason `stop`). */
  async stop(): Promise<void> {
    await this.halt('stop');
  }

  /** Pauses listening (the AudioContext is suspended; the word in progress is reported). */
  async pause(): Promise<void> {
    if (!this.listening || !this.capture) return;
    this.pausedByUser = true;
    await this.capture.suspend();
    this.onSuspended(); // the context's statechange event may come later
  }

  /** Resumes after {@link pause}, or after the browser paused the audio (call from a user gesture). */
  async resume(): Promise<void> {
    if (this.currentState !== 'paused') return;
    this.pausedByUser = false;
    if (await this.capture?.resume()) this.onRunning();
  }

  /**
   * Recognizes a recording (a decoded file, a buffer) in the worker, through the same pipeline
   * and decision rule as the microphone. Does not disturb listening.
   * @param audio an AudioBuffer (channels averaged; its own rate), or mono samples at `sampleRate`
   * @param sampleRate Hz, required with a Float32Array
   * @throws RangeError without a sample rate; RecognizerError `pipeline-failed` for a rate the
   *   pipeline cannot take, or a load error
   */
  async recognize(audio: AudioBuffer | Float32Array, sampleRate?: number): Promise<Recognition> {
    const samples = audio instanceof Float32Array ? audio : mixDown(audio);
    const rate = audio instanceof Float32Array ? sampleRate : audio.sampleRate;
    if (!(rate && rate > 0)) throw new RangeError('recognize(samples, sampleRate): give the sample rate of the samples in Hz');
    await this.load();
    try {
      const answer = await this.client!.recognize(samples, rate, this.settings.confidenceThreshold);
      return { digits: answer.digits, text: answer.digits.map((d) => d.digit).join(''), rejected: answer.rejected };
    } catch (error) {
      throw toRecognizerError(error);
    }
  }

  /**
   * Adapts the recognizer to one person from their recordings of the digits (one or more takes
   * each), in the worker, with the model's general examples so it still rejects non-digits.
   * The profile in use does not change: pass the result's `profile` to {@link useProfile}.
   * @param recordings fitted on
   * @param heldBack recordings read before and after, to show the improvement (not fitted on)
   * @throws RangeError for a digit outside 0–9 or a recording without a sample rate;
   *   RecognizerError `enrollment-failed` (e.g. no recording had speech), or a load error
   */
  async enroll(recordings: readonly EnrollmentRecording[], heldBack: readonly EnrollmentRecording[] = []): Promise<Enrollment> {
    const takes = (list: readonly EnrollmentRecording[]) =>
      list.map(({ audio, sampleRate, digit }) => {
        if (!(Number.isInteger(digit) && digit >= 0 && digit <= 9)) throw new RangeError(`enroll: digit ${digit} is not 0–9`);
        const samples = audio instanceof Float32Array ? audio : mixDown(audio);
        const rate = audio instanceof Float32Array ? sampleRate : audio.sampleRate;
        if (!(rate && rate > 0)) throw new RangeError('enroll: give the sampleRate of a Float32Array recording in Hz');
        return { samples, sampleRate: rate, digit };
      });
    const [fit, back] = [takes(recordings), takes(heldBack)];
    await this.load();
    try {
      const { profile, heldBack: score, examples, anchors, adaptMs } = await this.client!.enroll(fit, back);
      return { profile, heldBack: score, examples, anchors, adaptMs };
    } catch (error) {
      throw toRecognizerError(error);
    }
  }

  /**
   * Reads with a voice profile from now on (null: the general model), while listening too.
   * @throws RecognizerError `profile-refused` naming why (made for another model, malformed)
   */
  async useProfile(profile: VoiceProfile | null): Promise<void> {
    await this.setOptions({ profile });
  }

  /**
   * While on, every utterance heard is also sent back as a recording (`take` events), to
   * collect enrollment takes from the microphone. Off by default: it keeps 8 s of audio.
   */
  recordTakes(on: boolean): void {
    this.takesOn = on;
    this.client?.send({ type: 'record-takes', on });
  }

  /**
   * Lets the recognizer's worker draw a level meter, so that it moves without the page's main
   * thread: `provider` is called at each stream start (and after a reload while listening) and
   * returns a fresh canvas's `transferControlToOffscreen()` with the colours to draw (null: no
   * meter this time). While a meter is drawn, `level` events come only with a change of speech
   * (`state` `speech` ↔ `listening`), not ~5 a second. `<digit-listener>` does this where the
   * browser has OffscreenCanvas. Applies from the next start; null removes it.
   * @throws TypeError if `provider` is neither a function nor null
   */
  setLevelMeter(provider: (() => LevelMeterTarget | null) | null): void {
    if (provider !== null && typeof provider !== 'function') throw new TypeError(`setLevelMeter: expected a function returning {canvas, colors}, or null; got ${typeof provider}`);
    this.meterProvider = provider;
  }

  /** The voice profile in use, or null. */
  get profile(): VoiceProfile | null {
    return this.settings.profile;
  }

  /** Closes the open digit string without a `digits` event (e.g. a form field was cleared). */
  clearDigits(): void {
    this.clearPauseTimer();
    this.stringOpen = false;
    this.openDigits = '';
  }

  /** Stops listening and ends the worker; the recognizer can load again later. */
  async dispose(): Promise<void> {
    await this.halt('stop');
    this.client?.terminate();
    this.client = null;
    this.loaded = null;
  }

  private async halt(reason: StateReason): Promise<void> {
    if (!this.capture) return;
    this.endString('stop');
    await this.release();
    this.setState('idle', reason);
  }

  private async release(): Promise<void> {
    this.watchPage(false);
    this.unwatch?.();
    this.unwatch = null;
    this.client?.send({ type: 'stop' });
    this.pausedByUser = false;
    const capture = this.capture;
    this.capture = null;
    await capture?.close().catch(() => undefined);
  }

  /** Ends the session on a failure: releases the microphone and fires `error`. */
  private fail(error: unknown): void {
    const e = toRecognizerError(error);
    this.endString('stop');
    void this.release();
    this.setState('error');
    this.emit('error', { code: e.code, message: e.message });
  }

  private onSuspended(): void {
    if (!this.listening) return;
    // The worker reports the word in progress and starts a fresh stream for when audio returns.
    this.client?.send({ type: 'flush' });
    this.clearPauseTimer();
    this.setState('paused', this.pausedByUser ? 'user' : 'browser');
  }

  private onRunning(): void {
    if (this.currentState !== 'paused') return;
    this.setState('listening');
    if (this.stringOpen) this.armPauseTimer();
  }

  /** Page events after which a paused AudioContext may run again (visible again, a gesture). */
  private readonly onMayResume = (event: Event): void => {
    if (this.currentState !== 'paused' || this.pausedByUser) return;
    if (event.type === 'visibilitychange' && document.visibilityState !== 'visible') return;
    void this.capture?.resume();
  };

  /** The page is being left (or frozen into the back/forward cache): let the microphone go. */
  private readonly onPageHide = (): void => {
    void this.halt('page-hidden');
  };

  private watchPage(on: boolean): void {
    if (typeof document === 'undefined') return;
    const events: [EventTarget, string, (event: Event) => void, boolean][] = [
      [document, 'visibilitychange', this.onMayResume, false],
      [document, 'pointerdown', this.onMayResume, true],
      [document, 'keydown', this.onMayResume, true],
      [window, 'pageshow', this.onMayResume, false],
      [window, 'focus', this.onMayResume, false],
      [window, 'pagehide', this.onPageHide, false],
    ];
    for (const [target, type, handler, capture] of events) {
      if (on) target.addEventListener(type, handler, capture);
      else target.removeEventListener(type, handler, capture);
    }
  }

  private onWorkerMessage(m: WorkerToMain): void {
    switch (m.type) {
      case 'ready':
      case 'recognized':
      case 'enrolled':
      case 'profile-set':
      case 'inference-timing':
        return; // answers to calls (WorkerClient)
      case 'take':
        if (this.capture) this.emit('take', { samples: m.samples, sampleRate: m.sampleRate, startMs: m.startMs, endMs: m.endMs });
        return;
      case 'status':
        if (!this.listening) return;
        this.setState(m.inSpeech ? 'speech' : 'listening');
        this.emit('level', { levelDb: m.levelDb, inSpeech: m.inSpeech });
        // A word in progress holds the string open; the pause counts from the end of speech.
        if (m.inSpeech) this.clearPauseTimer();
        else if (this.stringOpen) this.armPauseTimer();
        return;
      case 'digit':
        if (this.capture) this.onDigit(m.result); // a paused stream still reports the word it was hearing
        return;
      case 'rejected':
        if (this.listening) this.emit('rejected', { label: m.label, confidence: m.confidence });
        return;
      case 'error':
        if (m.id !== undefined || this.currentState === 'loading') return; // a call's answer; start() reports it
        this.fail(new RecognizerError(m.code, m.message));
        return;
      default:
        unreachable(m);
    }
  }

  private onDigit(result: DigitResult): void {
    const digit = String(result.digit);
    const { continuous, maxDigits } = this.settings;
    this.openDigits = continuous && this.stringOpen ? this.openDigits + digit : digit;
    this.stringOpen = continuous;
    this.emit('digit', result);
    if (!continuous) {
      void this.halt('done'); // one-digit input: done
    } else if (maxDigits > 0 && this.openDigits.length >= maxDigits) {
      this.endString('length');
    } else {
      this.armPauseTimer();
    }
  }

  /** Ends the open digit string (if any) and fires `digits`. */
  private endString(reason: DigitsEventDetail['reason']): void {
    this.clearPauseTimer();
    if (!this.stringOpen) return;
    this.stringOpen = false;
    this.emit('digits', { digits: this.openDigits, reason });
  }

  private armPauseTimer(): void {
    this.clearPauseTimer();
    this.pauseTimer = setTimeout(() => this.endString('pause'), this.settings.digitsTimeout);
  }

  private clearPauseTimer(): void {
    if (this.pauseTimer !== null) clearTimeout(this.pauseTimer);
    this.pauseTimer = null;
  }

  private setState(state: RecognizerState, reason?: StateReason): void {
    const previous = this.currentState;
    if (previous === state && reason === undefined) return;
    this.currentState = state;
    this.emit('state', { state, previous, reason });
  }

  private emit<K extends keyof DigitRecognizerEventMap>(type: K, detail: DigitRecognizerEventMap[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

// Typed listeners: `r.addEventListener('digit', (e) => e.detail.digit)`.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface DigitRecognizer {
  addEventListener<K extends keyof DigitRecognizerEventMap>(
    type: K,
    listener: (event: CustomEvent<DigitRecognizerEventMap[K]>) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof DigitRecognizerEventMap>(
    type: K,
    listener: (event: CustomEvent<DigitRecognizerEventMap[K]>) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** Any failure as a RecognizerError with the code of its `error` event. */
function toRecognizerError(error: unknown): RecognizerError {
  if (error instanceof RecognizerError) return error;
  if (error instanceof CaptureError || error instanceof WorkerError) return new RecognizerError(error.code, error.message, { cause: error });
  return new RecognizerError('unknown', (error as Error)?.message ?? String(error), { cause: error });
}

/** A load failure, with the option (and the element's attribute) that points it elsewhere. */
function explainLoadError(error: unknown, customModel: boolean, customWasm: boolean): RecognizerError {
  const e = toRecognizerError(error);
  if (e.code === 'model-failed') {
    const hint = customModel
      ? 'Check the `modelUrl` option (the `model-src` attribute of <digit-listener>): it must be the URL of a model.json this page can fetch.'
      : 'The shipped model was not found beside the module: set the `modelUrl` option (the `model-src` attribute of <digit-listener>) to where model.json is served.';
    return new RecognizerError(e.code, `${e.message}. ${hint}`, { cause: error });
  }
  if (e.code === 'backend-failed' && e.message.startsWith('the wasm backend could not start')) {
    const hint = customWasm
      ? "Check the `wasmPath` option (the `wasm-path` attribute of <digit-listener>): it must be the folder serving tfjs' .wasm files."
      : "The shipped .wasm files were not found beside the module: set the `wasmPath` option (the `wasm-path` attribute of <digit-listener>) to the folder serving tfjs' .wasm files.";
    return new RecognizerError(e.code, `${e.message}. ${hint}`, { cause: error });
  }
  return e;
}

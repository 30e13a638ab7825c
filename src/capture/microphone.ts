import workletUrl from '../../worklets/capture-processor.ts?worker&url';

/** Why the microphone could not be opened, in terms the UI can explain. */
export type CaptureErrorCode = 'permission-denied' | 'no-device' | 'device-busy' | 'unsupported' | 'unknown';

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

  private constructor(context: AudioContext, stream: MediaStream, source: MediaStreamAudioSourceNode, node: AudioWorkletNode) {
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
    const context = new AudioContext();
    try {
      await context.audioWorklet.addModule(workletUrl);
      const source = context.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(context, 'digit-listener-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
      source.connect(node);
      if (context.state === 'suspended') await context.resume();
      return new MicrophoneCapture(context, stream, source, node);
    } catch (error) {
      stream.getTracks().forEach((t) => t.stop());
      void context.close();
      throw new CaptureError('unknown', `Audio processing could not start: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Hands the worklet the port it posts audio chunks to. */
  connect(port: MessagePort): void {
    this.node.port.postMessage({ type: 'connect', port }, [port]);
  }

  /** Stops the track and closes the AudioContext. */
  async close(): Promise<void> {
    this.node.port.postMessage({ type: 'stop' });
    this.source.disconnect();
    this.stream.getTracks().forEach((t) => t.stop());
    await this.context.close();
  }
}

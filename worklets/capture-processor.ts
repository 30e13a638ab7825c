/**
 * AudioWorkletProcessor `digit-listener-capture`: copies the device-rate input (channels
 * averaged to mono) into ~20 ms blocks and posts them straight to the recognizer worker over a
 * MessagePort, so no audio passes through the main thread. It does no other work: DSP that can
 * lag runs in the worker.
 */
import type { MainToWorklet, WorkletToWorker } from '../src/capture/messages';
import { unreachable } from '../src/worker/unreachable';

class CaptureProcessor extends AudioWorkletProcessor {
  private target: MessagePort | null = null;
  /** Samples per posted block: ~20 ms at the device rate. */
  private readonly blockSize = Math.max(128, Math.round(sampleRate * 0.02));
  private block = new Float32Array(this.blockSize);
  private filled = 0;
  private stopped = false;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<MainToWorklet>) => {
      const message = event.data;
      switch (message.type) {
        case 'connect':
          this.target = message.port;
          return;
        case 'stop':
          this.stopped = true;
          this.target?.close();
          this.target = null;
          return;
        default:
          unreachable(message);
      }
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    const channels = inputs[0];
    if (!channels || channels.length === 0 || !this.target) return true;
    const frames = channels[0].length;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (let c = 0; c < channels.length; c++) sum += channels[c][i];
      this.block[this.filled++] = sum / channels.length;
      if (this.filled === this.blockSize) {
        const message: WorkletToWorker = { type: 'audio', samples: this.block };
        // Transferred, not copied: this.block is detached (length 0) afterwards.
        this.target.postMessage(message, [this.block.buffer]);
        this.block = new Float32Array(this.blockSize);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('digit-listener-capture', CaptureProcessor);

/**
 * A fake microphone for browsers without Chromium's `--use-file-for-fake-audio-capture` (Firefox,
 * WebKitGTK): `navigator.mediaDevices.getUserMedia` is replaced by a function that returns the
 * stream of a `MediaStreamAudioDestinationNode` playing a WAV once — in Firefox before the page's
 * own scripts run (a BiDi preload script), in WebKit right after each load (webkit.ts says why).
 * The page fetches the WAV itself, so it must be served from the page's origin (the app's CSP
 * allows `connect-src 'self'` only): {@link micWavsPlugin} mounts a folder of WAVs on a Vite
 * server; with any other server, put the WAV in the folder it serves.
 */
import { createReadStream, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Plugin } from 'vite';

/** Where {@link micWavsPlugin} serves its WAVs: `/__mic__/<name>.wav` on the app's origin. */
export const MIC_ROUTE = '/__mic__/';

/** What the page exposes as `window.__fakeMicrophone` once getUserMedia was called. */
export interface FakeMicrophoneState {
  /** getUserMedia calls so far. */
  calls: number;
  /** The player's AudioContext state, sample rate, and the WAV's duration, s. */
  state: string;
  sampleRate: number;
  seconds: number;
  /** True once the WAV played to its end; `error` if anything failed. */
  ended: boolean;
  error: string | null;
}

/**
 * The in-page part: replaces `MediaDevices.prototype.getUserMedia` so an audio request resolves
 * to a stream playing the WAV at `wavUrl` (after `leadSeconds` more of silence), and anything else
 * is rejected as `NotFoundError`. Self-contained (it is serialized into the page); state in
 * `window.__fakeMicrophone`. Each call starts the WAV again from its beginning; stopping the
 * stream's track stops the player.
 */
export function installFakeMicrophone(options: { wavUrl: string; leadSeconds: number }): void {
  // Documents without a microphone API (the initial about:blank, not a secure context) get none.
  if (typeof MediaDevices === 'undefined') return;
  const w = window as unknown as { __fakeMicrophone: FakeMicrophoneState };
  const state: FakeMicrophoneState = { calls: 0, state: 'none', sampleRate: 0, seconds: 0, ended: false, error: null };
  w.__fakeMicrophone = state;
  // Fetched at once (not inside the user gesture, which an await could outlive).
  const wav = fetch(options.wavUrl).then((r) => {
    if (!r.ok) throw new Error(`fake microphone: ${options.wavUrl} answered ${r.status}`);
    return r.arrayBuffer();
  });
  wav.catch((e: Error) => (state.error = e.message));
  async function getUserMedia(constraints?: MediaStreamConstraints): Promise<MediaStream> {
    state.calls++;
    if (!constraints?.audio || constraints.video) throw new DOMException('The fake microphone has audio only', 'NotFoundError');
    // Created synchronously, inside the click that asked for the microphone.
    const context = new AudioContext();
    try {
      const buffer = await context.decodeAudioData((await wav).slice(0));
      const destination = context.createMediaStreamDestination();
      destination.channelCount = 1;
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(destination);
      // A context that cannot start (no audio device) must not hang getUserMedia: the page
      // then meets a suspended context of its own and says so.
      if (context.state !== 'running') await Promise.race([context.resume(), new Promise((r) => setTimeout(r, 1000))]);
      source.onended = () => (state.ended = true);
      source.start(context.currentTime + options.leadSeconds);
      Object.assign(state, { state: context.state, sampleRate: context.sampleRate, seconds: buffer.duration, ended: false });
      context.onstatechange = () => (state.state = context.state);
      const stream = destination.stream;
      for (const track of stream.getAudioTracks()) {
        const stop = track.stop.bind(track);
        track.stop = () => {
          stop();
          void context.close();
        };
      }
      return stream;
    } catch (error) {
      state.error = String(error);
      void context.close();
      throw error;
    }
  }
  Object.defineProperty(MediaDevices.prototype, 'getUserMedia', { value: getUserMedia, configurable: true, writable: true });
}

/**
 * Vite plugin (preview and dev servers): serves the `.wav` files of `dir` at
 * `/__mic__/<name>.wav` (same-origin, so the app's COEP and CSP let the page fetch them).
 */
export function micWavsPlugin(dir: string): Plugin {
  const serve = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!path.startsWith(MIC_ROUTE) || !path.endsWith('.wav')) return next();
    const file = join(dir, basename(decodeURIComponent(path)));
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'audio/wav', 'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-store' });
    createReadStream(file).pipe(res);
  };
  return {
    name: 'digit-listener-test-mic-wavs',
    configurePreviewServer: (server) => void server.middlewares.use(serve),
    configureServer: (server) => void server.middlewares.use(serve),
  };
}

/** The URL of `wavPath` (in the folder given to {@link micWavsPlugin}) on the server at `origin`. */
export function micWavUrl(origin: string, wavPath: string): string {
  return new URL(`${MIC_ROUTE}${basename(wavPath)}`, origin).href;
}

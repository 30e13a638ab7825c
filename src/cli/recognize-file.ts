import { readFile } from 'node:fs/promises';
import { decodeWav } from '../audio/wav';
import { type DigitDetection, type RecognizerModels, type RecognizerOptions, StreamingRecognizer } from '../pipeline/recognizer';

/** Samples per chunk when streaming a file through the pipeline (at the file's rate). */
export const FILE_CHUNK_SAMPLES = 4096;

/**
 * Decodes a WAV file and streams it, chunk by chunk, through the same recognizer the browser
 * uses.
 *
 * @throws WavDecodeError (names the file) if it cannot be read or decoded
 */
export async function recognizeFile(path: string, models: RecognizerModels, options: RecognizerOptions = {}): Promise<DigitDetection[]> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new Error(`${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { cause: error });
  }
  const audio = decodeWav(bytes, path);
  const recognizer = new StreamingRecognizer(models, audio.sampleRate, options);
  const detections: DigitDetection[] = [];
  for (let i = 0; i < audio.samples.length; i += FILE_CHUNK_SAMPLES) {
    detections.push(...recognizer.push(audio.samples.subarray(i, i + FILE_CHUNK_SAMPLES)).detections);
  }
  detections.push(...recognizer.flush().detections);
  return detections;
}

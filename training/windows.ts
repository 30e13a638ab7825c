import type { FrontendOptions } from '../src/frontend/log-mel';
import { DEFAULT_PIPELINE_CONFIG, type PipelineConfig, StreamingPipeline, type UtteranceWindow } from '../src/pipeline/streaming-pipeline';

/**
 * Runs a finite signal through the product's streaming pipeline (resampler, log-mel, gate,
 * window) and returns the window of its main utterance — the longest segment the gate found —
 * so training windows are aligned exactly as at run time. Null when the gate found nothing.
 *
 * @param samples mono signal at `sampleRate` Hz
 * @param frontendOptions training-only frontend options (a VTLP warp per clip)
 */
export function mainUtteranceWindow(
  samples: Float32Array,
  sampleRate: number,
  config: PipelineConfig = DEFAULT_PIPELINE_CONFIG,
  frontendOptions: FrontendOptions = {},
): { window: UtteranceWindow | null; segments: number } {
  const pipeline = new StreamingPipeline(sampleRate, config, frontendOptions);
  const windows = [...pipeline.push(samples).windows, ...pipeline.flush().windows];
  let best: UtteranceWindow | null = null;
  for (const w of windows) {
    if (!best || w.segment.endFrame - w.segment.startFrame > best.segment.endFrame - best.segment.startFrame) best = w;
  }
  return { window: best, segments: windows.length };
}

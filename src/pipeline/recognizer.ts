import type { DigitClassifier } from '../model/classifier';
import { DIGIT_LABELS } from '../model/labels';
import { readWords } from './segmentation';
import { type PipelineStep, StreamingPipeline } from './streaming-pipeline';

/** A digit the recognizer accepted. */
export interface DigitDetection {
  /** 0–9. */
  readonly digit: number;
  /** Softmax probability of that digit, 0–1. */
  readonly confidence: number;
  /** Softmax probabilities of every class, `[classes]`, in the model's label order. */
  readonly probabilities: number[];
  /** Utterance start, ms since the stream start. */
  readonly startMs: number;
  /** Utterance end, ms since the stream start. */
  readonly endMs: number;
}

/** An utterance the recognizer did not report: classified as not a digit, or below the threshold. */
export interface RejectedUtterance {
  /** The model's best label ("other", or a digit label whose confidence was too low). */
  readonly label: string;
  readonly confidence: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** What one chunk produced: accepted digits, rejected utterances, and the pipeline's level/speech status. */
export interface RecognizerStep extends PipelineStep {
  readonly detections: DigitDetection[];
  readonly rejected: RejectedUtterance[];
}

/** Options of {@link StreamingRecognizer}. */
export interface RecognizerOptions {
  /**
   * Minimum confidence (softmax probability, 0–1) for a digit to be reported; utterances
   * below it are ignored. Default {@link DEFAULT_CONFIDENCE_THRESHOLD}.
   */
  readonly confidenceThreshold?: number;
}

/** Default confidence threshold of the CLI and the element. */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.5;

/**
 * The streaming pipeline plus the classifier: audio chunks in, digits out. The CLI and the
 * browser worker both drive this class.
 */
export class StreamingRecognizer {
  readonly pipeline: StreamingPipeline;
  private readonly classifier: DigitClassifier;
  private readonly threshold: number;

  /**
   * @param inputSampleRate rate of the pushed audio, Hz
   * @throws RangeError for an unusable sample rate or a threshold outside [0, 1]
   */
  constructor(classifier: DigitClassifier, inputSampleRate: number, options: RecognizerOptions = {}) {
    const threshold = options.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
    if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`confidence threshold must be in [0, 1], got ${threshold}`);
    this.classifier = classifier;
    this.threshold = threshold;
    this.pipeline = new StreamingPipeline(inputSampleRate);
  }

  /** Feeds mono samples at the input rate; returns digits completed in this chunk. */
  push(samples: Float32Array): RecognizerStep {
    return this.classify(this.pipeline.push(samples));
  }

  /** Ends a finite stream and returns the last digits. */
  flush(): RecognizerStep {
    return this.classify(this.pipeline.flush());
  }

  private classify(step: PipelineStep): RecognizerStep {
    const detections: DigitDetection[] = [];
    const rejected: RejectedUtterance[] = [];
    for (const segment of step.windows) {
      for (const { window, prediction: p } of readWords(segment, (features) => this.classifier.predict(features))) {
        const digit = (DIGIT_LABELS as readonly string[]).indexOf(p.label);
        if (digit < 0 || p.confidence < this.threshold) {
          rejected.push({ label: p.label, confidence: p.confidence, startMs: window.startMs, endMs: window.endMs });
        } else {
          detections.push({ digit, confidence: p.confidence, probabilities: p.probabilities, startMs: window.startMs, endMs: window.endMs });
        }
      }
    }
    return { ...step, detections, rejected };
  }
}

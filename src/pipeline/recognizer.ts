import { DEFAULT_FRONTEND_CONFIG, hopMs } from '../frontend/config';
import type { DigitClassifier } from '../model/classifier';
import { DIGIT_LABELS, OTHER_LABEL } from '../model/labels';
import { configDifferences, ModelLoadError } from '../model/metadata';
import { DEFAULT_GATE_CONFIG } from '../vad/gate';
import { readWords } from './segmentation';
import { type CtcModel, DEFAULT_STRING_READER_CONFIG, type StringDigit, StringReader } from './string-reader';
import { type PipelineConfig, type PipelineStep, StreamingPipeline, type UtteranceWindow } from './streaming-pipeline';

/** A digit the recognizer accepted. */
export interface DigitDetection {
  /** 0–9. */
  readonly digit: number;
  /** Softmax probability of that digit, 0–1. */
  readonly confidence: number;
  /**
   * Softmax probabilities of every class, `[classes]`, in the deciding model's label order: the
   * word model's (ten digits, other), or for a digit read in a string the string model's (ten
   * digits, blank) at the digit's most confident frame.
   */
  readonly probabilities: number[];
  /**
   * Start of the word, ms since the stream start; for a digit read in a string, the end of the
   * token before it in the run of speech (or the run's start), so that the word is inside.
   */
  readonly startMs: number;
  /** End of the word (or of the steps the string model emitted it on), ms since the stream start. */
  readonly endMs: number;
  /** Which model decided: `'word'` (one word per window) or `'string'` (the CTC string reader). */
  readonly source: 'word' | 'string';
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

/** The models a recognizer reads with. */
export interface RecognizerModels {
  /** The word model: one word per window, ten digits and "other". */
  readonly word: DigitClassifier;
  /** The CTC string model; null reads every run of speech word by word (the word model only). */
  readonly strings: (CtcModel & { readonly metadata: { readonly frontend: PipelineConfig['frontend'] }; readonly encoder: DigitClassifier['encoder'] }) | null;
}

/**
 * The pipeline the models need, from their metadata: the gate on the product's frontend
 * (`DEFAULT_FRONTEND_CONFIG`) with the default VAD gate, and the models' features from their
 * encoder's frontend, cut into the word head's window. A head trained with other features thus
 * gets the features it was trained on.
 *
 * @throws ModelLoadError naming the string model when it reads another encoder or frontend than
 *   the word model (one pipeline and one encoder feed both)
 */
export function pipelineConfigFor(models: RecognizerModels): PipelineConfig {
  const { frontend, window } = models.word.metadata;
  if (models.strings) {
    const stated = models.strings.metadata.frontend;
    // Every setting the string model states must be the word model's.
    const wrong = configDifferences(frontend, stated, 'word model', 'string model');
    if (wrong.length > 0) throw new ModelLoadError(models.strings.source, `trained for other features than the word model (${wrong.join('; ')})`);
    if (models.strings.encoder !== models.word.encoder) {
      throw new ModelLoadError(
        models.strings.source,
        `reads encoder ${models.strings.encoder.fingerprint}, the word model ${models.word.encoder.fingerprint}: both heads must share one encoder`,
      );
    }
  }
  return { frontend: DEFAULT_FRONTEND_CONFIG, gate: DEFAULT_GATE_CONFIG, window, modelFrontend: frontend };
}

/**
 * Confidence (CTC posterior) a digit of the string model needs to count towards
 * {@link STRING_MIN_DIGITS}. Fixed, not the user's threshold, so that which model decides does
 * not depend on the threshold: the threshold then only filters what is reported, and an
 * evaluation at threshold 0 scores every threshold exactly.
 */
export const STRING_DIGIT_CONFIDENCE = 0.5;

/**
 * Digits (at {@link STRING_DIGIT_CONFIDENCE}) the string model must read in one run of speech
 * for the run to be read as a string — and more of them than words that are not digits (its
 * "other" token, any confidence): "my number is four one seven two" is a string, a sentence
 * where the model hears two digits among ten words is not. A run that is not is one word — or a
 * few words with pauses — and the word model, with its "other" class, decides: isolated digits
 * and the rejection of non-digit words stay as good as the word model's.
 */
export const STRING_MIN_DIGITS = 2;

/**
 * Confidence both digits of a run with only {@link STRING_MIN_DIGITS} sure digits need for the
 * run to be a string; three sure digits need no more than {@link STRING_DIGIT_CONFIDENCE}. Most
 * words the string model mistakes for digits become two unsure ones ("seventy", "water"). Chosen
 * on the training voices' clips, not on held-out ones (scripts of the issue-13 note): of runs read
 * as strings at 0.5, the pair rule at 0.8 / 0.9 / 0.95 keeps 527 / 523 / 519 of 532 in 431
 * training strings, 6 / 4 / 2 of 11 in 420 non-digit words, 0 of 4 in 820 single digits and 0 of
 * 2 in 304 sentences.
 */
export const STRING_PAIR_CONFIDENCE = 0.9;

/** Default confidence threshold of the CLI and the element. */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.5;

/**
 * Whether a run reads as a digit string: at least `minDigits` digits of confidence ≥
 * {@link STRING_DIGIT_CONFIDENCE}, more than the other words read in it, and both ≥
 * {@link STRING_PAIR_CONFIDENCE} when there are only {@link STRING_MIN_DIGITS}.
 */
function isString(run: OpenRun, ended: boolean): boolean {
  const sure = run.digits.filter((d) => d.confidence >= STRING_DIGIT_CONFIDENCE);
  if (!ended) return sure.length >= STRING_EARLY_DIGITS && run.others === 0;
  if (sure.length < STRING_MIN_DIGITS || sure.length < 2 * run.others) return false;
  return sure.length > STRING_MIN_DIGITS || sure.every((d) => d.confidence >= STRING_PAIR_CONFIDENCE);
}

/**
 * Words that are not digits (the string head's "other" tokens) that make a run running speech —
 * a sentence, not a word or a string — when they are also at least twice its sure digits:
 * nothing in it is reported (its windows are `rejected`). Read word by word, a sentence's words
 * are each a chance of a false digit ("to", "for", and near-misses the word head is unsure of),
 * and the string head itself hears a stray digit in one sentence in five. The price: a digit said
 * inside a sentence of three words or more ("my number is seven") is not reported; said alone,
 * with a word ("seven please") or as a string, it is.
 */
export const RUNNING_SPEECH_OTHERS = 3;

/** Whether an ended run is running speech ({@link RUNNING_SPEECH_OTHERS}). */
function isRunningSpeech(run: OpenRun): boolean {
  const sure = run.digits.filter((d) => d.confidence >= STRING_DIGIT_CONFIDENCE).length;
  return run.others >= RUNNING_SPEECH_OTHERS && run.others >= 2 * sure;
}

/**
 * Sure digits, and no other word yet, that make an open run a string before it ends: its digits
 * are then reported at once and every later one as soon as it is final. Fewer could still be
 * outnumbered by the words that follow — sentences where the string model hears three digits in
 * the first words exist among the training voices' sentences — so those runs wait for their end.
 */
export const STRING_EARLY_DIGITS = 4;

/** A run of speech being read: the string model's digits so far and the word windows cut in it. */
interface OpenRun {
  readonly digits: StringDigit[];
  /** Words the string model read as not digits ("other" tokens). */
  others: number;
  /** Stream frame where the run's last token (digit or other word) ended; the run's start before the first. */
  lastEnd: number;
  readonly windows: UtteranceWindow[];
  /** True once the string model read {@link STRING_MIN_DIGITS} sure digits: it decides this run. */
  asString: boolean;
}

/**
 * The streaming pipeline plus the models: audio chunks in, digits out. The CLI, the evaluation
 * and the browser worker all drive this class — one decision path.
 *
 * Every run of speech (gate segments that follow each other at once) is read by the string
 * reader as it is spoken. Once the string model has read {@link STRING_EARLY_DIGITS} digits of
 * confidence ≥ {@link STRING_DIGIT_CONFIDENCE} in the run and no other word, the run is a digit
 * string: those digits are reported at once, and every later digit as soon as it is final. A
 * run that ends with at least {@link STRING_MIN_DIGITS} such digits (both ≥
 * {@link STRING_PAIR_CONFIDENCE} when there are two), at least twice as many as its other words,
 * is a string too, reported when it ends. A run in which the string model heard
 * {@link RUNNING_SPEECH_OTHERS} other words or more, at least twice its sure digits, is running
 * speech, and reports nothing. Any other run is read word by word by the word model (`readWords`), as without a
 * string model.
 * Reported digits are those of confidence ≥ the threshold; the rest are `rejected`.
 */
export class StreamingRecognizer {
  readonly pipeline: StreamingPipeline;
  private readonly classifier: DigitClassifier;
  private threshold = DEFAULT_CONFIDENCE_THRESHOLD;
  private readonly reader: StringReader | null;
  private run: OpenRun | null = null;
  private detections: DigitDetection[] = [];
  private rejected: RejectedUtterance[] = [];
  private readonly frameMs: number;

  /**
   * The pipeline is built from the models' metadata ({@link pipelineConfigFor}).
   *
   * @param inputSampleRate rate of the pushed audio, Hz
   * @throws RangeError for an unusable sample rate or a threshold outside [0, 1]
   * @throws ModelLoadError if the string model was trained for another frontend than the word model
   */
  constructor(models: RecognizerModels, inputSampleRate: number, options: RecognizerOptions = {}) {
    this.classifier = models.word;
    this.confidenceThreshold = options.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
    const strings = models.strings;
    this.pipeline = new StreamingPipeline(
      inputSampleRate,
      pipelineConfigFor(models),
      undefined,
      strings
        ? {
            frame: (logMel, index, events, windows) => this.onFrame(this.reader!.push(logMel, index, events), windows),
            end: (_events, windows) => this.onFrame(this.reader!.end(), windows),
          }
        : undefined,
    );
    this.reader = strings ? new StringReader(strings, this.pipeline.silenceFrame, DEFAULT_STRING_READER_CONFIG) : null;
    this.frameMs = hopMs(this.pipeline.config.frontend);
  }

  /** Minimum confidence (0–1) of a reported digit; a change applies to the digits decided next. */
  get confidenceThreshold(): number {
    return this.threshold;
  }
  /** @throws RangeError for a threshold outside [0, 1] */
  set confidenceThreshold(threshold: number) {
    if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`confidence threshold must be in [0, 1], got ${threshold}`);
    this.threshold = threshold;
  }

  /** Feeds mono samples at the input rate; returns digits completed in this chunk. */
  push(samples: Float32Array): RecognizerStep {
    return this.collect(this.pipeline.push(samples));
  }

  /** Ends a finite stream and returns the last digits. */
  flush(): RecognizerStep {
    return this.collect(this.pipeline.flush());
  }

  private collect(step: PipelineStep): RecognizerStep {
    // Without a string model every window is read word by word as it is cut.
    if (!this.reader) this.readWordByWord(step.windows);
    const out = { ...step, detections: this.detections, rejected: this.rejected };
    this.detections = [];
    this.rejected = [];
    return out;
  }

  /** One frame's string-reader events and the word windows its gate events cut. */
  private onFrame(events: ReturnType<StringReader['push']>, windows: readonly UtteranceWindow[]): void {
    let left = windows;
    for (const event of events) {
      if (event.type === 'run-start') this.run = { digits: [], others: 0, lastEnd: event.startFrame, windows: [], asString: false };
      else if (event.type === 'digit') this.onStringDigit(event.digit);
      else if (event.type === 'other') {
        if (this.run) {
          this.run.others++;
          this.run.lastEnd = event.word.endFrame;
        }
      } else {
        // Windows cut in this frame belong to the run that ends in it.
        const run = this.run;
        this.run = null;
        if (!run) continue;
        run.windows.push(...left.filter((w) => w.segment.startFrame < event.endFrame));
        left = left.filter((w) => w.segment.startFrame >= event.endFrame);
        if (!run.asString && isString(run, true)) this.readAsString(run);
        else if (!run.asString && isRunningSpeech(run)) this.rejectRun(run);
        else if (!run.asString) this.readWordByWord(run.windows);
      }
    }
    if (left.length === 0) return;
    if (this.run) this.run.windows.push(...left);
    else this.readWordByWord(left);
  }

  /**
   * A digit of the string reader. CTC emits a word as a spike of one or two steps, mostly near the
   * word's end (FSDD digits glued 50 ms apart: the spike starts a median 295 ms after the word
   * does, and 8 of 74 spikes lie wholly after it), so the digit's span reported is from the end of
   * the run's token before it (or the run's start) to the end of its spike: the word is inside.
   */
  private onStringDigit(spike: StringDigit): void {
    const run = this.run;
    if (!run) return;
    const digit = { ...spike, startFrame: Math.min(spike.startFrame, run.lastEnd) };
    run.lastEnd = spike.endFrame;
    run.digits.push(digit);
    if (run.asString) return this.report(digit);
    if (isString(run, false)) this.readAsString(run);
  }

  private readAsString(run: OpenRun): void {
    run.asString = true;
    for (const d of run.digits) this.report(d);
  }

  private report(d: StringDigit): void {
    const startMs = d.startFrame * this.frameMs;
    const endMs = d.endFrame * this.frameMs;
    if (d.confidence < this.threshold) this.rejected.push({ label: DIGIT_LABELS[d.digit], confidence: d.confidence, startMs, endMs });
    else this.detections.push({ digit: d.digit, confidence: d.confidence, probabilities: d.posteriors, startMs, endMs, source: 'string' });
  }

  /** A run of running speech: each of its windows is rejected as "other", unread by the word head (confidence 0). */
  private rejectRun(run: OpenRun): void {
    for (const w of run.windows) this.rejected.push({ label: OTHER_LABEL, confidence: 0, startMs: w.startMs, endMs: w.endMs });
  }

  private readWordByWord(windows: readonly UtteranceWindow[]): void {
    for (const segment of windows) {
      for (const { window, prediction: p } of readWords(segment, (features) => this.classifier.predict(features))) {
        const digit = (DIGIT_LABELS as readonly string[]).indexOf(p.label);
        if (digit < 0 || p.confidence < this.threshold) {
          this.rejected.push({ label: p.label, confidence: p.confidence, startMs: window.startMs, endMs: window.endMs });
        } else {
          this.detections.push({ digit, confidence: p.confidence, probabilities: p.probabilities, startMs: window.startMs, endMs: window.endMs, source: 'word' });
        }
      }
    }
  }
}

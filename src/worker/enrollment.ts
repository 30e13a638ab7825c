/**
 * Enrollment in the recognizer worker: the same adaptation code as the CLI
 * (`adaptation/enroll.ts`), the model's anchors fetched beside it, and the person's held-back
 * takes read before and after so the page can say how much it helped.
 */
import { readAnchors } from '../adaptation/anchors';
import { adaptHead, type EnrollmentTake } from '../adaptation/enroll';
import type { HeadExample } from '../adaptation/head';
import { makeProfile } from '../adaptation/profile';
import type { DigitClassifier } from '../model/classifier';
import { type RecognizerModels, StreamingRecognizer } from '../pipeline/recognizer';
import type { HeldBackScore, MainToWorker, WorkerToMain } from './protocol';

/**
 * The anchors of the word model: at `location.url`, or (`'beside'`) `anchors.json` beside the
 * word model's URL. A folder without one enrolls without them.
 * @throws Error naming the URL if a file is there but unusable (another model's, malformed)
 */
export async function loadAnchors(location: { readonly url: string } | 'beside', wordUrl: string, classifier: DigitClassifier): Promise<HeadExample[]> {
  const url = location === 'beside' ? new URL('anchors.json', new URL(wordUrl, self.location.href)).href : location.url;
  let text: string;
  try {
    const response = await fetch(url);
    if (!response.ok) return [];
    text = await response.text();
  } catch {
    return []; // unreachable (offline and not cached): enroll without them
  }
  // A single-page-app fallback answers a missing file with its HTML page.
  if (text.trimStart().startsWith('<')) return [];
  return readAnchors(text, url, classifier);
}

/** Takes (of `heldBack`) the recognizer reads as exactly their digit. */
function readRight(models: RecognizerModels, takes: readonly EnrollmentTake[]): number {
  let right = 0;
  for (const take of takes) {
    const recognizer = new StreamingRecognizer(models, take.sampleRate);
    const found = [...recognizer.push(take.samples).detections, ...recognizer.flush().detections];
    if (found.length === 1 && found[0].digit === take.digit) right++;
  }
  return right;
}

/**
 * Runs one enrollment; the head in use is the same afterwards.
 * @throws RangeError for a digit outside 0–9 or takes without speech (see `adaptHead`)
 */
export function enroll(message: Extract<MainToWorker, { type: 'enroll' }>, models: RecognizerModels, anchors: readonly HeadExample[]): Extract<WorkerToMain, { type: 'enrolled' }> {
  const word = models.word;
  const started = performance.now();
  const adaptation = adaptHead(word, message.takes, { anchors });
  const adaptMs = performance.now() - started;
  const inUse = word.adaptedHead;
  let heldBack: HeldBackScore | null = null;
  if (message.heldBack.length > 0) {
    try {
      word.adaptedHead = null;
      const before = readRight(models, message.heldBack);
      word.adaptedHead = adaptation.head;
      const after = readRight(models, message.heldBack);
      heldBack = { takes: message.heldBack.length, before, after };
    } finally {
      word.adaptedHead = inUse;
    }
  }
  const perDigit = Array.from({ length: 10 }, (_, d) => message.takes.filter((t) => t.digit === d).length);
  return {
    type: 'enrolled',
    id: message.id,
    profile: makeProfile(word, adaptation.head, perDigit),
    heldBack,
    examples: adaptation.examples,
    anchors: anchors.length,
    adaptMs,
  };
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SetScore } from '../src/cli/score';

/** Everything the trainer reports about one exported model. */
export interface TrainingReport {
  readonly model: string;
  readonly createdAt: string;
  readonly seed: number;
  readonly dataset: { dir: string; train: number; validation: number; test: number; skipped: string[] };
  readonly epochs: { epoch: number; loss: number; trainAccuracy: number; validationAccuracy: number; seconds: number }[];
  readonly trainingSeconds: number;
  readonly parameters: number;
  readonly weightsBytes: { float32: number; uint8: number };
  /** The confidence threshold the sets were scored at (the product's default). */
  readonly confidenceThreshold: number;
  /**
   * The exported (uint8) model scored through the recognizer, as `digit-listener recognize` and
   * `npm run eval` score it: the FSDD official test first, then the held-out synthetic voices
   * and Speech Commands speakers when they were there.
   */
  readonly sets: SetScore[];
  /** Diagnostic only: the float model's argmax on the clean test windows, no threshold. */
  readonly windowTest: { float: number };
  readonly gate: { clipsWithoutSegment: number; clipsWithSeveralSegments: number };
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function confusionTable(confusion: number[][], labels: readonly string[]): string {
  const head = `| true \\ reported | ${labels
    .slice(0, 10)
    .map((_, i) => i)
    .join(' | ')} | none |`;
  const sep = `|---|${labels
    .slice(0, 10)
    .map(() => '---')
    .join('|')}|---|`;
  const rows = confusion.map((row, i) => `| **${i}** ${labels[i]} | ${row.join(' | ')} |`);
  return [head, sep, ...rows].join('\n');
}

/** Per digit: precision and recall of the reported digit, from a `[true 0–9][reported 0–9, none]` confusion. */
function perDigit(confusion: number[][], labels: readonly string[]): string {
  return confusion
    .map((row, d) => {
      const support = row.reduce((a, b) => a + b, 0);
      const reported = confusion.reduce((a, r) => a + r[d], 0);
      const precision = reported ? row[d] / reported : 0;
      const recall = support ? row[d] / support : 0;
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
      return `| ${d} ${labels[d]} | ${pct(precision)} | ${pct(recall)} | ${f1.toFixed(3)} | ${support} |`;
    })
    .join('\n');
}

const figureText = (s: SetScore) => (s.kind === 'digits' ? pct(s.accuracy ?? 0) : `false accepts ${pct(s.falseAcceptRate ?? 0)}`);

/** Renders the report as readable markdown. */
export function reportMarkdown(r: TrainingReport, labels: readonly string[]): string {
  const fsdd = r.sets[0];
  return `# Model report: ${r.model}

Created ${r.createdAt} by \`npm run train\` (seed ${r.seed}); data: ${r.dataset.dir}
(FSDD official split: ${r.dataset.train} train, ${r.dataset.validation} validation, ${r.dataset.test} test clips).
Features and windows come from the product's streaming pipeline (8 kHz → 16 kHz resampler, log-mel, VAD gate).

Scored as \`digit-listener recognize\` and \`npm run eval\` score it: each file streamed through the
pipeline and the uint8 model, a digit reported at confidence ≥ ${r.confidenceThreshold}; a digits file is right when exactly
one digit is reported and it is the right one, a non-digit file is a false accept when any digit is.

| set | files | result |
|---|---|---|
${r.sets.map((s) => `| ${s.name} | ${s.files} | ${figureText(s)} |`).join('\n')}

Weights: ${r.weightsBytes.uint8} bytes uint8 (${r.weightsBytes.float32} float32). Parameters: ${r.parameters}. Training time: ${r.trainingSeconds.toFixed(0)} s for ${r.epochs.length} epochs.
Diagnostic, not the product's figure: the float model's argmax on the clean FSDD test windows, no threshold: ${pct(r.windowTest.float)}.
Gate on clean test clips: ${r.gate.clipsWithoutSegment} without a segment, ${r.gate.clipsWithSeveralSegments} with several.
${r.dataset.skipped.length ? `\nSkipped files:\n${r.dataset.skipped.map((s) => `- ${s}`).join('\n')}\n` : ''}
## Per digit (${fsdd.name}, through the recognizer)

| digit | precision | recall | F1 | support |
|---|---|---|---|---|
${perDigit(fsdd.confusion ?? [], labels)}

## Confusion matrix (${fsdd.name}, through the recognizer; files with several digits are left out)

${confusionTable(fsdd.confusion ?? [], labels)}

## Training curve

| epoch | loss | train acc. | validation acc. | seconds |
|---|---|---|---|---|
${r.epochs.map((e) => `| ${e.epoch} | ${e.loss.toFixed(4)} | ${pct(e.trainAccuracy)} | ${pct(e.validationAccuracy)} | ${e.seconds.toFixed(1)} |`).join('\n')}
`;
}

/** Writes `report.json` and `report.md` into `dir`. */
export function writeReport(dir: string, report: TrainingReport, labels: readonly string[]): void {
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'report.md'), reportMarkdown(report, labels));
}

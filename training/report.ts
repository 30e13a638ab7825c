import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Evaluation } from './metrics';

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
  readonly test: { float: Evaluation; quantized: Evaluation };
  readonly gate: { clipsWithoutSegment: number; clipsWithSeveralSegments: number };
  /** Held-out espeak-ng voices (quantized model, digits reported at confidence ≥ 0.5), when trained with --synth. */
  readonly heldOutSynth?: {
    femaleAccuracy: number;
    maleAccuracy: number;
    otherFalseAcceptRate: number;
    counts: { female: number; male: number; other: number };
  };
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function confusionTable(e: Evaluation, labels: readonly string[]): string {
  const head = `| true \\ predicted | ${labels.map((_, i) => i).join(' | ')} | none |`;
  const sep = `|---|${labels.map(() => '---').join('|')}|---|`;
  const rows = e.confusion.map((row, i) => `| **${i}** ${labels[i]} | ${row.join(' | ')} |`);
  return [head, sep, ...rows].join('\n');
}

/** Renders the report as readable markdown. */
export function reportMarkdown(r: TrainingReport, labels: readonly string[]): string {
  const q = r.test.quantized;
  return `# Model report: ${r.model}

Created ${r.createdAt} by \`npm run train\` (seed ${r.seed}); data: ${r.dataset.dir}
(FSDD official split: ${r.dataset.train} train, ${r.dataset.validation} validation, ${r.dataset.test} test clips).
Features and windows come from the product's streaming pipeline (8 kHz → 16 kHz resampler, log-mel, VAD gate).

| | float32 | uint8-quantized |
|---|---|---|
| FSDD official test accuracy | ${pct(r.test.float.accuracy)} | ${pct(q.accuracy)} |
| weights, bytes | ${r.weightsBytes.float32} | ${r.weightsBytes.uint8} |

Parameters: ${r.parameters}. Training time: ${r.trainingSeconds.toFixed(0)} s for ${r.epochs.length} epochs.
${r.heldOutSynth ? `Held-out synthetic voices (uint8, digit reported at confidence ≥ 0.5): female ${pct(r.heldOutSynth.femaleAccuracy)} of ${r.heldOutSynth.counts.female}, male ${pct(r.heldOutSynth.maleAccuracy)} of ${r.heldOutSynth.counts.male}; false accepts on ${r.heldOutSynth.counts.other} non-digit words ${pct(r.heldOutSynth.otherFalseAcceptRate)}.\n` : ''}Gate on clean test clips: ${r.gate.clipsWithoutSegment} without a segment, ${r.gate.clipsWithSeveralSegments} with several.
${r.dataset.skipped.length ? `\nSkipped files:\n${r.dataset.skipped.map((s) => `- ${s}`).join('\n')}\n` : ''}
## Per digit (quantized model, test split)

| digit | precision | recall | F1 | support |
|---|---|---|---|---|
${q.perClass.map((c, i) => `| ${i} ${c.label} | ${pct(c.precision)} | ${pct(c.recall)} | ${c.f1.toFixed(3)} | ${c.support} |`).join('\n')}

## Confusion matrix (quantized model, test split)

${confusionTable(q, labels)}

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

/** The trainer's report on a head it exported: `report.json` and a readable `report.md`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SetScore } from '../../src/cli/score';
import type { HeadKind, HeadRecipe } from './recipe';

/** Everything the trainer reports about one exported head. */
export interface HeadReport {
  readonly head: HeadKind;
  /** The folder it was exported to. */
  readonly model: string;
  readonly createdAt: string;
  readonly recipe: HeadRecipe;
  /** Training examples per pool (each in `copies + 1` copies). */
  readonly examples: Readonly<Record<string, number>>;
  readonly validationExamples: number;
  /** Files that could not be decoded. */
  readonly skipped: readonly string[];
  /** Per epoch: mean loss, training accuracy (word head), the validation figure (word: accuracy; strings: CTC loss). */
  readonly epochs: readonly { epoch: number; loss: number; trainAccuracy: number | null; validation: number; learningRate: number; examples: number; seconds: number }[];
  /** Seconds spent computing embeddings (0 when all came from the cache) and training. */
  readonly embeddingSeconds: number;
  readonly trainingSeconds: number;
  readonly parameters: number;
  readonly weightsBytes: { float32: number; uint8: number };
  /** The confidence threshold the sets were scored at (the product's default). */
  readonly confidenceThreshold: number;
  /**
   * The exported head scored through the recognizer, as `digit-listener recognize` and `npm run
   * eval` score it (the word head alone; the string head with the word head beside it).
   */
  readonly sets: readonly SetScore[];
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

function figure(s: SetScore): string {
  switch (s.kind) {
    case 'digits':
      return pct(s.accuracy ?? 0);
    case 'non-digits':
      return `false accepts ${pct(s.falseAcceptRate ?? 0)}`;
    case 'running-speech':
      return `${(s.falseDigitsPer10Min ?? 0).toFixed(1)} false digits / 10 min`;
    case 'strings':
      return `exact ${pct(s.strings?.exactStringRate ?? 0)}, digit error rate ${pct(s.strings?.digitErrorRate ?? 0)}`;
  }
}

/** Renders the report as markdown. */
export function headReportMarkdown(r: HeadReport, labels: readonly string[]): string {
  const digits = r.sets.find((s) => s.kind === 'digits' && s.confusion);
  const confusion = digits?.confusion
    ? `\n## Confusion (${digits.name}, through the recognizer; files with several digits left out)\n\n| true \\ reported | ${labels
        .slice(0, 10)
        .map((_, i) => i)
        .join(' | ')} | none |\n|---|${labels
        .slice(0, 10)
        .map(() => '---')
        .join('|')}|---|\n${digits.confusion.map((row, i) => `| **${i}** ${labels[i]} | ${row.join(' | ')} |`).join('\n')}\n`
    : '';
  const validation = r.head === 'word' ? 'validation accuracy' : 'validation CTC loss';
  return `# ${r.head === 'word' ? 'Word' : 'String'} head: ${r.model}

Created ${r.createdAt} by \`npm run train -- --recipe ${r.model}/recipe.json\` (seed ${r.recipe.seed}) on the frozen speech encoder.
Examples: ${Object.entries(r.examples)
    .map(([pool, n]) => `${n} ${pool}`)
    .join(', ')}, each clean and in ${r.recipe.copies} augmented copies; ${r.validationExamples} validation examples.
${r.parameters} parameters, ${r.weightsBytes.uint8} bytes of uint8 weights. Embeddings ${r.embeddingSeconds.toFixed(0)} s (0: cached), training ${r.trainingSeconds.toFixed(0)} s.

${
  r.sets.length
    ? `Scored as \`digit-listener recognize\` and \`npm run eval\` score it, threshold ${r.confidenceThreshold}:

| set | files | result |
|---|---|---|
${r.sets.map((s) => `| ${s.name} | ${s.files} | ${figure(s)} |`).join('\n')}
`
    : 'Not scored through the recognizer (--no-report).\n'
}${confusion}
## Training curve

| epoch | loss | train acc. | ${validation} | learning rate | examples | seconds |
|---|---|---|---|---|---|---|
${r.epochs
  .map(
    (e) =>
      `| ${e.epoch} | ${e.loss.toFixed(4)} | ${e.trainAccuracy === null ? '—' : pct(e.trainAccuracy)} | ${r.head === 'word' ? pct(e.validation) : e.validation.toFixed(3)} | ${e.learningRate.toExponential(1)} | ${e.examples} | ${e.seconds.toFixed(1)} |`,
  )
  .join('\n')}
${r.skipped.length ? `\nSkipped files:\n${r.skipped.map((s) => `- ${s}`).join('\n')}\n` : ''}`;
}

/** Writes `report.json` and `report.md` into `dir`. */
export function writeHeadReport(dir: string, report: HeadReport, labels: readonly string[]): void {
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'report.md'), headReportMarkdown(report, labels));
}

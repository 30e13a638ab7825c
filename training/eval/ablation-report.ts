import { figure, figureName, figurePoints, formatFigure, type SetScore } from '../../src/cli/score';

/** What `npm run ablation` measured. */
export interface AblationReport {
  readonly epochs: number;
  /** Trainer flags every ablation model shares (e.g. --no-synth). */
  readonly baseFlags: string[];
  /** Confidence threshold the models were scored at (0: argmax). */
  readonly confidenceThreshold: number;
  /** The FSDD speaker every ablation model was trained without. */
  readonly speaker: string;
  readonly createdAt: string;
  readonly variants: { name: string; without: string; flags: string[]; scores: SetScore[] }[];
}

/**
 * The ablation table: per set, the full recipe's figure, then per variant what removing that
 * augmentation changes it by (points; false digits per 10 minutes for running speech). For
 * digit sets and exact strings a negative change means the augmentation helps; for false
 * accepts and false digits a positive change means it helps.
 */
export function ablationRows(r: AblationReport): { header: string[]; rows: string[][] } {
  const full = r.variants.find((v) => v.name === 'full');
  if (!full) return { header: [], rows: [] };
  const others = r.variants.filter((v) => v !== full);
  const header = ['set', 'full recipe', ...others.map((v) => `without ${v.name.replace(/^no-/, '')}`)];
  const rows = full.scores.map((s, i) => [
    figureName(s.kind) ? `${s.name} (${figureName(s.kind)})` : s.name,
    formatFigure(s.kind, figure(s)),
    ...others.map((v) => {
      const d = figurePoints(s.kind, figure(v.scores[i]) - figure(s));
      return `${d > 0 ? '+' : ''}${d.toFixed(1)}`;
    }),
  ]);
  return { header, rows };
}

/** ablation.md */
export function ablationMarkdown(r: AblationReport): string {
  const { header, rows } = ablationRows(r);
  const variants = r.variants.map((v) => `- **${v.name}**: without ${v.without}${v.flags.length ? ` (\`${v.flags.join(' ')}\`)` : ''}`).join('\n');
  return `# Ablation: what each augmentation adds

${r.createdAt}, \`npm run ablation\`. Every model: the shipped recipe (FSDD + synthetic voices + Speech Commands${r.baseFlags.length ? `, \`${r.baseFlags.join(' ')}\`` : ''}) with one augmentation or data source
switched off, trained without FSDD speaker **${r.speaker}** for only ${r.epochs} epochs (the shipped model: 24) so that the
trainings fit in an hour: the figures are those of young models, below the shipped model's, and differences of a few
points are within the run-to-run noise of such short trainings. Scored through the CLI's streaming path on the
evaluation suite (FSDD sets without ${r.speaker}) and on all of ${r.speaker}'s clips, a real voice none of them heard,
at confidence threshold ${r.confidenceThreshold}${r.confidenceThreshold === 0 ? ' (the argmax: young models are under-confident, a threshold would measure their confidence)' : ''}.

Cells: the full recipe's figure, then the change in points when that augmentation is removed. For accuracy a
negative change means the augmentation helps; for false accepts a positive change means it helps.

| ${header.join(' | ')} |
|${header.map(() => '---').join('|')}|
${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}

Variants:
${variants}
`;
}

import { figure, figureName, figurePoints, formatFigure, type SetScore } from '../../src/cli/score';

/** What `npm run ablation` measured. */
export interface AblationReport {
  /** The recipe every variant starts from (the shipped word head's). */
  readonly recipe: string;
  readonly epochs: number;
  /** Confidence threshold the heads were scored at. */
  readonly confidenceThreshold: number;
  readonly createdAt: string;
  readonly variants: { name: string; without: string; flags: string[]; scores: SetScore[] }[];
}

/**
 * The ablation table: per set, the full recipe's figure, then per variant what removing that
 * data or augmentation changes it by (points; false digits per 10 minutes for running speech). For
 * digit sets and exact strings a negative change means the augmentation helps; for false
 * accepts and false digits a positive change means it helps.
 */
export function ablationRows(r: AblationReport): { header: string[]; rows: string[][] } {
  const full = r.variants.find((v) => v.name === 'full');
  if (!full) return { header: [], rows: [] };
  const others = r.variants.filter((v) => v !== full);
  const header = ['set', 'full recipe', ...others.map((v) => v.name)];
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
  return `# Ablation: what the data and the augmentation add

${r.createdAt}, \`npm run ablation\`. Every word head: the shipped recipe (\`${r.recipe}\`, ${r.epochs} epochs) with its
real speech, its synthetic voices or its augmented copies left out, trained on the same cached embeddings of the frozen
encoder. Scored through the CLI's streaming path, word by word (no string head), on the evaluation suite at confidence
threshold ${r.confidenceThreshold}; FSDD speakers are in training (the leave-one-speaker-out figures are in report.md).

Cells: the full recipe's figure, then the change in points for each variant. For accuracy a negative change means what
was left out helps; for false accepts a positive change means it helps.

| ${header.join(' | ')} |
|${header.map(() => '---').join('|')}|
${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}

Variants:
${variants}
`;
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AblationReport, ablationRows } from './ablation-report';
import { figureName, formatFigure, type SetScore } from '../../src/cli/score';
import type { EvalSet } from './sets';

/** Everything `npm run eval` measured. */
export interface EvalReport {
  readonly model: string;
  readonly createdAt: string;
  readonly confidenceThreshold: number;
  readonly sets: SetScore[];
  /** Leave-one-speaker-out accuracy per FSDD speaker (fold models), when run with --loso. */
  readonly loso?: { speaker: string; accuracy: number; files: number; byThreshold?: number[] }[];
  /**
   * The threshold trade-off: per set, its figure (accuracy; false-accept rate for non-digit
   * sets; false digits per 10 minutes for running speech; exact-string rate for digit strings)
   * at each confidence threshold.
   */
  readonly thresholds?: { thresholds: number[]; sets: { name: string; kind: EvalSet['kind']; values: number[] }[] };
  /** `npm run ablation`'s results, when ablation.json is in the report folder. */
  readonly ablation?: AblationReport;
  /** Training time of the model, seconds (from its report.json). */
  readonly trainingSeconds?: number;
  /** The model's training curve, from its report.json. */
  readonly training?: { epoch: number; loss: number; validation: number }[];
  readonly seconds: number;
}

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(100 * x).toFixed(2)} %`);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Confusion matrix as an SVG heat map. */
function confusionSvg(confusion: number[][]): string {
  const cell = 26;
  const labels = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '–'];
  const max = Math.max(1, ...confusion.flat());
  let body = '';
  confusion.forEach((row, t) =>
    row.forEach((v, p) => {
      const shade = v === 0 ? 1 : 0.85 - 0.75 * (v / max);
      const fill = t === p ? `hsl(215 70% ${shade * 100}%)` : `hsl(5 70% ${shade * 100}%)`;
      body += `<rect x="${30 + p * cell}" y="${20 + t * cell}" width="${cell - 1}" height="${cell - 1}" fill="${v ? fill : '#f4f4f4'}"/>`;
      if (v) body += `<text x="${30 + p * cell + cell / 2}" y="${20 + t * cell + 17}" text-anchor="middle" font-size="11" fill="${shade < 0.5 ? '#fff' : '#111'}">${v}</text>`;
    }),
  );
  const axes =
    labels.map((l, p) => `<text x="${30 + p * cell + cell / 2}" y="14" text-anchor="middle" font-size="11">${l}</text>`).join('') +
    labels
      .slice(0, 10)
      .map((l, t) => `<text x="20" y="${20 + t * cell + 17}" text-anchor="end" font-size="11">${l}</text>`)
      .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${40 + 11 * cell}" height="${30 + 10 * cell}" role="img" aria-label="confusion matrix: rows true digit, columns predicted (– none)">${axes}${body}</svg>`;
}

/** A simple line chart (x numeric, one or more series in [0, 1] or any range). */
function lineSvg(title: string, xs: number[], series: { name: string; ys: number[]; colour: string }[], yMin: number, yMax: number, xLabel: string): string {
  const w = 420;
  const h = 220;
  const left = 44;
  const bottom = 30;
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const X = (x: number) => left + ((x - xMin) / (xMax - xMin || 1)) * (w - left - 10);
  const Y = (y: number) => h - bottom - ((y - yMin) / (yMax - yMin || 1)) * (h - bottom - 20);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => yMin + f * (yMax - yMin))
    .map(
      (y) =>
        `<line x1="${left}" x2="${w - 10}" y1="${Y(y)}" y2="${Y(y)}" stroke="#ddd"/><text x="${left - 4}" y="${Y(y) + 4}" text-anchor="end" font-size="10">${Math.abs(yMax) <= 1 ? `${Math.round(y * 100)}%` : y.toFixed(2)}</text>`,
    )
    .join('');
  const every = Math.ceil(xs.length / 10);
  const xTicks = xs
    .filter((_, i) => i % every === 0 || i === xs.length - 1)
    .map((x) => `<text x="${X(x)}" y="${h - bottom + 14}" text-anchor="middle" font-size="10">${x}</text>`)
    .join('');
  const lines = series
    .map((s, k) => {
      const points = s.ys.map((y, i) => `${X(xs[i])},${Y(y)}`).join(' ');
      return `<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${points}"/>${s.ys.map((y, i) => `<circle cx="${X(xs[i])}" cy="${Y(y)}" r="2.5" fill="${s.colour}"/>`).join('')}<text x="${left + 8}" y="${14 + 12 * k}" font-size="11" fill="${s.colour}">${esc(s.name)}</text>`;
    })
    .join('');
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">${grid}${xTicks}${lines}<text x="${w / 2}" y="${h - 2}" text-anchor="middle" font-size="11">${esc(xLabel)}</text></svg><figcaption>${esc(title)}</figcaption></figure>`;
}

/**
 * The operating curve of the confidence threshold: digit accuracy (y) against false accepts (x),
 * one point per threshold, labelled with it.
 */
function tradeoffSvg(title: string, thresholds: number[], accuracy: number[], falseAccepts: number[], xLabel: string, xIsRate: boolean): string {
  const w = 440;
  const h = 260;
  const left = 48;
  const bottom = 34;
  const xMax = Math.max(...falseAccepts, xIsRate ? 0.05 : 1) * 1.1;
  const yMin = Math.max(0, Math.floor(Math.min(...accuracy) * 10) / 10 - 0.1);
  const X = (x: number) => left + (x / xMax) * (w - left - 16);
  const Y = (y: number) => h - bottom - ((y - yMin) / (1 - yMin)) * (h - bottom - 14);
  const yGrid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => yMin + f * (1 - yMin))
    .map(
      (y) =>
        `<line x1="${left}" x2="${w - 16}" y1="${Y(y)}" y2="${Y(y)}" stroke="#ddd"/><text x="${left - 4}" y="${Y(y) + 4}" text-anchor="end" font-size="10">${Math.round(y * 100)}%</text>`,
    )
    .join('');
  const xGrid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => f * xMax)
    .map((x) => `<text x="${X(x)}" y="${h - bottom + 14}" text-anchor="middle" font-size="10">${xIsRate ? `${(x * 100).toFixed(1)}%` : x.toFixed(1)}</text>`)
    .join('');
  const points = thresholds.map((_, i) => `${X(falseAccepts[i])},${Y(accuracy[i])}`).join(' ');
  const marks = thresholds
    .map(
      (t, i) =>
        `<circle cx="${X(falseAccepts[i])}" cy="${Y(accuracy[i])}" r="3" fill="#0b57d0"/><text x="${X(falseAccepts[i]) + 5}" y="${Y(accuracy[i]) - 5}" font-size="10">${t}</text>`,
    )
    .join('');
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">${yGrid}${xGrid}<polyline fill="none" stroke="#0b57d0" stroke-width="2" points="${points}"/>${marks}<text x="${w / 2}" y="${h - 2}" text-anchor="middle" font-size="11">${esc(xLabel)}</text></svg><figcaption>${esc(title)}</figcaption></figure>`;
}

/** The summary rows of one set: one, plus one per length bucket for digit strings. */
function setRows(s: SetScore): string[][] {
  switch (s.kind) {
    case 'digits':
      return [[s.name, String(s.files), pct(s.accuracy)]];
    case 'non-digits':
      return [[s.name, String(s.files), `false accepts ${pct(s.falseAcceptRate)}`]];
    case 'running-speech':
      return [
        [
          s.name,
          String(s.files),
          `${(s.falseDigitsPer10Min ?? 0).toFixed(1)} false digits / 10 min (${((s.audioSeconds ?? 0) / 60).toFixed(1)} min of audio); ${pct(s.falseAcceptRate)} of sentences with a digit`,
        ],
      ];
    case 'strings': {
      const rates = (x: { exactStringRate: number; digitErrorRate: number }) => `exact ${pct(x.exactStringRate)}, digit error rate ${pct(x.digitErrorRate)}`;
      return [[s.name, String(s.files), s.strings ? rates(s.strings) : '–'], ...(s.stringsByLength ?? []).map((b) => [`  ${b.lengths} digits`, String(b.files), rates(b)])];
    }
  }
}

function summaryRows(r: EvalReport): string[][] {
  const rows = r.sets.flatMap(setRows);
  if (r.loso) {
    const mean = r.loso.reduce((a, b) => a + b.accuracy, 0) / r.loso.length;
    rows.push(['leave-one-speaker-out, mean of 6 folds', String(r.loso.reduce((a, b) => a + b.files, 0)), pct(mean)]);
    for (const f of r.loso) rows.push([`  fold without ${f.speaker} (tested on him)`, String(f.files), pct(f.accuracy)]);
  }
  return rows;
}

/** Writes `report.md`, `report.html` (pictures as inline SVG) and `report.json` into `dir`. */
export function writeEvalReport(dir: string, r: EvalReport): void {
  const rows = summaryRows(r);
  const ablation = r.ablation ? ablationRows(r.ablation) : undefined;
  const sweep = r.thresholds
    ? {
        header: ['set', ...r.thresholds.thresholds.map((t) => `≥ ${t}`)],
        rows: r.thresholds.sets.map((s) => [figureName(s.kind) ? `${s.name} (${figureName(s.kind)})` : s.name, ...s.values.map((v) => formatFigure(s.kind, v))]),
      }
    : undefined;
  const table = (t: { header: string[]; rows: string[][] }) =>
    `| ${t.header.join(' | ')} |\n|${t.header.map(() => '---').join('|')}|\n${t.rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\n`;
  const htmlTable = (t: { header: string[]; rows: string[][] }) =>
    `<table><tr>${t.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${t.rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;
  const md = `# Evaluation: ${r.model}

${r.createdAt}, \`npm run eval\`, through the CLI's streaming path (frontend, gate, model); a digits file counts as
correct when exactly one digit is reported and it is the right one (confidence threshold ${r.confidenceThreshold}).
A non-digit file is a false accept when any digit is reported. In sentences without digits every reported digit is
false (counted per 10 minutes of audio); a digit string is exact when the digits reported, in order, are the string, and its
digit error rate is the edit distance (substitutions, insertions, deletions) over the string's length, summed over strings.
${r.seconds.toFixed(0)} s.

| set | files | result |
|---|---|---|
${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}

${r.trainingSeconds ? `Training time of this model: ${(r.trainingSeconds / 60).toFixed(1)} min.\n\n` : ''}Pictures (confusion matrices, accuracy vs SNR, training curve): [report.html](report.html).
${sweep ? `\n## Confidence threshold trade-off\n\nThe same detections scored at other thresholds (the element's \`confidence-threshold\`, the CLI's \`--threshold\`).\n\n${table(sweep)}` : ''}${ablation ? `\n## Ablation (word heads of the shipped recipe without real speech, synthetic voices or augmentation; details in [ablation.md](ablation.md))\n\nChange in points for each variant (accuracy: negative = what was left out helps; false accepts: positive = it helps).\n\n${table(ablation)}` : ''}`;
  const noise = r.sets.filter((s) => s.snrDb !== undefined).sort((a, b) => (a.snrDb ?? 0) - (b.snrDb ?? 0));
  const clean = r.sets.find((s) => s.name.startsWith('FSDD official test'));
  const snrChart =
    noise.length > 0
      ? lineSvg(
          'Accuracy vs SNR (office noise, unseen in training)',
          [...noise.map((s) => s.snrDb!), ...(clean ? [40] : [])],
          [{ name: 'FSDD test (40 = clean)', colour: '#0b57d0', ys: [...noise.map((s) => s.accuracy!), ...(clean ? [clean.accuracy!] : [])] }],
          0,
          1,
          'SNR, dB',
        )
      : '';
  const curve = r.training?.length
    ? lineSvg(
        'Training curve',
        r.training.map((e) => e.epoch),
        [{ name: 'validation accuracy', colour: '#0b57d0', ys: r.training.map((e) => e.validation) }],
        0,
        1,
        'epoch',
      ) +
      lineSvg(
        'Training loss',
        r.training.map((e) => e.epoch),
        [{ name: 'loss', colour: '#b3261e', ys: r.training.map((e) => e.loss) }],
        0,
        Math.max(...r.training.map((e) => e.loss)),
        'epoch',
      )
    : '';
  // The operating curves: real held-out digits against real held-out words and against read sentences.
  const series = (name: string) => r.thresholds?.sets.find((x) => x.name === name)?.values;
  const realDigits = series('Speech Commands digits, held-out speakers');
  const realWords = series('Speech Commands non-digit words, held-out speakers');
  const sentences = r.thresholds?.sets.find((x) => x.kind === 'running-speech')?.values;
  const tradeoff =
    r.thresholds && realDigits && realWords
      ? tradeoffSvg(
          'Real held-out speakers: digit accuracy vs false accepts on their non-digit words, per confidence threshold',
          r.thresholds.thresholds,
          realDigits,
          realWords,
          'false accepts (Speech Commands non-digit words)',
          true,
        ) +
        (sentences
          ? tradeoffSvg(
              'Digit accuracy (real held-out speakers) vs false digits in sentences read by held-out voices, per threshold',
              r.thresholds.thresholds,
              realDigits,
              sentences,
              'false digits per 10 min of sentences',
              false,
            )
          : '')
      : '';
  const matrices = r.sets
    .filter((s) => s.confusion)
    .map((s) => `<figure>${confusionSvg(s.confusion!)}<figcaption>${esc(s.name)}: ${pct(s.accuracy)}</figcaption></figure>`)
    .join('');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Evaluation: ${esc(r.model)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1f1f1f}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}figure{display:inline-block;margin:1rem}figcaption{font-size:.9rem}</style></head>
<body><h1>Evaluation: ${esc(r.model)}</h1><p>${esc(r.createdAt)} — through the CLI's streaming path; correct = exactly one digit, the right one (threshold ${r.confidenceThreshold}).</p>
<table><tr><th>set</th><th>files</th><th>result</th></tr>${rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>
${sweep ? `<h2>Confidence threshold trade-off</h2>${tradeoff}${htmlTable(sweep)}` : ''}${ablation ? `<h2>Ablation</h2><p>Word heads of the shipped recipe without real speech, synthetic voices or augmentation; change in points for each variant (accuracy: negative = what was left out helps; false accepts: positive = it helps).</p>${htmlTable(ablation)}` : ''}
<h2>Accuracy vs SNR</h2>${snrChart}<h2>Training</h2>${curve}<h2>Confusion matrices</h2><p>Rows: true digit; columns: reported digit, – none.</p>${matrices}</body></html>
`;
  writeFileSync(join(dir, 'report.md'), md);
  writeFileSync(join(dir, 'report.html'), html);
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(r, null, 1)}\n`);
}

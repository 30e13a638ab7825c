/** Per-class precision, recall and F1, from a confusion matrix. */
export interface ClassMetrics {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** Accuracy, confusion matrix (`[true][predicted]`) and per-class metrics of a classification run. */
export interface Evaluation {
  readonly accuracy: number;
  readonly count: number;
  readonly confusion: number[][];
  readonly perClass: ClassMetrics[];
}

/**
 * Scores predictions against labels.
 *
 * @param truth true class per item; `predicted` the predicted class (or -1 for "nothing found")
 */
export function evaluate(truth: number[], predicted: number[], labels: readonly string[]): Evaluation {
  const n = labels.length;
  const confusion = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  let correct = 0;
  truth.forEach((t, i) => {
    const p = predicted[i];
    confusion[t][p < 0 ? n : p]++;
    if (p === t) correct++;
  });
  const perClass = labels.map((label, c) => {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predictedC = confusion.reduce((a, row) => a + row[c], 0);
    const precision = predictedC ? tp / predictedC : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  return { accuracy: truth.length ? correct / truth.length : 0, count: truth.length, confusion, perClass };
}

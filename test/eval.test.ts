import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../src/audio/wav';
import type { DigitDetection } from '../src/pipeline/recognizer';
import { writeEvalReport } from '../training/eval/report';
import { scoreSet } from '../training/eval/score';
import { labelledFolder, noisySet, nonSpeechSet } from '../training/eval/sets';
import { atThreshold, detectSet, fsddTestSet, speakerSet } from '../training/eval/suite';
import '@tensorflow/tfjs-backend-wasm';
import { recognizeFile } from '../src/cli/recognize-file';
import { DEFAULT_MODEL_DIR } from '../src/cli/paths';
import { initWasmBackend } from '../src/model/backend';
import { DigitClassifier } from '../src/model/classifier';
import { fileSystemModel } from '../src/model/node-io';
import type { AblationReport } from '../training/eval/ablation-report';
import { rms } from '../training/noise';
import { FSDD_DIR } from './helpers/fsdd';

const dir = mkdtempSync(join(tmpdir(), 'digit-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hit = (digit: number): DigitDetection => ({ digit, confidence: 0.9, probabilities: [], startMs: 0, endMs: 100 });

describe('evaluation suite', () => {
  const test = labelledFolder('FSDD official test', FSDD_DIR, (n) => /_[0-4]\.wav$/.test(n));

  it('finds the 300 FSDD test clips, labelled by name', () => {
    expect(test.files).toHaveLength(300);
    expect(test.files.every((f) => f.path.split('/').pop()![0] === String(f.digit))).toBe(true);
  });

  it('mixes unseen office noise at the stated SNR around each clip', () => {
    const few = { ...test, files: test.files.slice(0, 3) };
    const noisy = noisySet(few, 10, dir);
    for (const [i, f] of noisy.files.entries()) {
      const mixed = decodeWav(new Uint8Array(readFileSync(f.path)), f.path).samples;
      const clean = decodeWav(new Uint8Array(readFileSync(few.files[i].path)), few.files[i].path).samples;
      // 0.5 s of noise alone before the clip: its level is 10 dB under the clip's.
      const noiseOnly = mixed.subarray(0, 4000);
      expect(20 * Math.log10(rms(clean) / rms(noiseOnly))).toBeCloseTo(10, 0);
      expect(mixed.length).toBe(clean.length + 8000);
    }
  });

  it('scores digits (exactly one, the right one) and false accepts', () => {
    const set = { name: 's', kind: 'digits' as const, files: [0, 1, 2, 3].map((d) => ({ path: `${d}.wav`, digit: d })) };
    const score = scoreSet(set, [[hit(0)], [hit(7)], [], [hit(3), hit(3)]]);
    expect(score).toMatchObject({ accuracy: 0.25, noDigit: 1, severalDigits: 1 });
    expect(score.confusion![1][7]).toBe(1);
    expect(score.confusion![2][10]).toBe(1);
    const other = nonSpeechSet(dir, 8);
    expect(other.files).toHaveLength(8);
    expect(scoreSet(other, [[hit(1)], [], [], null, [], [], [], []])).toMatchObject({ falseAcceptRate: 1 / 8, unreadable: 1 });
  });

  it('scoring detections at a threshold afterwards gives what a run at that threshold reports', async () => {
    await initWasmBackend();
    const classifier = await DigitClassifier.load(fileSystemModel(DEFAULT_MODEL_DIR), DEFAULT_MODEL_DIR);
    const few = { ...test, files: [...test.files.slice(0, 12), ...noisySet({ ...test, files: test.files.slice(0, 12) }, 0, dir).files] };
    const all = await detectSet(few, classifier);
    for (const threshold of [0.5, 0.9, 0.99]) {
      const direct = await Promise.all(few.files.map((f) => recognizeFile(f.path, classifier, { confidenceThreshold: threshold })));
      expect(atThreshold(all, threshold)).toEqual(direct);
    }
    // The sweep is not trivial: some utterance falls between the thresholds.
    expect(atThreshold(all, 0.99).flat().length).toBeLessThan(atThreshold(all, 0).flat().length);
    classifier.dispose();
  }, 60_000);

  it('leaves one speaker out of the FSDD sets for a model trained without him', () => {
    const set = fsddTestSet(FSDD_DIR, 'nicolas');
    expect(set.files).toHaveLength(250);
    expect(set.files.some((f) => f.path.includes('_nicolas_'))).toBe(false);
    expect(speakerSet(FSDD_DIR, 'nicolas', 'n').files).toHaveLength(500);
  });

  it('writes markdown and an HTML page with its pictures, and the ablation table', () => {
    const set = { name: 'FSDD official test', kind: 'digits' as const, files: [0, 1].map((d) => ({ path: `${d}.wav`, digit: d })) };
    const words = { name: 'words', kind: 'non-digits' as const, files: [{ path: 'x.wav', digit: -1 }, { path: 'y.wav', digit: -1 }] };
    const variant = (name: string, digits: DigitDetection[][], accepted: DigitDetection[][]) => ({ name, without: name, flags: [], scores: [scoreSet(set, digits), scoreSet(words, accepted)] });
    const ablation: AblationReport = {
      epochs: 2,
      baseFlags: [],
      confidenceThreshold: 0,
      speaker: 'nicolas',
      createdAt: 'now',
      variants: [variant('full', [[hit(0)], [hit(1)]], [[], []]), variant('no-speed', [[hit(0)], []], [[hit(1)], []])],
    };
    writeFileSync(join(dir, 'ablation.json'), JSON.stringify(ablation));
    const score = scoreSet({ ...test, files: test.files.slice(0, 2) }, [[hit(test.files[0].digit)], []]);
    writeEvalReport(dir, { model: 'm', createdAt: 'now', confidenceThreshold: 0.5, ablation, sets: [score, { ...score, name: 'noise 10', snrDb: 10 }], training: [{ epoch: 1, loss: 1, validationAccuracy: 0.5 }, { epoch: 2, loss: 0.5, validationAccuracy: 0.8 }], seconds: 1 });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)!.length).toBeGreaterThanOrEqual(4); // SNR curve, 2 training curves, confusion matrices
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/\| FSDD official test \| 2 \| 50\.00 % \|/);
    // Without speed: accuracy 100 % → 50 % (−50 points), false accepts 0 % → 50 % (+50).
    expect(md).toMatch(/\| FSDD official test \| 100\.0 % \| -50\.0 \|/);
    expect(md).toMatch(/\| words \(false accepts\) \| 0\.0 % \| \+50\.0 \|/);
    expect(html).toContain('<h2>Ablation</h2>');
  });
});

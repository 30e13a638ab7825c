import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../src/audio/wav';
import type { DigitDetection } from '../src/pipeline/recognizer';
import { writeEvalReport } from '../training/eval/report';
import { editDistance, figure, reportedString, scoreSet } from '../src/cli/score';
import { type EvalSet, labelledFolder, noisySet, nonSpeechSet, synthSets, synthSpeechSets } from '../training/eval/sets';
import { atThreshold, detectSet, formatScore, fsddTestSet, speakerSet } from '../training/eval/suite';
import { encodeWav16 } from '../src/audio/wav';
import { planStrings, synthesize, type SynthEntry } from '../training/synth/generate';
import '@tensorflow/tfjs-backend-wasm';
import { recognizeFile } from '../src/cli/recognize-file';
import { DEFAULT_MODEL_DIR } from '../src/cli/paths';
import { initWasmBackend } from '../src/model/backend';
import { loadModels } from '../src/cli/models';
import type { AblationReport } from '../training/eval/ablation-report';
import { rms } from '../src/audio/noise';
import { FSDD_DIR } from './helpers/fsdd';
import {
  GLUED_LEVEL_RMS,
  type GluedStringPlan,
  gluedFsddSet,
  gluedSpeechCommandsSet,
  gluedWordSamples,
  planGluedFsddStrings,
  planGluedSpeechCommandsStrings,
} from '../training/eval/glued-strings';
import { listSpeechCommands } from '../training/speech-commands';
import { wordSpan } from '../training/word-span';

const SC_DIR = resolve(import.meta.dirname, '../../shared/datasets/speech-commands');

const dir = mkdtempSync(join(tmpdir(), 'digit-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hit = (digit: number, startMs = 0, confidence = 0.9): DigitDetection => ({ digit, confidence, probabilities: [], startMs, endMs: startMs + 100, source: 'word' });
/** Detections of the digits of a string, 400 ms apart, in time order. */
const said = (digits: string, confidence = 0.9): DigitDetection[] => [...digits].map((d, i) => hit(Number(d), 400 * i, confidence));

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
    const models = await loadModels(DEFAULT_MODEL_DIR);
    const few = { ...test, files: [...test.files.slice(0, 12), ...noisySet({ ...test, files: test.files.slice(0, 12) }, 0, dir).files] };
    const all = await detectSet(few, models);
    for (const threshold of [0.5, 0.9, 0.99]) {
      const direct = await Promise.all(few.files.map((f) => recognizeFile(f.path, models, { confidenceThreshold: threshold })));
      expect(atThreshold(all, threshold)).toEqual(direct);
    }
    // The sweep is not trivial: some utterance falls between the thresholds.
    expect(atThreshold(all, 0.99).flat().length).toBeLessThan(atThreshold(all, 0).flat().length);
    models.word.dispose();
    models.strings?.dispose();
  }, 60_000);

  it('leaves one speaker out of the FSDD sets for a model trained without him', () => {
    const set = fsddTestSet(FSDD_DIR, 'nicolas');
    expect(set.files).toHaveLength(250);
    expect(set.files.some((f) => f.path.includes('_nicolas_'))).toBe(false);
    expect(speakerSet(FSDD_DIR, 'nicolas', 'n').files).toHaveLength(500);
  });

  it('writes markdown and an HTML page with its pictures, and the ablation table', () => {
    const set = { name: 'FSDD official test', kind: 'digits' as const, files: [0, 1].map((d) => ({ path: `${d}.wav`, digit: d })) };
    const words = {
      name: 'words',
      kind: 'non-digits' as const,
      files: [
        { path: 'x.wav', digit: -1 },
        { path: 'y.wav', digit: -1 },
      ],
    };
    const variant = (name: string, digits: DigitDetection[][], accepted: DigitDetection[][]) => ({
      name,
      without: name,
      flags: [],
      scores: [scoreSet(set, digits), scoreSet(words, accepted)],
    });
    const ablation: AblationReport = {
      recipe: 'models/default/recipe.json',
      epochs: 2,
      confidenceThreshold: 0.5,
      createdAt: 'now',
      variants: [variant('full', [[hit(0)], [hit(1)]], [[], []]), variant('synthetic-only', [[hit(0)], []], [[hit(1)], []])],
    };
    writeFileSync(join(dir, 'ablation.json'), JSON.stringify(ablation));
    const score = scoreSet({ ...test, files: test.files.slice(0, 2) }, [[hit(test.files[0].digit)], []]);
    writeEvalReport(dir, {
      model: 'm',
      createdAt: 'now',
      confidenceThreshold: 0.5,
      ablation,
      sets: [score, { ...score, name: 'noise 10', snrDb: 10 }],
      training: [
        { epoch: 1, loss: 1, validation: 0.5 },
        { epoch: 2, loss: 0.5, validation: 0.8 },
      ],
      seconds: 1,
    });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)!.length).toBeGreaterThanOrEqual(4); // SNR curve, 2 training curves, confusion matrices
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/\| FSDD official test \| 2 \| 50\.00 % \|/);
    // Synthetic only: accuracy 100 % → 50 % (−50 points), false accepts 0 % → 50 % (+50).
    expect(md).toMatch(/\| FSDD official test \| 100\.0 % \| -50\.0 \|/);
    expect(md).toMatch(/\| words \(false accepts\) \| 0\.0 % \| \+50\.0 \|/);
    expect(html).toContain('<h2>Ablation</h2>');
  });
});

describe('running speech and digit strings', () => {
  it('measures edit distance (substitutions, insertions, deletions)', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('3791', '3791')).toBe(0);
    expect(editDistance('3791', '3781')).toBe(1); // substitution
    expect(editDistance('3791', '37791')).toBe(1); // insertion
    expect(editDistance('3791', '391')).toBe(1); // deletion
    expect(editDistance('3791', '')).toBe(4);
    expect(editDistance('', '12')).toBe(2);
    expect(editDistance('123456', '214365')).toBe(4);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    // The reported string follows the detections' time order.
    expect(reportedString([hit(9, 800), hit(3, 0), hit(7, 400)])).toBe('379');
  });

  it('scores digit strings: exact-string rate, digit error rate summed over strings, per length bucket', () => {
    const truths = ['379', '5012', '12345', '8888888', '01234567', '99999999999'];
    const set: EvalSet = { name: 'strings', kind: 'strings', files: truths.map((digits, i) => ({ path: `${i}.wav`, digit: -1, digits })) };
    const detections = [
      said('379'), // exact
      said('512'), // one deletion
      said('12345'), // exact
      said('8888988'), // one substitution
      null, // unreadable: nothing reported, 8 deletions
      said('999999999999'), // one insertion
    ];
    const score = scoreSet(set, detections);
    expect(score.unreadable).toBe(1);
    expect(score.strings).toEqual({ files: 6, exactStringRate: 2 / 6, digitErrorRate: (0 + 1 + 0 + 1 + 8 + 1) / (3 + 4 + 5 + 7 + 8 + 11) });
    // PINs (4) and phone numbers (11) stand alone.
    expect(score.stringsByLength).toEqual([
      { lengths: '3', files: 1, exactStringRate: 1, digitErrorRate: 0 },
      { lengths: '4', files: 1, exactStringRate: 0, digitErrorRate: 1 / 4 },
      { lengths: '5–7', files: 2, exactStringRate: 0.5, digitErrorRate: 1 / 12 },
      { lengths: '8–10', files: 1, exactStringRate: 0, digitErrorRate: 1 },
      { lengths: '11', files: 1, exactStringRate: 0, digitErrorRate: 1 / 11 },
    ]);
    expect(figure(score)).toBeCloseTo(1 / 3);
    expect(formatScore(score)).toBe('exact strings 33.33 %, digit error rate 28.95 %');
    // At a higher threshold the low-confidence extra digit goes: that string becomes exact.
    const unsure = [...said('999999999999').slice(0, 11), hit(9, 9000, 0.4)];
    expect(figure(scoreSet(set, atThreshold([...detections.slice(0, 5), unsure], 0.5)))).toBeCloseTo(3 / 6);
  });

  it('scores running speech: every reported digit is false, per 10 minutes of the audio heard', () => {
    const set: EvalSet = {
      name: 'sentences',
      kind: 'running-speech',
      files: [120, 60, 180, 240, 30].map((seconds, i) => ({ path: `${i}.wav`, digit: -1, seconds })),
    };
    // 3 + 0 + 1 + 0 digits in 120 + 60 + 180 + 240 s = 10 min; the unreadable file's 30 s do not count.
    const score = scoreSet(set, [[hit(1), hit(4, 500), hit(1, 900)], [], [hit(8)], [], null]);
    expect(score).toMatchObject({ falseDigits: 4, audioSeconds: 600, falseDigitsPer10Min: 4, falseAcceptRate: 2 / 5, unreadable: 1 });
    expect(figure(score)).toBe(4);
    expect(formatScore(score)).toBe('4.0 false digits / 10 min (10.0 min), 40.00 % of sentences with a digit');
    expect(scoreSet({ ...set, files: set.files.slice(0, 1) }, [[hit(2)]]).falseDigitsPer10Min).toBe(5); // 1 in 2 min
  });

  it('builds the held-out sets from a manifest: sentences with their decoded durations, strings with their digits, words apart', () => {
    const synth = join(dir, 'synth');
    mkdirSync(join(synth, 'heldout/sentences'), { recursive: true });
    const entry = (path: string, extra: Partial<SynthEntry>): SynthEntry => ({
      path,
      digit: -1,
      text: 'x',
      speaker: 'rhbdl0',
      gender: 'male',
      heldOut: true,
      pitch: 100,
      speed: 100,
      amplitude: 100,
      engine: 'rhvoice',
      kind: 'word',
      ...extra,
    });
    const manifest = [
      entry('heldout/male/7_rhbdl0_0.wav', { digit: 7, text: 'seven' }),
      entry('heldout/other/other_tree_rhbdl0_0.wav', { text: 'tree' }),
      entry('heldout/sentences/sentence_1_rhbdl0_0.wav', { kind: 'sentence', text: 'Excuse me, is this the right queue?' }),
      entry('heldout/strings/string_379_rhbdl0_0.wav', { kind: 'string', text: 'three seven nine.', digits: '379' }),
      entry('train/other/sentence_0_rhclb0_0.wav', { kind: 'sentence', heldOut: false, speaker: 'rhclb0', gender: 'female' }),
    ];
    writeFileSync(join(synth, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(join(synth, 'heldout/sentences/sentence_1_rhbdl0_0.wav'), encodeWav16(new Float32Array(24000 * 3), 24000));
    const words = synthSets(synth);
    expect(words.map((s) => s.files.length)).toEqual([0, 1, 1, 0]); // female, male digits; non-digit words; homophones
    expect(words[2].files[0].path).toContain('other_tree');
    const [sentences, strings] = synthSpeechSets(synth);
    expect(sentences).toMatchObject({ kind: 'running-speech', files: [{ digit: -1, seconds: 3 }] });
    expect(strings).toMatchObject({ kind: 'strings', files: [{ digit: -1, digits: '379' }] });
    // A digit string that is not held out is refused: strings are never training material.
    writeFileSync(join(synth, 'manifest.json'), JSON.stringify([entry('train/strings/x.wav', { kind: 'string', heldOut: false, digits: '12' })]));
    expect(() => synthSpeechSets(synth)).toThrow(/not held out/);
  });

  it('scores real detections of the shipped model on a synthesized digit string', async () => {
    const out = join(dir, 'real');
    const string = planStrings(out, 2024).find((e) => e.engine === 'pico' && e.digits!.length <= 4)!;
    mkdirSync(join(out, 'heldout/strings'), { recursive: true });
    await synthesize(string);
    await initWasmBackend();
    const models = await loadModels(DEFAULT_MODEL_DIR);
    const set: EvalSet = { name: 'one string', kind: 'strings', files: [{ path: string.path, digit: -1, digits: string.digits }] };
    const detections = await detectSet(set, models);
    const score = scoreSet(set, detections);
    const reported = reportedString(detections[0]!);
    expect(score.strings!.exactStringRate).toBe(reported === string.digits ? 1 : 0);
    expect(score.strings!.digitErrorRate).toBeCloseTo(editDistance(string.digits!, reported) / string.digits!.length);
    models.word.dispose();
    models.strings?.dispose();
  }, 60_000);

  it('reports running speech and strings in the summary and the threshold table', () => {
    const strings: EvalSet = { name: 'digit strings', kind: 'strings', files: ['379', '12345678'].map((digits, i) => ({ path: `${i}.wav`, digit: -1, digits })) };
    const sentences: EvalSet = { name: 'sentences', kind: 'running-speech', files: [{ path: 's.wav', digit: -1, seconds: 300 }] };
    const s1 = scoreSet(strings, [said('379'), said('1234578')]);
    const s2 = scoreSet(sentences, [[hit(3)]]);
    writeEvalReport(dir, {
      model: 'm',
      createdAt: 'now',
      confidenceThreshold: 0.5,
      sets: [s1, s2],
      thresholds: {
        thresholds: [0.5, 0.9],
        sets: [
          { name: 'digit strings', kind: 'strings', values: [0.5, 0.25] },
          { name: 'sentences', kind: 'running-speech', values: [2, 0.5] },
        ],
      },
      seconds: 1,
    });
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/\| digit strings \| 2 \| exact 50\.00 %, digit error rate 9\.09 % \|/);
    expect(md).toMatch(/\| {3}3 digits \| 1 \| exact 100\.00 %, digit error rate 0\.00 % \|/);
    expect(md).toMatch(/\| {3}4 digits \| 0 \| exact 0\.00 %, digit error rate 0\.00 % \|/);
    expect(md).toMatch(/\| {3}8–10 digits \| 1 \| exact 0\.00 %, digit error rate 12\.50 % \|/);
    expect(md).toMatch(/\| {3}11 digits \| 0 \|/);
    expect(md).toMatch(/\| sentences \| 1 \| 2\.0 false digits \/ 10 min \(5\.0 min of audio\); 100\.00 % of sentences with a digit \|/);
    expect(md).toMatch(/\| digit strings \(exact strings\) \| 50\.0 % \| 25\.0 % \|/);
    expect(md).toMatch(/\| sentences \(false digits \/ 10 min\) \| 2\.0 \| 0\.5 \|/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<td>  5–7 digits</td><td>0</td>');
  });

  it('draws the operating curve of the threshold: real held-out digits against false accepts and false digits in sentences', () => {
    const digits: EvalSet = { name: 'Speech Commands digits, held-out speakers', kind: 'digits', files: [{ path: 'd.wav', digit: 3 }] };
    writeEvalReport(dir, {
      model: 'm',
      createdAt: 'now',
      confidenceThreshold: 0.5,
      sets: [scoreSet(digits, [[hit(3)]])],
      thresholds: {
        thresholds: [0.3, 0.5, 0.9],
        sets: [
          { name: 'Speech Commands digits, held-out speakers', kind: 'digits', values: [0.95, 0.9, 0.7] },
          { name: 'Speech Commands non-digit words, held-out speakers', kind: 'non-digits', values: [0.2, 0.1, 0.02] },
          { name: 'sentences', kind: 'running-speech', values: [30, 12, 1] },
        ],
      },
      seconds: 1,
    });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const curves = html.match(/<figure><svg[^>]*aria-label="[^"]*per (confidence )?threshold"[\s\S]*?<\/figure>/g) ?? [];
    expect(curves).toHaveLength(2);
    // One labelled point per threshold on each curve.
    for (const curve of curves) expect(curve.match(/<circle/g)).toHaveLength(3);
    expect(curves[0]).toContain('>0.9</text>');
    expect(curves[1]).toContain('false digits per 10 min of sentences');
  });
});

describe('glued digit strings from real held-out clips', () => {
  const decode = (path: string) => decodeWav(new Uint8Array(readFileSync(path)), path);
  /** Lengths 3–11, all present, with at least 30 PINs (4) and 20 phone numbers (11). */
  const expectLengthMix = (plans: GluedStringPlan[]) => {
    const lengths = plans.map((p) => p.digits.length);
    expect(new Set(lengths)).toEqual(new Set([3, 4, 5, 6, 7, 8, 9, 10, 11]));
    expect(lengths.filter((n) => n === 4).length).toBeGreaterThanOrEqual(30);
    expect(lengths.filter((n) => n === 11).length).toBeGreaterThanOrEqual(20);
  };
  /** The plan is consistent: digits are the words', one gap fewer than words, each 0–100 ms. */
  const expectGaps = (plan: GluedStringPlan) => {
    expect(plan.digits).toBe(plan.words.map((w) => w.digit).join(''));
    expect(plan.gaps).toHaveLength(plan.words.length - 1);
    for (const g of plan.gaps) {
      expect(Number.isInteger(g)).toBe(true);
      expect(g).toBeGreaterThanOrEqual(0);
      expect(g).toBeLessThanOrEqual(0.1 * plan.sampleRate);
    }
    expect(plan.pad).toBe(0.5 * plan.sampleRate);
  };
  /** Every file of a set is exactly pad + trimmed words + gaps + pad, in silence where no word is. */
  const expectRendered = (set: EvalSet, plans: GluedStringPlan[], check: number) => {
    set.files.slice(0, check).forEach((f, i) => {
      const plan = plans[i];
      const audio = decode(f.path);
      expect(audio.sampleRate).toBe(plan.sampleRate);
      const words = plan.words.map((w) => {
        const clip = decode(w.path);
        const span = wordSpan(clip.samples, clip.sampleRate, 30);
        return span.end - span.start;
      });
      const gaps = plan.gaps.reduce((a, b) => a + b, 0);
      expect(audio.samples.length).toBe(plan.pad + words.reduce((a, b) => a + b, 0) + gaps + plan.pad);
      // What is left once the silence and the words are taken out is 0–100 ms per gap.
      const between = audio.samples.length - 2 * plan.pad - words.reduce((a, b) => a + b, 0);
      expect(between).toBeGreaterThanOrEqual(0);
      expect(between).toBeLessThanOrEqual(0.1 * plan.sampleRate * (plan.words.length - 1));
      // Digital silence before, after and in every gap.
      const silent = (from: number, to: number) => audio.samples.subarray(from, to).every((v) => v === 0);
      expect(silent(0, plan.pad)).toBe(true);
      expect(silent(audio.samples.length - plan.pad, audio.samples.length)).toBe(true);
      let at = plan.pad;
      words.forEach((n, k) => {
        at += n;
        expect(silent(at, at + (plan.gaps[k] ?? 0))).toBe(true);
        at += plan.gaps[k] ?? 0;
      });
    });
  };
  const sameBytes = (a: EvalSet, b: EvalSet) => {
    expect(a.files.map((f) => f.path.split('/').pop())).toEqual(b.files.map((f) => f.path.split('/').pop()));
    a.files.forEach((f, i) => expect(readFileSync(f.path).equals(readFileSync(b.files[i].path))).toBe(true));
  };

  it('glued FSDD: 120 strings of 3–11 digits, each from one speaker, official-test clips only, the same plan every time', () => {
    const plans = planGluedFsddStrings(FSDD_DIR);
    expect(plans).toHaveLength(120);
    expectLengthMix(plans);
    for (const plan of plans) {
      expect(new Set(plan.words.map((w) => w.speaker)).size).toBe(1);
      for (const w of plan.words) {
        expect(w.path).toMatch(/_[0-4]\.wav$/);
        expect(w.path.split('/').pop()).toMatch(new RegExp(`^${w.digit}_${w.speaker}_[0-4]\\.wav$`));
        expect(w.levelDb).toBeUndefined();
      }
      expectGaps(plan);
      expect(plan.sampleRate).toBe(8000);
    }
    expect(new Set(plans.map((p) => p.words[0].speaker)).size).toBe(6); // every speaker says strings
    expect(planGluedFsddStrings(FSDD_DIR)).toEqual(plans);
    const without = planGluedFsddStrings(FSDD_DIR, 'nicolas');
    expect(without).toHaveLength(120);
    expect(without.some((p) => p.words.some((w) => w.speaker === 'nicolas' || w.path.includes('_nicolas_')))).toBe(false);
  });

  it('glued FSDD: written as the same 16-bit WAVs twice, silence + trimmed words + 0–100 ms gaps + silence, not rewritten once cached', () => {
    const plans = planGluedFsddStrings(FSDD_DIR);
    const first = gluedFsddSet(FSDD_DIR, join(dir, 'glued-a'));
    const second = gluedFsddSet(FSDD_DIR, join(dir, 'glued-b'));
    expect(first).toMatchObject({ name: 'glued FSDD test clips, 0–100 ms gaps', kind: 'strings' });
    expect(first.files).toHaveLength(120);
    expect(first.files.map((f) => f.digits)).toEqual(plans.map((p) => p.digits));
    expect(first.files.every((f) => f.digit === -1)).toBe(true);
    sameBytes(first, second);
    expectRendered(first, plans, 120);
    // A cached file is reused, not rewritten.
    writeFileSync(first.files[0].path, 'cached');
    gluedFsddSet(FSDD_DIR, join(dir, 'glued-a'));
    expect(readFileSync(first.files[0].path, 'utf8')).toBe('cached');
  });

  it('glued Speech Commands: held-out speakers only, several speakers a string, levels within ±3 dB, the same files twice', () => {
    const held = new Set(
      listSpeechCommands(SC_DIR)
        .filter((c) => c.split === 'test' && c.kind === 'word' && c.digit >= 0)
        .map((c) => c.path),
    );
    const byPath = new Map(listSpeechCommands(SC_DIR).map((c) => [c.path, c]));
    const plans = planGluedSpeechCommandsStrings(SC_DIR);
    expect(plans).toHaveLength(120);
    expectLengthMix(plans);
    for (const plan of plans) {
      expectGaps(plan);
      expect(plan.sampleRate).toBe(16000);
      for (const w of plan.words) {
        expect(held.has(w.path)).toBe(true);
        expect(byPath.get(w.path)).toMatchObject({ split: 'test', digit: w.digit, speaker: w.speaker });
        expect(Math.abs(w.levelDb!)).toBeLessThanOrEqual(3);
      }
    }
    expect(plans.filter((p) => new Set(p.words.map((w) => w.speaker)).size > 1).length).toBeGreaterThan(100);
    expect(planGluedSpeechCommandsStrings(SC_DIR)).toEqual(plans);
    // Each word at its level: the common RMS, ± 3 dB.
    const word = plans[0].words[0];
    expect(20 * Math.log10(rms(gluedWordSamples(word, 16000)) / GLUED_LEVEL_RMS)).toBeCloseTo(word.levelDb!, 3);
    const first = gluedSpeechCommandsSet(SC_DIR, join(dir, 'sc-a'));
    const second = gluedSpeechCommandsSet(SC_DIR, join(dir, 'sc-b'));
    expect(first).toMatchObject({ name: 'glued Speech Commands digits, held-out speakers, 0–100 ms gaps', kind: 'strings' });
    expect(first.files.map((f) => f.digits)).toEqual(plans.map((p) => p.digits));
    sameBytes(first, second);
    expectRendered(first, plans, 20);
  }, 60_000);
});

/** Writes the soak report: `soak.json` (everything measured) and `soak.md` (the tables). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserSoakResult } from './browser-soak';
import { mb } from './memory';
import { MEMORY_GROWTH_LIMIT, type NodeSoakResult } from './node-soak';
import type { DigitCounts, SoakScore } from './score';

/** What `npm run soak` ran and measured. */
export interface SoakReport {
  readonly date: string;
  readonly command: string;
  readonly seed: number;
  readonly node: NodeSoakResult | null;
  readonly browser: BrowserSoakResult | null;
}

/** Bytes as signed MB ("+0.12", "−0.84"). */
const signedMb = (bytes: number) => `${bytes < 0 ? '−' : '+'}${mb(Math.abs(bytes))}`;
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : '—');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

function digitTable(score: SoakScore): string[] {
  const line = (name: string, c: DigitCounts) => row([name, c.expected, c.correct, c.wrong, c.missed, pct(c.correct, c.expected)]);
  return [
    row(['condition', 'digits said', 'found, right digit', 'wrong digit', 'missed', 'right']),
    row(['---', '---:', '---:', '---:', '---:', '---:']),
    ...Object.entries(score.byCondition)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, c]) => line(name, c)),
    line('**all**', score.total),
  ];
}

function falseAcceptTable(score: SoakScore): string[] {
  const minutes = (s: number) => (s / 60).toFixed(1);
  const perHour = (n: number, s: number) => (s ? ((n * 3600) / s).toFixed(1) : '—');
  const f = score.falseAccepts;
  const digitsSeconds = score.seconds.digits + score.seconds['digit-string'];
  return [
    row(['while playing', 'minutes', 'false accepts', 'per hour of it', 'per event']),
    row(['---', '---:', '---:', '---:', '---:']),
    row(['silence (room tone −75…−55 dBFS or digital silence)', minutes(score.seconds.silence), f.silence, perHour(f.silence, score.seconds.silence), '']),
    row([
      'stationary noise (white, pink, brown, band, office; −50…−25 dBFS)',
      minutes(score.seconds['stationary-noise']),
      f['stationary-noise'],
      perHour(f['stationary-noise'], score.seconds['stationary-noise']),
      '',
    ]),
    row([
      'bursty non-speech sounds (clicks, bursts, tones, chords)',
      minutes(score.seconds['bursty-noise']),
      f['bursty-noise'],
      perHour(f['bursty-noise'], score.seconds['bursty-noise']),
      `${pct(f['bursty-noise'], score.nonSpeechSounds)} of ${score.nonSpeechSounds} sounds`,
    ]),
    row([
      'non-digit speech (espeak-ng, held-out voices)',
      minutes(score.seconds.speech),
      f.speech,
      perHour(f.speech, score.seconds.speech),
      `${pct(f.speech, score.speechWords)} of ${score.speechWords} words (${score.speechUtterances} utterances)`,
    ]),
    row(['gaps between digits', minutes(digitsSeconds), f['between digits'], perHour(f['between digits'], digitsSeconds), '']),
  ];
}

function nodeSection(r: NodeSoakResult): string[] {
  const s = r.score;
  const m = (i: number, name: string) => {
    const x = r.memory[i];
    return row([name, (x.audioSeconds / 60).toFixed(1), mb(x.heapUsed), mb(x.external), mb(x.heapUsed + x.external), mb(x.rss), x.tensors]);
  };
  const byText = Object.entries(s.speechFalseAcceptsByText).sort((a, b) => b[1] - a[1]);
  return [
    `## Node: ${(r.audioSeconds / 3600).toFixed(2)} h of audio`,
    '',
    `The soak stream (seed in soak.json) at ${r.sampleRate} Hz, pushed into \`StreamingRecognizer\` (shipped model, tfjs wasm, threshold 0.5) in blocks of ${r.blockSamples} samples (${((1000 * r.blockSamples) / r.sampleRate).toFixed(0)} ms, as the capture worklet posts them).`,
    '',
    `- Real-time factor: **${r.realTimeFactor.toFixed(4)}** for the whole run (${r.wallSeconds.toFixed(0)} s of wall time: generating the audio, bringing it to ${r.sampleRate} Hz, recognizing, scoring); the recognizer alone ${r.recognizerRealTimeFactor.toFixed(4)} (${r.recognizerSeconds.toFixed(1)} s).`,
    `- Digits: **${s.total.correct} of ${s.total.expected}** found with the right digit (${pct(s.total.correct, s.total.expected)}), ${s.total.wrong} wrong digit, ${s.total.missed} missed; ${s.extra} extra detections on a digit already found (one word read as two).`,
    `- False accepts: ${Object.values(s.falseAccepts).reduce((a, b) => a + b, 0)} in all, by what was playing in the table below.`,
    `- Memory after warm-up (${(r.memory[r.warmupIndex].audioSeconds / 60).toFixed(1)} min): JS memory (V8 heap + external, after a forced GC) changed by **${signedMb(r.growth.js)} MB** (heap ${signedMb(r.growth.heapUsed)}, external ${signedMb(r.growth.external)}), RSS ${signedMb(r.growth.rss)} MB, tensors ${r.growth.tensors < 0 ? '−' : '+'}${Math.abs(r.growth.tensors)}: **${r.memoryPass ? 'PASS' : 'FAIL'}** (limit ${mb(MEMORY_GROWTH_LIMIT)} MB, no tensor leaked).`,
    '',
    ...digitTable(s),
    '',
    "Strings are 3–5 clips of one speaker 100–300 ms apart; noisy digits are mixed at the SNR against the clips' RMS, as `npm run eval` does.",
    '',
    ...falseAcceptTable(s),
    '',
    byText.length ? `False accepts in non-digit speech by what was said: ${byText.map(([t, n]) => `"${t}" ${n}`).join(', ')}.` : 'No false accept in non-digit speech.',
    '',
    row(['memory sample', 'audio, min', 'heap, MB', 'external, MB', 'JS (heap + external), MB', 'RSS, MB', 'tensors']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...r.memory.map((_, i) => m(i, i === 0 ? 'start' : i === r.warmupIndex ? '**warm-up**' : i === r.memory.length - 1 ? '**end**' : '')),
    '',
  ];
}

function browserSection(r: BrowserSoakResult): string[] {
  const s = r.score;
  const kb = (h: { used: number; backing: number } | undefined) => (h ? `${(h.used / 1000).toFixed(0)} + ${(h.backing / 1000).toFixed(0)}` : '—');
  const growth = (g: number | null) => (g === null ? 'not measured' : `${g < 0 ? '−' : '+'}${Math.abs(g / 1000).toFixed(0)} KB`);
  return [
    `## Browser: ${(r.listeningSeconds / 60).toFixed(1)} min of listening`,
    '',
    `The production build in headless Chromium; a fake microphone loops a ${r.loopSeconds.toFixed(1)} s stretch of the soak stream (48 kHz by sox) and the app listens in continuous mode. Heap per context after a forced GC (DevTools \`HeapProfiler.collectGarbage\`, \`Runtime.getHeapUsage\`; the worker and worklet reached through \`Target.setAutoAttach\`): V8 heap + ArrayBuffers, KB.`,
    '',
    `- Loops heard to the end: ${r.loops.length}; digit events ${r.events}; digits **${s.total.correct} of ${s.total.expected}** right (${pct(s.total.correct, s.total.expected)}), ${s.total.wrong} wrong, ${s.total.missed} missed; false accepts ${Object.values(s.falseAccepts).reduce((a, b) => a + b, 0)}.`,
    `- Growth after warm-up (${r.heap[r.warmupIndex].atSeconds.toFixed(0)} s) to the end: page ${growth(r.growth.page)}, recognizer worker ${growth(r.growth.worker)}, capture worklet ${growth(r.growth.worklet)}.`,
    `- Errors: ${r.errors.length ? r.errors.join('; ') : 'none'}.`,
    '',
    row(['loop', 'offset, ms', 'digits', 'right', 'wrong', 'missed', 'false accepts']),
    row(['---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...r.loops.map((l) => row([l.loop + 1, l.offsetMs, l.expected, l.correct, l.wrong, l.missed, l.falseAccepts])),
    '',
    row(['time, s', 'digit events', 'page', 'recognizer worker', 'capture worklet']),
    row(['---:', '---:', '---:', '---:', '---:']),
    ...r.heap.map((h, i) => row([`${h.atSeconds.toFixed(0)}${i === r.warmupIndex ? ' (warm-up)' : ''}`, h.digits, kb(h.page), kb(h.worker), kb(h.worklet)])),
    '',
  ];
}

/** Writes `soak.json` and `soak.md` into `dir` (created if missing); returns the Markdown. */
export function writeSoakReport(dir: string, report: SoakReport): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'soak.json'), `${JSON.stringify(report, null, 1)}\n`);
  const md = [
    '# Soak',
    '',
    `\`${report.command}\`, ${report.date}, seed ${report.seed}; a 2-core machine shared with other work. Written by \`scripts/soak/index.ts\`; all figures in \`soak.json\`.`,
    '',
    ...(report.node ? nodeSection(report.node) : ['Node soak not run.', '']),
    ...(report.browser ? browserSection(report.browser) : ['Browser soak not run.', '']),
  ].join('\n');
  writeFileSync(join(dir, 'soak.md'), md);
  return md;
}

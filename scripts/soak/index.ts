/**
 * `npm run soak` — a long day: streams an hour of generated audio (digits, silence, noise,
 * non-digit speech) through the Node pipeline faster than real time, then lets the production
 * app listen to a looping fake microphone in Chromium for ten minutes, and writes
 * reports/soak/soak.md and soak.json. Exit code 1 if memory grew past 5 MB after warm-up (Node:
 * JS heap + external; browser: page or recognizer worker) or a tensor leaked.
 *
 *   npm run soak -- [--node-hours 1] [--browser-minutes 10] [--seed 1] [--rate 48000] [--out reports/soak]
 *
 * `--node-hours 0` or `--browser-minutes 0` skips that half.
 */
import { parseArgs } from 'node:util';
import { runBrowserSoak } from './browser-soak';
import { MEMORY_GROWTH_LIMIT, runNodeSoak } from './node-soak';
import { writeSoakReport } from './report';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'node-hours': { type: 'string', default: '1' },
      'browser-minutes': { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      rate: { type: 'string', default: '48000' },
      out: { type: 'string', default: 'reports/soak' },
    },
  });
  const hours = Number(values['node-hours']);
  const minutes = Number(values['browser-minutes']);
  const seed = Number(values.seed);
  const rate = Number(values.rate);
  if (!(hours >= 0) || !(minutes >= 0) || !Number.isInteger(seed) || !(rate >= 8000)) {
    process.stderr.write('soak: --node-hours and --browser-minutes must be ≥ 0, --seed an integer, --rate ≥ 8000\n');
    return 2;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const node = hours > 0 ? await runNodeSoak({ seconds: hours * 3600, seed, sampleRate: rate, onProgress: log }) : null;
  const browser = minutes > 0 ? await runBrowserSoak({ seconds: minutes * 60, loopSeconds: 60, seed, sampleEverySeconds: minutes > 2 ? 30 : 10, onProgress: log }) : null;
  const md = writeSoakReport(values.out, {
    date: new Date().toISOString(),
    command: `npm run soak -- --node-hours ${hours} --browser-minutes ${minutes} --seed ${seed} --rate ${rate}`,
    seed,
    node,
    browser,
  });
  log(`\n${md}`);
  const browserPass = !browser || [browser.growth.page, browser.growth.worker].every((g) => g === null || g <= MEMORY_GROWTH_LIMIT);
  return (node?.memoryPass ?? true) && browserPass ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  },
);

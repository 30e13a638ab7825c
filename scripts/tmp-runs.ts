import '@tensorflow/tfjs-backend-wasm';
import { readdirSync, readFileSync } from 'node:fs';
import { initWasmBackend } from '../src/model/backend';
import { StringModel } from '../src/model/string-model';
import { fileSystemModel } from '../src/model/node-io';
import { decodeWav } from '../src/audio/wav';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { StringReader } from '../src/pipeline/string-reader';
await initWasmBackend();
const strings = await StringModel.load(fileSystemModel(process.argv[2]), process.argv[2]);
for (const dir of ['.cache/synth/heldout/sentences', '.cache/synth/heldout/strings']) {
  const rows: string[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.wav')).filter((_, i) => i % 3 === 0)) {
    const w = decodeWav(new Uint8Array(readFileSync(`${dir}/${f}`)), f);
    const reader = new StringReader(strings);
    let digits: { c: number }[] = []; let start = 0;
    const out = (evs: any[]) => { for (const e of evs) { if (e.type === 'run-start') { digits = []; start = e.startFrame; } else if (e.type === 'digit') digits.push({ c: e.digit.confidence }); else if (digits.length >= 1) rows.push(`${((e.endFrame - start) / 100).toFixed(2)}s n=${digits.length} sure=${digits.filter((d) => d.c >= 0.5).length} perDigit=${((e.endFrame - start) / 100 / digits.length).toFixed(2)} confs=${digits.map((d) => d.c.toFixed(2)).join(',')}`); } };
    const p = new StreamingPipeline(w.sampleRate, undefined, undefined, { frame: (l, i, ev) => out(reader.push(l, i, ev)), end: () => out(reader.end()) });
    p.push(w.samples); p.flush();
  }
  console.log(dir); console.log(rows.slice(0, 40).join('\n'));
}

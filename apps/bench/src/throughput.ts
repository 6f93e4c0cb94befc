/**
 * tapegrad's absolute matMul throughput, in a process that loads no other library.
 *
 * Loading tfjs-core detaches an ArrayBuffer, which turns off a V8 fast path of every
 * typed-array access in the process (see README, Results): the same-process comparison in
 * main.ts is right for ratios, but understates tapegrad's own GFLOP/s. This script measures
 * those alone, with the same inputs and timing rules.
 *
 *   tsx src/throughput.ts [--reps N]
 */
import { parseArgs } from 'node:util';
import * as tg from 'tapegrad';
import { bench, randomArray } from './harness.js';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '15' } } });
const reps = Number(values.reps);
await tg.ready();

// cpu first: growing the wasm memory detaches its buffer, which would slow the cpu rows
// for the rest of the process (the same V8 protector; see issue 4).
const sizes = [256, 512, 1024];
const results: Record<string, string[]> = { cpu: [], wasm: [] };
for (const backend of ['cpu', 'wasm'] as const) {
  for (const n of sizes) {
    const a = randomArray(n * n, 1);
    const b = randomArray(n * n, 2);
    tg.getDefaultEngine().setBackendSync(backend);
    const A = tg.tensor(a, [n, n]);
    const B = tg.tensor(b, [n, n]);
    const stats = bench(`${backend} ${n}`, () => void tg.tidy(() => tg.matMul(A, B).dataSync()), {
      warmup: 3,
      warmupMs: 500,
      reps,
    });
    results[backend]!.push(((2 * n ** 3) / stats.medianMs / 1e6).toFixed(1));
    tg.dispose([A, B]);
  }
}
const rows = ['| matMul A·B (GFLOP/s) | tapegrad-cpu | tapegrad-wasm |', '| --- | ---: | ---: |'];
sizes.forEach((n, i) => rows.push(`| ${n}×${n} | ${results.cpu![i]} | ${results.wasm![i]} |`));
console.log(rows.join('\n'));

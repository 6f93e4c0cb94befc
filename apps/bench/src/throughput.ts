/**
 * tapegrad's absolute matMul throughput, in a process that loads no other library: the
 * cpu backend (A·B), and the wasm backend in every transpose combination on 1 thread and
 * on each `--threads` count.
 *
 * Loading tfjs-core detaches an ArrayBuffer, which turns off a V8 fast path of every
 * typed-array access in the process (see README, Results): the same-process comparison in
 * main.ts is right for ratios, but understates tapegrad's own GFLOP/s. This script measures
 * those alone, with the same inputs and timing rules.
 *
 * A rep times the matMul op alone (dispatch, output allocation and the kernel: the cpu and
 * wasm backends run it synchronously inside the call); `--readback` adds `dataSync()`, a copy
 * of C out of the backend (the comparison in main.ts always reads back, as async peers must).
 *
 *   tsx src/throughput.ts [--reps N] [--threads 1,2] [--sizes 256,512,1024] [--no-cpu] [--readback]
 */
import { parseArgs } from 'node:util';
import * as tg from 'tapegrad';
import { bench, randomArray } from './harness.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '15' },
    threads: { type: 'string', default: '1,2' },
    sizes: { type: 'string', default: '256,512,1024' },
    'no-cpu': { type: 'boolean', default: false },
    readback: { type: 'boolean', default: false },
  },
});
const list = (s: string, name: string) =>
  s.split(',').map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--${name}: expected integers ≥ 1, got '${s}'`);
    return n;
  });
const reps = Number(values.reps);
const threadCounts = list(values.threads, 'threads');
const sizes = list(values.sizes, 'sizes');
await tg.ready();

const engine = tg.getDefaultEngine();
const wasm = engine.findBackend('wasm') as tg.WasmBackend;
const transposes = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;
const label = (tA: boolean, tB: boolean) => `${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'}`;

/** GFLOP/s of matMul(A, B, tA, tB) at size n on the active backend. */
function gflops(n: number, tA: boolean, tB: boolean, name: string): string {
  const A = tg.tensor(randomArray(n * n, 1), [n, n]);
  const B = tg.tensor(randomArray(n * n, 2), [n, n]);
  const run = values.readback
    ? () => void tg.tidy(() => tg.matMul(A, B, tA, tB).dataSync())
    : () => tg.tidy(() => void tg.matMul(A, B, tA, tB));
  const stats = bench(name, run, {
    warmup: 3,
    warmupMs: 500,
    reps,
  });
  tg.dispose([A, B]);
  return ((2 * n ** 3) / stats.medianMs / 1e6).toFixed(1);
}

// cpu first (the wasm memory is shared in Node, so its growth detaches nothing, but a
// plain-memory fallback's would slow the cpu rows for the rest of the process).
const columns: string[] = [];
const cells = new Map<number, string[]>(sizes.map((n) => [n, []]));
if (!values['no-cpu']) {
  engine.setBackendSync('cpu');
  columns.push('tapegrad-cpu A·B');
  for (const n of sizes) cells.get(n)!.push(gflops(n, false, false, `cpu ${n}`));
}
engine.setBackendSync('wasm');
for (const threads of threadCounts) {
  wasm.setThreadsCount(threads);
  const active = wasm.activeThreads();
  for (const [tA, tB] of transposes) {
    columns.push(`wasm ${active}T ${label(tA, tB)}`);
    for (const n of sizes) cells.get(n)!.push(gflops(n, tA, tB, `wasm ${active}T ${n}`));
  }
}
wasm.setThreadsCount(1);

const rows = [
  `| matMul n×n (GFLOP/s) | ${columns.join(' | ')} |`,
  `| --- |${columns.map(() => ' ---: |').join('')}`,
  ...sizes.map((n) => `| ${n} | ${cells.get(n)!.join(' | ')} |`),
];
console.log(rows.join('\n'));

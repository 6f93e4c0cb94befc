/**
 * Child process of relaxed-simd.test.ts (run with and without
 * `--experimental-wasm-relaxed-simd`): multiplies matrices in all four transposes, odd sizes
 * and batches on three wasm engines (1 thread, 2 threads, 1 thread with `relaxedSimd:
 * false`) and prints one JSON line: which kernel each engine picked, the largest error of
 * each engine's products against a float64 reference as a fraction of the float32 bound
 * `(k + 1)·2⁻²⁴·Σ|a·b|` (≤ 1 for a correct kernel), whether 1 and 2 threads agree bit for
 * bit, and how many elements the default engine's products differ in from the plain kernel's;
 * the same for a conv2d (its im2col GEMM), against a direct float64 convolution.
 */
import type { Engine } from '@tapegrad/core';
import { Random, createEngine, createTensor } from '@tapegrad/core';
import { conv, conv2d } from '@tapegrad/ops-conv';
import { math, matMul } from '@tapegrad/ops-math';
import type { WasmBackend, WasmOptions } from '../src/index.js';
import { relaxedSimdSupported, wasm } from '../src/index.js';

interface Case {
  batch: number;
  /** Batch of B (1: broadcast to A's batch). */
  batchB: number;
  m: number;
  n: number;
  k: number;
  tA: boolean;
  tB: boolean;
}

const cases: Case[] = [];
for (const [tA, tB] of [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const) {
  // Odd edges in every dimension; k = 301 spans two KC slices, m = 133 two MC blocks.
  cases.push({ batch: 1, batchB: 1, m: 133, n: 67, k: 301, tA, tB });
  cases.push({ batch: 3, batchB: 3, m: 13, n: 29, k: 37, tA, tB });
  cases.push({ batch: 2, batchB: 1, m: 7, n: 9, k: 1, tA, tB });
}

/** Seeded values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: n }, () => 2 * rng.uniform() - 1);
}

function operands(c: Case, i: number): [Float32Array, Float32Array] {
  return [values(c.batch * c.m * c.k, i), values(c.batchB * c.k * c.n, i + 100)];
}

/** Largest |C − C₆₄| / ((k + 1)·2⁻²⁴·Σ|a·b|) over the elements of one product. */
function errorRatio(c: Case, a: Float32Array, b: Float32Array, got: Float32Array): number {
  let worst = 0;
  for (let p = 0; p < c.batch; p++) {
    const a0 = p * c.m * c.k;
    const b0 = (c.batchB === 1 ? 0 : p) * c.k * c.n;
    for (let i = 0; i < c.m; i++) {
      for (let j = 0; j < c.n; j++) {
        let ref = 0;
        let abs = 0;
        for (let q = 0; q < c.k; q++) {
          const x = a[a0 + (c.tA ? q * c.m + i : i * c.k + q)]!;
          const y = b[b0 + (c.tB ? j * c.k + q : q * c.n + j)]!;
          ref += x * y;
          abs += Math.abs(x * y);
        }
        const err = Math.abs(got[(p * c.m + i) * c.n + j]! - ref);
        const bound = (c.k + 1) * 2 ** -24 * abs;
        worst = Math.max(worst, bound > 0 ? err / bound : err);
      }
    }
  }
  return worst;
}

/** The conv2d case: x [2, 11, 13, 7] (NHWC), filter [3, 3, 7, 17], stride 1, 'valid'. */
const CONV = { n: 2, h: 11, w: 13, c: 7, f: 3, o: 17 };
const convX = values(CONV.n * CONV.h * CONV.w * CONV.c, 7);
const convW = values(CONV.f * CONV.f * CONV.c * CONV.o, 8);

/** Largest error of a conv2d output against the direct float64 convolution, as `errorRatio`. */
function convErrorRatio(got: Float32Array): number {
  const { n, h, w, c, f, o } = CONV;
  const oh = h - f + 1;
  const ow = w - f + 1;
  const k = f * f * c;
  let worst = 0;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let q = 0; q < o; q++) {
          let ref = 0;
          let abs = 0;
          for (let p = 0; p < f; p++)
            for (let r = 0; r < f; r++)
              for (let d = 0; d < c; d++) {
                const xy =
                  convX[((b * h + i + p) * w + j + r) * c + d]! *
                  convW[((p * f + r) * c + d) * o + q]!;
                ref += xy;
                abs += Math.abs(xy);
              }
          const err = Math.abs(got[((b * oh + i) * ow + j) * o + q]! - ref);
          worst = Math.max(worst, err / ((k + 1) * 2 ** -24 * abs));
        }
  return worst;
}

function products(options: WasmOptions): { engine: Engine; results: Float32Array[] } {
  const engine = createEngine({ ops: [math, conv], backends: [wasm(options)] });
  const results = engine.tidy(() => [
    ...cases.map((c, i) => {
      const [a, b] = operands(c, i);
      const sa = c.tA ? [c.batch, c.k, c.m] : [c.batch, c.m, c.k];
      const sb = c.tB ? [c.batchB, c.n, c.k] : [c.batchB, c.k, c.n];
      return matMul(
        createTensor(engine, a, sa),
        createTensor(engine, b, sb),
        c.tA,
        c.tB,
      ).dataSync() as Float32Array;
    }),
    conv2d(
      createTensor(engine, convX, [CONV.n, CONV.h, CONV.w, CONV.c]),
      createTensor(engine, convW, [CONV.f, CONV.f, CONV.c, CONV.o]),
      1,
      'valid',
    ).dataSync() as Float32Array,
  ]);
  return { engine, results };
}

const bits = (x: Float32Array) => new Uint32Array(x.buffer, x.byteOffset, x.length);

const runs = [
  products({ threads: 1 }),
  products({ threads: 2, threadGrain: 0 }),
  products({ threads: 1, relaxedSimd: false }),
];
const [one, two, plain] = runs.map((r) => r.results);
const picked = runs.map(({ engine }) => {
  const backend = engine.findBackend('wasm') as WasmBackend;
  return { relaxedSimd: backend.relaxedSimd, memory: backend.memory().wasmRelaxedSimd };
});
console.log(
  JSON.stringify({
    supported: relaxedSimdSupported(),
    picked,
    threads: (runs[1]!.engine.findBackend('wasm') as WasmBackend).activeThreads(),
    errorRatio: runs.map(({ results }) =>
      Math.max(...cases.map((c, i) => errorRatio(c, ...operands(c, i), results[i]!))),
    ),
    bitIdentical: one!.every((x, i) => bits(x).every((v, j) => v === bits(two![i]!)[j])),
    differFromPlain: cases.reduce(
      (t, _, i) => t + bits(one![i]!).filter((v, j) => v !== bits(plain![i]!)[j]).length,
      0,
    ),
    conv: {
      errorRatio: runs.map(({ results }) => convErrorRatio(results[cases.length]!)),
      differFromPlain: bits(one![cases.length]!).filter(
        (v, j) => v !== bits(plain![cases.length]!)[j],
      ).length,
    },
  }),
);

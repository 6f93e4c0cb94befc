/**
 * Shared helpers of the math-*.test.ts files: run one op on a wasm engine and on the CPU
 * backend with the same inputs, and compare (NaN matches NaN, -0 must match -0).
 */
import type { DType, Engine, Tensor, TypedArray } from '@tapegrad/core';
import { Random, createEngine, createTensor } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { conv } from '@tapegrad/ops-conv';
import { math } from '@tapegrad/ops-math';
import { expect } from 'vitest';
import type { WasmBackend } from '../src/index.js';
import { WASM_HOSTED_OPS, wasm } from '../src/index.js';

export const wasmEngine = createEngine({
  ops: [math, conv],
  backends: [wasm(), cpu()],
  flags: { fallback: 'silent' },
});
await wasmEngine.setBackend('wasm');

export const cpuEngine = createEngine({ ops: [math, conv], backends: [cpu()] });

export interface Operand {
  shape: number[];
  values: number[];
  dtype?: DType;
}

/** `n` values uniform in [lo, hi). */
export function uniform(n: number, seed: number, lo = -1, hi = 1): number[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

/** Float32 edge values: signed zeros, infinities, NaN, huge, tiny and subnormal numbers. */
export const EDGES = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  -2.5,
  3.4e38,
  -3.4e38,
  1e-30,
  -1e-30,
  1e-40,
  -1e-40,
  88.7,
  -87.5,
  -103.9,
  89,
  -104,
  700,
  -700,
  1e-7,
  -1e-7,
];

function run(engine: Engine, op: string, operands: Operand[], attrs: object): Tensor {
  const xs = operands.map((o) => createTensor(engine, o.values, o.shape, o.dtype ?? 'float32'));
  return engine.run(op, xs, attrs as Record<string, unknown>) as Tensor;
}

/** The op's output on wasm and on cpu (values, dtype, shape), and that the wasm engine kept it on wasm. */
export function runBoth(
  op: string,
  operands: Operand[],
  attrs: object = {},
): { wasm: TypedArray; cpu: TypedArray; dtype: DType; shape: readonly number[] } {
  const onWasm = wasmEngine.tidy(() => {
    const y = run(wasmEngine, op, operands, attrs);
    expect(y.storage.backend.name).toBe('wasm');
    return { values: y.dataSync(), dtype: y.dtype, shape: y.shape };
  });
  const onCpu = cpuEngine.tidy(() => {
    const y = run(cpuEngine, op, operands, attrs);
    expect(y.dtype).toBe(onWasm.dtype);
    expect([...y.shape]).toEqual([...onWasm.shape]);
    return y.dataSync();
  });
  return { wasm: onWasm.values, cpu: onCpu, dtype: onWasm.dtype, shape: onWasm.shape };
}

/**
 * |a − b| ≤ atol + rtol·|b| elementwise; NaN matches only NaN, and equal values must have
 * the same sign (so -0 vs +0 fails).
 */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol = 0, atol = 0): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(y) || Number.isNaN(x)) {
      expect(`${i}: ${x}`).toBe(`${i}: ${y}`);
      continue;
    }
    if (x === y) {
      expect(Object.is(x, y), `element ${i}: ${x} vs ${y} (sign of zero)`).toBe(true);
      continue;
    }
    expect(Math.abs(x - y) <= atol + rtol * Math.abs(y), `element ${i}: ${x} vs ${y}`).toBe(true);
  }
}

/** Runs on both backends and compares within tolerance (exact by default). */
export function expectMatchesCpu(
  op: string,
  operands: Operand[],
  attrs: object = {},
  rtol = 0,
  atol = 0,
): void {
  const r = runBoth(op, operands, attrs);
  expectClose(r.wasm, r.cpu, rtol, atol);
}

/** That the wasm backend runs `op` with its own kernel (not the hosted CPU kernel). */
export function expectAccelerated(op: string): void {
  expect(WASM_HOSTED_OPS).not.toContain(op);
}

/** The wasm backend of the shared engine. */
export function wasmBackend(): WasmBackend {
  return wasmEngine.findBackend('wasm') as WasmBackend;
}

const f32Bits = new Float32Array(1);
const i32Bits = new Int32Array(f32Bits.buffer);

/** Position of a float32 on the number line of representable floats (-0 and +0 are both 0). */
function ordinal(v: number): number {
  f32Bits[0] = v;
  const bits = i32Bits[0]!;
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/** Float32 values within `maxUlps` units in the last place; NaN matches only NaN, ±Infinity only itself. */
export function expectUlps(a: ArrayLike<number>, b: ArrayLike<number>, maxUlps: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(y)) {
      expect(`${i}: ${x}`).toBe(`${i}: ${y}`);
      continue;
    }
    const ulps = Math.abs(ordinal(x) - ordinal(y));
    expect(ulps <= maxUlps, `element ${i}: ${x} vs ${y} (${ulps} ulps)`).toBe(true);
  }
}

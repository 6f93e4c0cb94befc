/**
 * Test helper of the layout, gather, pooling and depthwise kernel tests: runs one primitive
 * on a wasm engine and on the CPU backend with the same inputs and returns both outputs.
 */
import type { DType, Engine, Tensor, TypedArray } from '@tapegrad/core';
import { Random, createTensor } from '@tapegrad/core';
import { expect } from 'vitest';

import { cpuEngine } from './engines.js';

export { cpuEngine, wasmEngine } from './engines.js';

export interface InputSpec {
  shape: readonly number[];
  dtype?: DType;
  /** Explicit values; random ones of the dtype otherwise. */
  values?: readonly number[];
}

/** Random values suited to `dtype`: floats in [-2, 2), integers in [-50, 50), or 0/1. */
export function randomOf(dtype: DType, n: number, rng: Random): number[] {
  return Array.from({ length: n }, () => {
    const u = rng.uniform();
    if (dtype === 'bool') return u < 0.5 ? 0 : 1;
    if (dtype === 'int32') return Math.floor(u * 100) - 50;
    return 4 * u - 2;
  });
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export interface Outputs {
  wasm: { values: TypedArray; shape: readonly number[]; dtype: DType }[];
  cpu: { values: TypedArray; shape: readonly number[]; dtype: DType }[];
}

/** Runs `op` on both engines (asserting the wasm engine's outputs live on wasm). */
export function runBoth(
  engine: Engine,
  op: string,
  inputs: readonly InputSpec[],
  attrs: Record<string, unknown> = {},
  seed = 1,
): Outputs {
  const rng = new Random(seed);
  const values = inputs.map(
    (t) => t.values ?? randomOf(t.dtype ?? 'float32', sizeOf(t.shape), rng),
  );
  const run = (e: Engine, checkBackend: boolean) =>
    e.tidy(() => {
      const xs = inputs.map((t, i) =>
        createTensor(e, [...values[i]!], [...t.shape], t.dtype ?? 'float32'),
      );
      const result = e.run(op, xs, attrs);
      const list = Array.isArray(result) ? result : [result];
      return list.map((y: Tensor) => {
        if (checkBackend) expect(y.storage.backend.name).toBe('wasm');
        return { values: y.dataSync(), shape: y.shape, dtype: y.dtype };
      });
    });
  return { wasm: run(engine, true), cpu: run(cpuEngine, false) };
}

/** Asserts the wasm outputs equal the CPU outputs bit for bit (shape, dtype and values). */
export function expectSame(
  engine: Engine,
  op: string,
  inputs: readonly InputSpec[],
  attrs: Record<string, unknown> = {},
  seed = 1,
): void {
  const { wasm: w, cpu: c } = runBoth(engine, op, inputs, attrs, seed);
  expect(w.length).toBe(c.length);
  w.forEach((out, i) => {
    expect(out.shape).toEqual(c[i]!.shape);
    expect(out.dtype).toBe(c[i]!.dtype);
    expect(Array.from(out.values)).toEqual(Array.from(c[i]!.values));
  });
}

/** Asserts |wasm − cpu| ≤ atol + rtol·|cpu| elementwise (float outputs). */
export function expectClose(
  engine: Engine,
  op: string,
  inputs: readonly InputSpec[],
  attrs: Record<string, unknown> = {},
  { rtol = 1e-5, atol = 1e-5, seed = 1 } = {},
): void {
  const { wasm: w, cpu: c } = runBoth(engine, op, inputs, attrs, seed);
  w.forEach((out, i) => {
    const ref = c[i]!;
    expect(out.shape).toEqual(ref.shape);
    let worst = 0;
    let at = -1;
    for (let k = 0; k < ref.values.length; k++) {
      const err = Math.abs(out.values[k]! - ref.values[k]!) - rtol * Math.abs(ref.values[k]!);
      if (!(err <= atol) && !(Number.isNaN(out.values[k]) && Number.isNaN(ref.values[k]))) {
        worst = err;
        at = k;
        break;
      }
    }
    expect({ at, worst }).toEqual({ at: -1, worst: 0 });
  });
}

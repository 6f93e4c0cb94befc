/** Test helpers of the conformance suites (vitest's expect). */
import type { DType, Engine, NestedArray, Tensor, TensorLike } from '@tapegrad/core';
import { Random, createTensor, gradCheck, grads } from '@tapegrad/core';
import { expect } from 'vitest';

export interface SuiteContext {
  engine: Engine;
  /** Name of the backend under test. */
  backend: string;
  /** A tensor on the engine under test. */
  t(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor;
  /** Seeded uniform values in [lo, hi). */
  rand(shape: readonly number[], seed: number, lo?: number, hi?: number, dtype?: DType): Tensor;
}

export interface ConformanceConfig {
  /** Label of the backend (test names). */
  backend: string;
  /** A fresh engine with the op families and the backend registered and active. */
  createEngine: () => Engine | Promise<Engine>;
  /** Relative tolerance of forward results against references (default 1e-5). */
  rtol?: number;
}

export function makeContext(engine: Engine, backend: string): SuiteContext {
  return {
    engine,
    backend,
    t: (values, shape, dtype) => createTensor(engine, values, shape, dtype),
    rand(shape, seed, lo = -1, hi = 1, dtype = 'float32') {
      const rng = new Random(seed);
      const n = shape.reduce((a, b) => a * b, 1);
      const vals = Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
      return createTensor(engine, dtype === 'int32' ? vals.map(Math.floor) : vals, shape, dtype);
    },
  };
}

function flat(v: NestedArray | ArrayLike<number>): number[] {
  if (typeof v === 'number') return [v];
  if (typeof v === 'boolean') return [v ? 1 : 0];
  if (Array.isArray(v)) return v.flatMap((x) => flat(x));
  return Array.from(v);
}

/** Asserts shape (when given) and values within atol + rtol·|expected| (NaN matches NaN). */
export function expectClose(
  actual: Tensor,
  expected: NestedArray | ArrayLike<number>,
  options: { shape?: readonly number[]; atol?: number; rtol?: number } = {},
): void {
  const { atol = 1e-5, rtol = 1e-5 } = options;
  if (options.shape) expect([...actual.shape]).toEqual([...options.shape]);
  const got = Array.from(actual.dataSync(), Number);
  const want = flat(expected);
  expect(got.length, `number of elements of a ${actual.shape.join('x')} tensor`).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (Number.isNaN(w)) {
      expect(Number.isNaN(g), `element ${i}: expected NaN, got ${g}`).toBe(true);
      return;
    }
    if (!Number.isFinite(w)) {
      expect(g, `element ${i}`).toBe(w);
      return;
    }
    expect(
      Math.abs(g - w) <= atol + rtol * Math.abs(w),
      `element ${i}: got ${g}, expected ${w}`,
    ).toBe(true);
  });
}

/** First-order check: analytic gradients against float64 central differences. */
export function expectGradCheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options?: Parameters<typeof gradCheck>[2],
): void {
  const report = gradCheck(f, inputs, options);
  expect(report.ok, report.summary).toBe(true);
}

/**
 * Second-order check: for each input i, the analytic gradient of (x ↦ ∂f/∂x_i)
 * against finite differences of that analytic gradient.
 */
export function expectSecondOrder(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options?: Parameters<typeof gradCheck>[2],
): void {
  const engine = inputs[0]!.engine;
  // A fixed, non-uniform seed for non-scalar outputs: checks vector-Jacobian products.
  const y = engine.withGradMode(false, () => f(...inputs));
  const rng = new Random(99);
  const dy = createTensor(
    engine,
    Array.from({ length: y.size }, () => 0.5 + rng.uniform()),
    y.shape,
    y.dtype,
  );
  y.dispose();
  inputs.forEach((_, i) => {
    const report = gradCheck(
      (...xs) => {
        const seed =
          xs[0]!.dtype === dy.dtype
            ? dy
            : (engine.run('Cast', [dy], { dtype: xs[0]!.dtype }) as Tensor);
        return grads(f)(xs, seed)[i]!;
      },
      inputs,
      options,
    );
    expect(report.ok, `d/dx of ∂f/∂x${i}:\n${report.summary}`).toBe(true);
  });
  dy.dispose();
}

/** Both checks. */
export function expectGradients(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options?: Parameters<typeof gradCheck>[2],
): void {
  expectGradCheck(f, inputs, options);
  expectSecondOrder(f, inputs, options);
}

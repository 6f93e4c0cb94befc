import type { DType } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import type { Operand } from './math-harness.js';
import { expectAccelerated, expectClose, runBoth, uniform } from './math-harness.js';

const SHAPE = [3, 5, 7];
const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Values of a dtype: bools with both values frequent, small integers (ties), or floats near 1 (products stay finite). */
function operand(shape: number[], dtype: DType, seed: number): Operand {
  const v = uniform(sizeOf(shape), seed, -2, 2);
  const values =
    dtype === 'bool'
      ? v.map((x) => (x > -1 ? 1 : 0))
      : dtype === 'int32'
        ? v.map(Math.round)
        : v.map((x) => 1 + x / 4);
  return { shape, values, dtype };
}

/** Contiguous axis runs (wasm kernels), a non-contiguous pair (CPU kernel) and every axis. */
const AXES = [[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]];

describe('reductions over any dtype match the CPU kernels', () => {
  const cases: [string, DType[]][] = [
    ['Prod', ['float32', 'int32', 'float64']],
    ['All', ['bool']],
    ['Any', ['bool']],
    ['Sum', ['int32', 'float64']],
    ['Max', ['int32', 'float64']],
    ['Min', ['int32', 'float64']],
  ];
  for (const [op, dtypes] of cases) {
    for (const dtype of dtypes) {
      it(`${op}: ${dtype}, every axis layout, keepDims both ways`, () => {
        expectAccelerated(op);
        AXES.forEach((axes, k) => {
          for (const keepDims of [false, true]) {
            const r = runBoth(op, [operand(SHAPE, dtype, k)], { axes, keepDims });
            expect(r.dtype).toBe(dtype);
            expectClose(r.wasm, r.cpu);
          }
        });
      });
    }
  }
  it('All and Any of an all-true, all-false and empty axis', () => {
    const ones = { shape: [2, 9], values: new Array<number>(18).fill(1), dtype: 'bool' as DType };
    const zeros = { shape: [2, 9], values: new Array<number>(18).fill(0), dtype: 'bool' as DType };
    expect(Array.from(runBoth('All', [ones], { axes: [1], keepDims: false }).wasm)).toEqual([1, 1]);
    expect(Array.from(runBoth('Any', [zeros], { axes: [1], keepDims: false }).wasm)).toEqual([
      0, 0,
    ]);
    const empty = { shape: [2, 0], values: [], dtype: 'bool' as DType };
    expect(Array.from(runBoth('All', [empty], { axes: [1], keepDims: false }).wasm)).toEqual([
      1, 1,
    ]);
    expect(Array.from(runBoth('Any', [empty], { axes: [1], keepDims: false }).wasm)).toEqual([
      0, 0,
    ]);
  });
  it('Prod propagates NaN and ±Infinity, and keeps -0', () => {
    const x = { shape: [4, 3], values: [2, NaN, 3, Infinity, -1, 2, -0, 5, 1, 1e30, 1e30, -1] };
    const r = runBoth('Prod', [x], { axes: [1], keepDims: false });
    expectClose(r.wasm, r.cpu);
    expectClose(r.wasm, [NaN, -Infinity, -0, -Infinity]);
  });
  it('int32 sums wrap like the CPU kernel', () => {
    const x = { shape: [3], values: [2147483647, 1, 5], dtype: 'int32' as DType };
    const r = runBoth('Sum', [x], { axes: [0], keepDims: false });
    expect(Array.from(r.wasm)).toEqual([-2147483643]);
  });
});

describe('ArgMax / ArgMin', () => {
  for (const op of ['ArgMax', 'ArgMin']) {
    for (const dtype of ['float32', 'int32', 'float64'] as DType[]) {
      it(`${op}: ${dtype}, every axis (ties: the first index)`, () => {
        expectAccelerated(op);
        for (let axis = 0; axis < 3; axis++) {
          // Small integers in every dtype, so that ties are frequent.
          const x = { ...operand(SHAPE, 'int32', axis), dtype };
          const r = runBoth(op, [x], { axis });
          expect(r.dtype).toBe('int32');
          expectClose(r.wasm, r.cpu);
        }
      });
    }
    it(`${op}: the first NaN wins, ±Infinity, -0 vs 0`, () => {
      const rows = [
        [NaN, 1, 2, NaN],
        [1, NaN, 5, -5],
        [-Infinity, Infinity, 0, 0],
        [-0, 0, 0, -0],
        [3, 3, 3, 3],
      ];
      const x = { shape: [5, 4], values: rows.flat() };
      const r = runBoth(op, [x], { axis: 1 });
      expectClose(r.wasm, r.cpu);
      expect(Array.from(r.wasm)).toEqual(op === 'ArgMax' ? [0, 1, 1, 0, 0] : [0, 1, 0, 0, 0]);
      const cols = runBoth(
        op,
        [{ shape: [4, 5], values: rows[0]!.map((_, j) => rows.map((row) => row[j]!)).flat() }],
        { axis: 0 },
      );
      expectClose(cols.wasm, r.wasm);
    });
  }
});

describe('Cumsum / Cumprod', () => {
  for (const op of ['Cumsum', 'Cumprod']) {
    for (const dtype of ['float32', 'int32', 'float64'] as DType[]) {
      it(`${op}: ${dtype}, every axis, exclusive and reverse`, () => {
        expectAccelerated(op);
        for (let axis = 0; axis < 3; axis++) {
          for (const exclusive of [false, true]) {
            for (const reverse of [false, true]) {
              const x = operand(SHAPE, dtype, axis + 3);
              const r = runBoth(op, [x], { axis, exclusive, reverse });
              expect(r.dtype).toBe(dtype);
              expectClose(r.wasm, r.cpu);
            }
          }
        }
      });
    }
    it(`${op}: hand-checked values, NaN, empty tensors`, () => {
      const x = { shape: [5], values: [1, 2, 3, NaN, 4] };
      const r = runBoth(op, [x], { axis: 0, exclusive: true, reverse: true });
      expectClose(r.wasm, r.cpu);
      expectClose(r.wasm, op === 'Cumsum' ? [NaN, NaN, NaN, 4, 0] : [NaN, NaN, NaN, 4, 1]);
      const empty = runBoth(op, [{ shape: [0, 3], values: [] }], {
        axis: 1,
        exclusive: false,
        reverse: false,
      });
      expect(empty.wasm.length).toBe(0);
    });
  }
});

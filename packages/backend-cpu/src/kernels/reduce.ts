import type { Kernel, Shape, TypedArray } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';
import { transposeValues } from './layout.js';
import type { CpuBackend } from '../backend.js';

interface ReduceAttrs {
  axes: number[];
  keepDims: boolean;
}

/**
 * Splits a reduction into (outer, reduced, inner) loops after moving the reduced axes
 * together. Contiguous reduced axes need no copy; otherwise the input is transposed first.
 */
export function reductionLayout(
  shape: Shape,
  axes: readonly number[],
  values: TypedArray,
): { values: TypedArray; outer: number; reduce: number; inner: number } {
  const contiguous = axes.every((a, i) => i === 0 || a === axes[i - 1]! + 1);
  if (contiguous && axes.length > 0) {
    const first = axes[0]!;
    const last = axes[axes.length - 1]!;
    return {
      values,
      outer: sizeFromShape(shape.slice(0, first)),
      reduce: sizeFromShape(shape.slice(first, last + 1)),
      inner: sizeFromShape(shape.slice(last + 1)),
    };
  }
  // Move kept axes first, reduced axes last.
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const moved = transposeValues(values, shape, perm);
  return {
    values: moved,
    outer: sizeFromShape(kept.map((i) => shape[i]!)),
    reduce: sizeFromShape(axes.map((i) => shape[i]!)),
    inner: 1,
  };
}

type Combine = (acc: number, v: number) => number;

/** A reduction kernel from an initial value and a combine function. */
export function reduceKernel(init: number, combine: Combine): Kernel<ReduceAttrs, CpuBackend> {
  return ({ inputs: [x], attrs, outputs: [spec], backend }) => {
    const { values, outer, reduce, inner } = reductionLayout(x!.shape, attrs.axes, backend.data(x!));
    const out = backend.alloc(spec!);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let acc = init;
        for (let r = 0, p = o * reduce * inner + i; r < reduce; r++, p += inner) acc = combine(acc, values[p]!);
        out[o * inner + i] = acc;
      }
    }
    return backend.output(out, spec!);
  };
}

export const reduceKernels: Record<string, Kernel> = {
  Sum: reduceKernel(0, (acc, v) => acc + v),
};

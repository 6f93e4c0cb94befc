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
    const { values, outer, reduce, inner } = reductionLayout(
      x!.shape,
      attrs.axes,
      backend.data(x!),
    );
    const out = backend.alloc(spec!);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let acc = init;
        for (let r = 0, p = o * reduce * inner + i; r < reduce; r++, p += inner)
          acc = combine(acc, values[p]!);
        out[o * inner + i] = acc;
      }
    }
    return backend.output(out, spec!);
  };
}

// Max/Min propagate NaN (once NaN, always NaN), as NumPy and PyTorch do.
const maxOf: Combine = (acc, v) => (v > acc || v !== v ? v : acc);
const minOf: Combine = (acc, v) => (v < acc || v !== v ? v : acc);

interface ArgReduceAttrs {
  axis: number;
}

/** Index of the first maximum (or minimum) along one axis; NaN counts as the extreme. */
function argReduceKernel(isMax: boolean): Kernel<ArgReduceAttrs, CpuBackend> {
  return ({ inputs: [x], attrs, outputs: [spec], backend }) => {
    const { values, outer, reduce, inner } = reductionLayout(
      x!.shape,
      [attrs.axis],
      backend.data(x!),
    );
    const out = backend.alloc(spec!);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const p0 = o * reduce * inner + i;
        let best = values[p0]!;
        let arg = 0;
        if (best === best) {
          for (let r = 1, p = p0 + inner; r < reduce; r++, p += inner) {
            const v = values[p]!;
            if (v !== v) {
              arg = r;
              break;
            }
            if (isMax ? v > best : v < best) {
              best = v;
              arg = r;
            }
          }
        }
        out[o * inner + i] = arg;
      }
    }
    return backend.output(out, spec!);
  };
}

interface ScanAttrs {
  axis: number;
  exclusive: boolean;
  reverse: boolean;
}

/** Cumulative sum or product along one axis (exclusive: shifted by one, starting at the identity). */
function scanKernel(identity: number, isProd: boolean): Kernel<ScanAttrs, CpuBackend> {
  return ({ inputs: [x], attrs, outputs: [spec], backend }) => {
    const shape = x!.shape;
    const { axis, exclusive, reverse } = attrs;
    const values = backend.data(x!);
    const out = backend.alloc(spec!);
    const outer = sizeFromShape(shape.slice(0, axis));
    const n = sizeFromShape(shape.slice(axis, axis + 1));
    const inner = sizeFromShape(shape.slice(axis + 1));
    const step = reverse ? -inner : inner;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let p = o * n * inner + i + (reverse ? (n - 1) * inner : 0);
        let acc = identity;
        for (let r = 0; r < n; r++, p += step) {
          const v = values[p]!;
          if (exclusive) {
            out[p] = acc;
            acc = isProd ? acc * v : acc + v;
          } else {
            acc = isProd ? acc * v : acc + v;
            out[p] = acc;
          }
        }
      }
    }
    return backend.output(out, spec!);
  };
}

export const reduceKernels: Record<string, Kernel> = {
  Sum: reduceKernel(0, (acc, v) => acc + v),
  Prod: reduceKernel(1, (acc, v) => acc * v),
  Max: reduceKernel(-Infinity, maxOf),
  Min: reduceKernel(Infinity, minOf),
  Any: reduceKernel(0, (acc, v) => (acc !== 0 || v !== 0 ? 1 : 0)),
  All: reduceKernel(1, (acc, v) => (acc !== 0 && v !== 0 ? 1 : 0)),
  ArgMax: argReduceKernel(true),
  ArgMin: argReduceKernel(false),
  Cumsum: scanKernel(0, false),
  Cumprod: scanKernel(1, true),
};

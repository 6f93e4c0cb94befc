import { sizeFromShape, stridesOf } from '@tapegrad/core';
import type { CpuKernel } from '../../backend.js';
import { transposeValues } from '../layout.js';
import { copyStrided } from './strided.js';

const Transpose: CpuKernel<{ perm: number[] }> = ({
  inputs: [x],
  attrs: { perm },
  outputs: [spec],
  backend,
}) => backend.output(transposeValues(backend.data(x!), x!.shape, perm), spec!);

const Slice: CpuKernel<{ begin: number[]; size: number[] }> = ({
  inputs: [x],
  attrs: { begin },
  outputs: [spec],
  backend,
}) => {
  const strides = stridesOf(x!.shape);
  const offset = begin.reduce((acc, b, i) => acc + b * strides[i]!, 0);
  const out = backend.alloc(spec!);
  copyStrided(backend.data(x!), offset, strides, out, 0, stridesOf(spec!.shape), spec!.shape);
  return backend.output(out, spec!);
};

const StridedSlice: CpuKernel<{ begin: number[]; size: number[]; strides: number[] }> = ({
  inputs: [x],
  attrs: { begin, strides },
  outputs: [spec],
  backend,
}) => {
  const inStrides = stridesOf(x!.shape);
  const out = backend.alloc(spec!);
  if (out.length === 0) return backend.output(out, spec!);
  const offset = begin.reduce((acc, b, i) => acc + b * inStrides[i]!, 0);
  const srcStrides = inStrides.map((s, i) => s * strides[i]!);
  copyStrided(backend.data(x!), offset, srcStrides, out, 0, stridesOf(spec!.shape), spec!.shape);
  return backend.output(out, spec!);
};

const Reverse: CpuKernel<{ axes: number[] }> = ({
  inputs: [x],
  attrs: { axes },
  outputs: [spec],
  backend,
}) => {
  const shape = x!.shape;
  const out = backend.alloc(spec!);
  if (out.length === 0) return backend.output(out, spec!);
  const strides = stridesOf(shape);
  let offset = 0;
  const srcStrides = strides.map((s, i) => {
    if (!axes.includes(i)) return s;
    offset += (shape[i]! - 1) * s;
    return -s;
  });
  copyStrided(backend.data(x!), offset, srcStrides, out, 0, strides, shape);
  return backend.output(out, spec!);
};

const Pad: CpuKernel<{ paddings: [number, number][]; constantValue: number }> = ({
  inputs: [x],
  attrs: { paddings, constantValue },
  outputs: [spec],
  backend,
}) => {
  const out = backend.alloc(spec!);
  const fill = spec!.dtype === 'bool' ? (constantValue ? 1 : 0) : constantValue;
  if (fill !== 0) out.fill(fill);
  const outStrides = stridesOf(spec!.shape);
  const offset = paddings.reduce((acc, p, i) => acc + p[0] * outStrides[i]!, 0);
  copyStrided(backend.data(x!), 0, stridesOf(x!.shape), out, offset, outStrides, x!.shape);
  return backend.output(out, spec!);
};

/** out[k] = x[k mod shape] per dimension, walking the output once. */
const Tile: CpuKernel<{ reps: number[] }> = ({ inputs: [x], outputs: [spec], backend }) => {
  const src = backend.data(x!);
  const shape = x!.shape;
  const outShape = spec!.shape;
  const out = backend.alloc(spec!);
  const size = sizeFromShape(outShape);
  if (size === 0) return backend.output(out, spec!);
  const rank = shape.length;
  const strides = stridesOf(shape);
  const counter = new Array<number>(rank).fill(0);
  let s = 0;
  for (let o = 0; o < size; o++) {
    out[o] = src[s]!;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]!++;
      s += strides[d]!;
      // Wrapped around x's dimension: back to its start.
      if (counter[d]! % shape[d]! === 0) s -= strides[d]! * shape[d]!;
      if (counter[d]! < outShape[d]!) break;
      counter[d] = 0;
    }
  }
  return backend.output(out, spec!);
};

export const layoutKernels: Record<string, CpuKernel> = {
  Transpose,
  Slice,
  StridedSlice,
  Reverse,
  Pad,
  Tile,
};

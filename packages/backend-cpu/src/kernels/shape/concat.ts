import { sizeFromShape } from '@tapegrad/core';
import type { OutputSpec, TensorInfo } from '@tapegrad/core';
import type { CpuKernel } from '../../backend.js';

/** Concat: each input is a [outer, size_i * inner] block copied row by row. */
const Concat: CpuKernel<{ axis: number }> = ({
  inputs,
  attrs: { axis },
  outputs: [spec],
  backend,
}) => {
  const out = backend.alloc(spec!);
  const outer = sizeFromShape(spec!.shape.slice(0, axis));
  const inner = sizeFromShape(spec!.shape.slice(axis + 1));
  const rowOut = spec!.shape[axis]! * inner;
  let col = 0;
  for (const t of inputs) {
    const v = backend.data(t);
    const row = t.shape[axis]! * inner;
    for (let o = 0; o < outer; o++) out.set(v.subarray(o * row, (o + 1) * row), o * rowOut + col);
    col += row;
  }
  return backend.output(out, spec!);
};

/** Split: the inverse of Concat, one output per piece. */
const Split: CpuKernel<{ axis: number; sizes: number[] }> = ({
  inputs: [x],
  attrs: { axis },
  outputs,
  backend,
}) => {
  const v = backend.data(x!);
  const outer = sizeFromShape(x!.shape.slice(0, axis));
  const inner = sizeFromShape(x!.shape.slice(axis + 1));
  const rowIn = x!.shape[axis]! * inner;
  let col = 0;
  return outputs.map((spec: OutputSpec): TensorInfo => {
    const out = backend.alloc(spec);
    const row = spec.shape[axis]! * inner;
    for (let o = 0; o < outer; o++)
      out.set(v.subarray(o * rowIn + col, o * rowIn + col + row), o * row);
    col += row;
    return backend.output(out, spec);
  });
};

export const concatKernels: Record<string, CpuKernel> = { Concat, Split };

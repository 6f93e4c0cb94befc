import type { Kernel, TypedArray } from '@tapegrad/core';
import { shapesEqual } from '@tapegrad/core';
import type { CpuBackend } from '../backend.js';
import { forEachBroadcast } from './broadcast.js';

type Scalar2 = (a: number, b: number) => number;

/**
 * A broadcasting binary kernel from a scalar function. Same-shape and scalar
 * operands take straight loops; everything else goes through forEachBroadcast.
 * Results are stored into the output's typed array (int32 truncates, bool is 0/1).
 */
export function binaryKernel(f: Scalar2): Kernel<unknown, CpuBackend> {
  return ({ inputs: [a, b], outputs: [spec], backend }) => {
    const x = backend.data(a!);
    const y = backend.data(b!);
    const out: TypedArray = backend.alloc(spec!);
    const n = out.length;
    if (shapesEqual(a!.shape, b!.shape)) {
      for (let i = 0; i < n; i++) out[i] = f(x[i]!, y[i]!);
    } else if (y.length === 1) {
      const v = y[0]!;
      for (let i = 0; i < n; i++) out[i] = f(x[i]!, v);
    } else if (x.length === 1) {
      const v = x[0]!;
      for (let i = 0; i < n; i++) out[i] = f(v, y[i]!);
    } else {
      forEachBroadcast(a!.shape, b!.shape, spec!.shape, (o, ia, ib) => {
        out[o] = f(x[ia]!, y[ib]!);
      });
    }
    return backend.output(out, spec!);
  };
}

/** Integer division as tfjs does it for int32 tensors (truncation is applied by Int32Array storage). */
const divide: Scalar2 = (a, b) => a / b;

export const binaryKernels: Record<string, Kernel> = {
  Add: binaryKernel((a, b) => a + b),
  Sub: binaryKernel((a, b) => a - b),
  Mul: binaryKernel((a, b) => a * b),
  Div: binaryKernel(divide),
};

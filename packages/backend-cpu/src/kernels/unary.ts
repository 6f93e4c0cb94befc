import type { Kernel } from '@tapegrad/core';
import type { CpuBackend } from '../backend.js';

type Scalar1 = (x: number) => number;

/** An elementwise kernel from a scalar function (output dtype from the op's spec). */
export function unaryKernel(f: Scalar1): Kernel<unknown, CpuBackend> {
  return ({ inputs: [a], outputs: [spec], backend }) => {
    const x = backend.data(a!);
    const out = backend.alloc(spec!);
    for (let i = 0; i < out.length; i++) out[i] = f(x[i]!);
    return backend.output(out, spec!);
  };
}

export const unaryKernels: Record<string, Kernel> = {
  Neg: unaryKernel((x) => -x),
  // Typed-array stores do the conversion: Int32Array truncates; bool needs an explicit test.
  Cast: (({ inputs: [a], outputs: [spec], backend }) => {
    const x = backend.data(a!);
    const out = backend.alloc(spec!);
    if (spec!.dtype === 'bool') for (let i = 0; i < out.length; i++) out[i] = x[i] !== 0 ? 1 : 0;
    else out.set(x);
    return backend.output(out, spec!);
  }) as Kernel<unknown, CpuBackend>,
};

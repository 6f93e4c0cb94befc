import { sizeFromShape } from '@tapegrad/core';
import type { CpuKernel } from '../backend.js';

interface AxisAttrs {
  axis: number;
}

/**
 * Softmax-family kernel: for every line along `axis`, subtracts the line's max for
 * stability, then writes either e^(x−m)/Σ or (x−m) − log Σ.
 */
function normalizeAlongAxis(log: boolean): CpuKernel<AxisAttrs> {
  return ({ inputs: [x], attrs: { axis }, outputs: [spec], backend }) => {
    const v = backend.data(x!);
    const out = backend.alloc(spec!);
    const shape = x!.shape;
    const n = shape[axis]!;
    const inner = sizeFromShape(shape.slice(axis + 1));
    const outer = sizeFromShape(shape.slice(0, axis));
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let max = -Infinity;
        for (let k = 0, p = base; k < n; k++, p += inner) if (v[p]! > max) max = v[p]!;
        if (max === -Infinity) max = 0; // all -Infinity: avoid (-Inf) − (-Inf)
        let total = 0;
        for (let k = 0, p = base; k < n; k++, p += inner) total += Math.exp(v[p]! - max);
        if (log) {
          const logTotal = Math.log(total);
          for (let k = 0, p = base; k < n; k++, p += inner) out[p] = v[p]! - max - logTotal;
        } else {
          for (let k = 0, p = base; k < n; k++, p += inner) out[p] = Math.exp(v[p]! - max) / total;
        }
      }
    }
    return backend.output(out, spec!);
  };
}

export const nnKernels: Record<string, CpuKernel> = {
  Softmax: normalizeAlongAxis(false),
  LogSoftmax: normalizeAlongAxis(true),
};

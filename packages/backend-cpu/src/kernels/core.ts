import type { CpuKernel } from '../backend.js';
import { forEachBroadcast } from './broadcast.js';

/** Kernels for core's own ops (AddN) and for BroadcastTo. */
export const coreKernels: Record<string, CpuKernel> = {
  AddN: ({ inputs, outputs: [spec], backend }) => {
    const out = backend.alloc(spec!);
    for (const t of inputs) {
      const v = backend.data(t);
      for (let i = 0; i < out.length; i++) out[i]! += v[i]!;
    }
    return backend.output(out, spec!);
  },
  BroadcastTo: ({ inputs: [x], outputs: [spec], backend }) => {
    const v = backend.data(x!);
    const out = backend.alloc(spec!);
    forEachBroadcast(x!.shape, [], spec!.shape, (o, ia) => {
      out[o] = v[ia]!;
    });
    return backend.output(out, spec!);
  },
};

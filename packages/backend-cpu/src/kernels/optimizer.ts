import type { AdamUpdateAttrs } from '@tapegrad/ops-math';
import { adamScalars } from '@tapegrad/ops-math';
import type { CpuKernel } from '../backend.js';

/** AdamUpdate in one loop, in double precision (each output rounded once to its dtype). */
const adamUpdate: CpuKernel<AdamUpdateAttrs> = ({ inputs, attrs, outputs, backend }) => {
  const [p, g, m, v] = inputs.map((t) => backend.data(t));
  const [pOut, mOut, vOut] = outputs.map((spec) => backend.alloc(spec));
  const { beta1, beta2, epsilon } = attrs;
  const { decay, stepSize, invSqrtBias2 } = adamScalars(attrs);
  for (let i = 0; i < pOut!.length; i++) {
    const gi = g![i]!;
    const mi = beta1 * m![i]! + (1 - beta1) * gi;
    const vi = beta2 * v![i]! + (1 - beta2) * gi * gi;
    mOut![i] = mi;
    vOut![i] = vi;
    pOut![i] = p![i]! * decay - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBias2 + epsilon);
  }
  return [pOut!, mOut!, vOut!].map((values, i) => backend.output(values, outputs[i]!));
};

export const optimizerKernels: Record<string, CpuKernel> = {
  AdamUpdate: adamUpdate,
};

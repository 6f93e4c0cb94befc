import type { AdamUpdateAttrs, MomentumUpdateAttrs } from '@tapegrad/ops-math';
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

/** MomentumUpdate in one loop: b ← μ·b + g; p ← p − lr·(Nesterov ? g + μ·b : b). */
const momentumUpdate: CpuKernel<MomentumUpdateAttrs> = ({ inputs, attrs, outputs, backend }) => {
  const [p, g, b] = inputs.map((t) => backend.data(t));
  const [pOut, bOut] = outputs.map((spec) => backend.alloc(spec));
  const { lr, momentum, nesterov } = attrs;
  for (let i = 0; i < pOut!.length; i++) {
    const gi = g![i]!;
    const bi = momentum * b![i]! + gi;
    bOut![i] = bi;
    pOut![i] = p![i]! - lr * (nesterov ? gi + momentum * bi : bi);
  }
  return [pOut!, bOut!].map((values, i) => backend.output(values, outputs[i]!));
};

export const optimizerKernels: Record<string, CpuKernel> = {
  AdamUpdate: adamUpdate,
  MomentumUpdate: momentumUpdate,
};

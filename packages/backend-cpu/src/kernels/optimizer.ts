import type { AdamUpdateAttrs, MomentumUpdateAttrs, RMSPropUpdateAttrs } from '@tapegrad/ops-math';
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

/** RMSPropUpdate in one loop; inputs and outputs [param, (grad,) squareAvg, gradAvg?, buf?]. */
const rmspropUpdate: CpuKernel<RMSPropUpdateAttrs> = ({ inputs, attrs, outputs, backend }) => {
  const [p, g, s, ...rest] = inputs.map((t) => backend.data(t));
  const [pOut, sOut, ...restOut] = outputs.map((spec) => backend.alloc(spec));
  const { lr, decay, momentum, epsilon, centered } = attrs;
  const [gAvg, gAvgOut] = centered ? [rest[0]!, restOut[0]!] : [null, null];
  const [buf, bufOut] =
    momentum > 0 ? [rest[rest.length - 1]!, restOut[restOut.length - 1]!] : [null, null];
  for (let i = 0; i < pOut!.length; i++) {
    const gi = g![i]!;
    const si = decay * s![i]! + (1 - decay) * gi * gi;
    sOut![i] = si;
    let avg = si;
    if (gAvg) {
      const ai = decay * gAvg[i]! + (1 - decay) * gi;
      gAvgOut[i] = ai;
      avg = si - ai * ai;
    }
    const step = gi / (Math.sqrt(avg) + epsilon);
    if (buf) {
      const bi = momentum * buf[i]! + step;
      bufOut[i] = bi;
      pOut![i] = p![i]! - lr * bi;
    } else pOut![i] = p![i]! - lr * step;
  }
  return [pOut!, sOut!, ...restOut].map((values, i) => backend.output(values, outputs[i]!));
};

export const optimizerKernels: Record<string, CpuKernel> = {
  RMSPropUpdate: rmspropUpdate,
  AdamUpdate: adamUpdate,
  MomentumUpdate: momentumUpdate,
};

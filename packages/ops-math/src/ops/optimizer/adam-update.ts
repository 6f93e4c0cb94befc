import type { OpDef, Tensor } from '@tapegrad/core';
import { engineOf } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { runMulti, toTensor } from '../../util.js';
import { add } from '../elementwise/add.js';
import { div } from '../elementwise/div.js';
import { mul } from '../elementwise/mul.js';
import { sqrt } from '../elementwise/sqrt.js';
import { square } from '../elementwise/square.js';
import { sub } from '../elementwise/sub.js';
import { checkHyperparameters, parameterShape } from './common.js';

/** Attributes of AdamUpdate: torch.optim.Adam/AdamW's hyperparameters and the step number. */
export interface AdamUpdateAttrs {
  /** Learning rate of this step. */
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** The 1-based step t of the bias corrections 1 − βᵗ. */
  step: number;
  /** Decoupled weight decay λ (AdamW): the parameter is first scaled by 1 − lr·λ; 0 for Adam. */
  weightDecay: number;
}

/** The per-step scalars of the Adam update, in float64 (see `adamScalars`). */
export interface AdamScalars {
  /** 1 − lr·λ, the decoupled weight decay factor. */
  decay: number;
  /** lr / (1 − β1ᵗ). */
  stepSize: number;
  /** 1 / √(1 − β2ᵗ). */
  invSqrtBias2: number;
}

/**
 * The scalars every AdamUpdate kernel and the composition share, computed once per call in
 * float64: the update is p ← p·decay − stepSize·m / (√v·invSqrtBias2 + ε), which is
 * torch's p − lr·(m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε) after AdamW's p ← p·(1 − lr·λ).
 *
 * @example
 * ```ts
 * const s = adamScalars({ lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1, weightDecay: 0.01 });
 * console.log([s.decay, s.stepSize]); // [0.999, 1]
 * ```
 */
export function adamScalars(attrs: AdamUpdateAttrs): AdamScalars {
  const { lr, beta1, beta2, step, weightDecay } = attrs;
  return {
    decay: 1 - lr * weightDecay,
    stepSize: lr / (1 - beta1 ** step),
    invSqrtBias2: 1 / Math.sqrt(1 - beta2 ** step),
  };
}

const INPUTS = ['param', 'grad', 'm', 'v'];

/**
 * One Adam/AdamW step as one op, outputs [param, m, v]: no gradient (the optimizer applies it
 * outside the tape). Backends run it in one pass; the composition is the reference.
 */
export const AdamUpdateOp: OpDef<AdamUpdateAttrs> = {
  name: 'AdamUpdate',
  inputNames: INPUTS,
  numOutputs: 3,
  nondifferentiable: true,
  inferShape(inputs, attrs) {
    checkHyperparameters('adamUpdate', attrs, {
      lr: 'nonNegative',
      beta1: 'decay',
      beta2: 'decay',
      epsilon: 'nonNegative',
      step: 'step',
      weightDecay: 'nonNegative',
    });
    const shape = parameterShape('adamUpdate', INPUTS, inputs);
    return [shape, shape, shape];
  },
  composite: ([p, g, m, v], attrs) => {
    const { beta1, beta2, epsilon } = attrs;
    const { decay, stepSize, invSqrtBias2 } = adamScalars(attrs);
    const m1 = add(mul(m!, beta1), mul(g!, 1 - beta1));
    const v1 = add(mul(v!, beta2), mul(square(g!), 1 - beta2));
    const denom = add(mul(sqrt(v1), invSqrtBias2), epsilon);
    const p1 = sub(decay === 1 ? p! : mul(p!, decay), div(mul(m1, stepSize), denom));
    return [p1, m1, v1];
  },
};

/** Options of `adamUpdate`; defaults are torch.optim.Adam's. */
export interface AdamUpdateOptions {
  lr: number;
  /** The 1-based step number t (bias corrections). */
  step: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay (AdamW); default 0 (Adam). */
  weightDecay?: number;
}

/**
 * One fused Adam (torch.optim.Adam) or AdamW (with `weightDecay`) step: from the parameter, its
 * gradient and the moments m, v, returns the new parameter and moments, computed in one pass:
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p·(1 − lr·λ) − lr·(m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε).
 * Not differentiable. `AdamOptimizer` and `AdamWOptimizer` (@tapegrad/optim) use it.
 *
 * @example
 * ```ts
 * const s = adamUpdate(tensor([1, 2]), [2, -4], [0, 0], [0, 0], { lr: 0.1, step: 1 });
 * s.param.print(); // [0.9, 2.1]
 * s.m.print(); // [0.2, -0.4]
 * s.v.print(); // [0.004, 0.016]
 * ```
 */
export function adamUpdate(
  param: Arg,
  grad: Arg,
  m: Arg,
  v: Arg,
  options: AdamUpdateOptions,
): { param: Tensor; m: Tensor; v: Tensor } {
  const engine = engineOf(param, grad, m, v);
  const p = toTensor(engine, param, 'param', 'adamUpdate');
  const [g, m0, v0] = [grad, m, v].map((x, i) =>
    toTensor(engine, x, INPUTS[i + 1]!, 'adamUpdate', p.dtype),
  );
  const attrs: AdamUpdateAttrs = {
    lr: options.lr,
    step: options.step,
    beta1: options.beta1 ?? 0.9,
    beta2: options.beta2 ?? 0.999,
    epsilon: options.epsilon ?? 1e-8,
    weightDecay: options.weightDecay ?? 0,
  };
  const [p1, m1, v1] = runMulti(engine, 'AdamUpdate', [p, g!, m0!, v0!], { ...attrs });
  return { param: p1!, m: m1!, v: v1! };
}

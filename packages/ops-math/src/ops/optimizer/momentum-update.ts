import type { OpDef, Tensor } from '@tapegrad/core';
import { ArgumentError, engineOf } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { runMulti, toTensor } from '../../util.js';
import { add } from '../elementwise/add.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { checkHyperparameters, parameterShape } from './common.js';

/** Attributes of MomentumUpdate: torch.optim.SGD's momentum (dampening 0) and Nesterov flag. */
export interface MomentumUpdateAttrs {
  lr: number;
  momentum: number;
  nesterov: boolean;
}

const INPUTS = ['param', 'grad', 'buf'];

/**
 * One SGD-with-momentum step as one op, outputs [param, buf]: b ← μ·b + g;
 * p ← p − lr·b, or with Nesterov p ← p − lr·(g + μ·b). No gradient.
 */
export const MomentumUpdateOp: OpDef<MomentumUpdateAttrs> = {
  name: 'MomentumUpdate',
  inputNames: INPUTS,
  numOutputs: 2,
  nondifferentiable: true,
  inferShape(inputs, attrs) {
    checkHyperparameters('momentumUpdate', attrs, { lr: 'nonNegative', momentum: 'nonNegative' });
    if (typeof attrs.nesterov !== 'boolean') {
      throw new ArgumentError(
        `momentumUpdate: nesterov must be true or false, got ${String(attrs.nesterov)}`,
      );
    }
    const shape = parameterShape('momentumUpdate', INPUTS, inputs);
    return [shape, shape];
  },
  composite: ([p, g, b], { lr, momentum, nesterov }) => {
    const b1 = add(mul(b!, momentum), g!);
    const direction = nesterov ? add(g!, mul(b1, momentum)) : b1;
    return [sub(p!, mul(direction, lr)), b1];
  },
};

/**
 * One fused SGD-with-momentum step (torch.optim.SGD, dampening 0): from the parameter, its
 * gradient and the momentum buffer, returns the new parameter and buffer in one pass:
 * b ← μ·b + g; p ← p − lr·b, or with `nesterov` p ← p − lr·(g + μ·b). Not differentiable.
 * `MomentumOptimizer` (@tapegrad/optim) uses it.
 *
 * @example
 * ```ts
 * const s = momentumUpdate(tensor([1, 2]), [1, -1], [0.5, 0.5], { lr: 0.1, momentum: 0.9 });
 * s.buf.print(); // [1.45, -0.55]
 * s.param.print(); // [0.855, 2.055]
 * ```
 */
export function momentumUpdate(
  param: Arg,
  grad: Arg,
  buf: Arg,
  options: { lr: number; momentum: number; nesterov?: boolean },
): { param: Tensor; buf: Tensor } {
  const engine = engineOf(param, grad, buf);
  const p = toTensor(engine, param, 'param', 'momentumUpdate');
  const g = toTensor(engine, grad, 'grad', 'momentumUpdate', p.dtype);
  const b = toTensor(engine, buf, 'buf', 'momentumUpdate', p.dtype);
  const attrs: MomentumUpdateAttrs = {
    lr: options.lr,
    momentum: options.momentum,
    nesterov: options.nesterov ?? false,
  };
  const [p1, b1] = runMulti(engine, 'MomentumUpdate', [p, g, b], { ...attrs });
  return { param: p1!, buf: b1! };
}

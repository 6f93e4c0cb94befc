import type { OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { assertNumberAttr, elementwiseUnary, runUnary, zeroGrad } from './common.js';

// Piecewise constant: zero gradient.
export const StepOp: OpDef<{ alpha: number }> = elementwiseUnary<{ alpha: number }>('Step', {
  grad: zeroGrad,
});

/**
 * 1 for x > 0, alpha otherwise (NaN stays NaN), as tfjs (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * step(tensor([-1, 0, 2])).print(); // [0, 0, 1]
 * ```
 */
export function step(x: Arg, alpha = 0): Tensor {
  assertNumberAttr('step', 'alpha', alpha);
  return runUnary('step', 'Step', x, 'float', { alpha });
}

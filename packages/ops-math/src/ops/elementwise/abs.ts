import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { mul } from './mul.js';
import { sign } from './sign.js';

// |x|' = sign(x) (0 at 0, as tfjs).
export const AbsOp = elementwiseUnary('Abs', {
  dtypes: 'numeric',
  grad: (dy, { inputs: [x] }) => [mul(dy, sign(x!))],
});

/**
 * |x| (int32 stays int32; bool is cast to int32).
 *
 * @example
 * ```ts
 * abs(tensor([-1.5, 2])).print(); // [1.5, 2]
 * ```
 */
export function abs(x: Arg): Tensor {
  return runUnary('abs', 'Abs', x, 'numeric');
}

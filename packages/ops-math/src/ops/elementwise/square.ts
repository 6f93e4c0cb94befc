import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { mul } from './mul.js';

export const SquareOp = elementwiseUnary('Square', {
  dtypes: 'numeric',
  grad: (dy, { inputs: [x] }) => [mul(dy, mul(x!, 2))],
});

/**
 * x², elementwise (int32 stays int32; bool is cast to int32).
 *
 * @example
 * ```ts
 * square(tensor([-3, 2])).print(); // [9, 4]
 * ```
 */
export function square(x: Arg): Tensor {
  return runUnary('square', 'Square', x, 'numeric');
}

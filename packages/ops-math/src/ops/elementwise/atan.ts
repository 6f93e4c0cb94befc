import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { add } from './add.js';
import { div } from './div.js';
import { square } from './square.js';

// d(atan x)/dx = 1/(1 + x²).
export const AtanOp = elementwiseUnary('Atan', {
  grad: (dy, { inputs: [x] }) => [div(dy, add(square(x!), 1))],
});

/**
 * Arctangent (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * atan(tensor([0, 1])).print(); // [0, 0.7854]
 * ```
 */
export function atan(x: Arg): Tensor {
  return runUnary('atan', 'Atan', x, 'float');
}

import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { div } from './div.js';
import { square } from './square.js';
import { sub } from './sub.js';

// d(atanh x)/dx = 1/(1 - x²).
export const AtanhOp = elementwiseUnary('Atanh', {
  grad: (dy, { inputs: [x] }) => [div(dy, sub(1, square(x!)))],
});

/**
 * Inverse hyperbolic tangent (NaN outside [-1, 1]; int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * atanh(tensor([0, 0.5])).print(); // [0, 0.5493]
 * ```
 */
export function atanh(x: Arg): Tensor {
  return runUnary('atanh', 'Atanh', x, 'float');
}

import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { add } from './add.js';
import { div } from './div.js';
import { sqrt } from './sqrt.js';
import { square } from './square.js';

// d(asinh x)/dx = 1/√(x² + 1).
export const AsinhOp = elementwiseUnary('Asinh', {
  grad: (dy, { inputs: [x] }) => [div(dy, sqrt(add(square(x!), 1)))],
});

/**
 * Inverse hyperbolic sine (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * asinh(tensor([0, 1])).print(); // [0, 0.8814]
 * ```
 */
export function asinh(x: Arg): Tensor {
  return runUnary('asinh', 'Asinh', x, 'float');
}

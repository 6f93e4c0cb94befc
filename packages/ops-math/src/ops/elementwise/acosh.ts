import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { div } from './div.js';
import { sqrt } from './sqrt.js';
import { square } from './square.js';
import { sub } from './sub.js';

// d(acosh x)/dx = 1/√(x² - 1).
export const AcoshOp = elementwiseUnary('Acosh', {
  grad: (dy, { inputs: [x] }) => [div(dy, sqrt(sub(square(x!), 1)))],
});

/**
 * Inverse hyperbolic cosine (NaN for x < 1; int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * acosh(tensor([1, 2])).print(); // [0, 1.317]
 * ```
 */
export function acosh(x: Arg): Tensor {
  return runUnary('acosh', 'Acosh', x, 'float');
}

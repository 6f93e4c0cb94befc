import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { div } from './div.js';
import { sqrt } from './sqrt.js';
import { square } from './square.js';
import { sub } from './sub.js';

// d(asin x)/dx = 1/√(1 - x²).
export const AsinOp = elementwiseUnary('Asin', {
  grad: (dy, { inputs: [x] }) => [div(dy, sqrt(sub(1, square(x!))))],
});

/**
 * Arcsine (NaN outside [-1, 1]; int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * asin(tensor([0, 1])).print(); // [0, 1.5708]
 * ```
 */
export function asin(x: Arg): Tensor {
  return runUnary('asin', 'Asin', x, 'float');
}

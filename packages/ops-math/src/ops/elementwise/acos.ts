import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { div } from './div.js';
import { neg } from './neg.js';
import { sqrt } from './sqrt.js';
import { square } from './square.js';
import { sub } from './sub.js';

// d(acos x)/dx = -1/√(1 - x²).
export const AcosOp = elementwiseUnary('Acos', {
  grad: (dy, { inputs: [x] }) => [neg(div(dy, sqrt(sub(1, square(x!)))))],
});

/**
 * Arccosine (NaN outside [-1, 1]; int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * acos(tensor([1, 0])).print(); // [0, 1.5708]
 * ```
 */
export function acos(x: Arg): Tensor {
  return runUnary('acos', 'Acos', x, 'float');
}

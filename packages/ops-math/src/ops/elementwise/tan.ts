import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { cos } from './cos.js';
import { div } from './div.js';
import { square } from './square.js';

// d(tan x)/dx = 1/cos²x.
export const TanOp = elementwiseUnary('Tan', {
  grad: (dy, { inputs: [x] }) => [div(dy, square(cos(x!)))],
});

/**
 * Tangent (radians; int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * tan(tensor([0, Math.PI / 4])).print(); // [0, 1]
 * ```
 */
export function tan(x: Arg): Tensor {
  return runUnary('tan', 'Tan', x, 'float');
}

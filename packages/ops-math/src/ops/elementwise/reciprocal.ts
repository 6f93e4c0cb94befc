import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { square } from './square.js';

// d(1/x)/dx = -1/x² = -y².
export const ReciprocalOp = elementwiseUnary('Reciprocal', {
  grad: (dy, { outputs: [y] }) => [neg(mul(dy, square(y!)))],
});

/**
 * 1/x (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * reciprocal(tensor([2, -4])).print(); // [0.5, -0.25]
 * ```
 */
export function reciprocal(x: Arg): Tensor {
  return runUnary('reciprocal', 'Reciprocal', x, 'float');
}

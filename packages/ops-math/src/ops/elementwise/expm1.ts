import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { add } from './add.js';
import { mul } from './mul.js';

// d(e^x - 1)/dx = e^x = y + 1.
export const Expm1Op = elementwiseUnary('Expm1', {
  grad: (dy, { outputs: [y] }) => [mul(dy, add(y!, 1))],
});

/**
 * e^x - 1, accurate for small x (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * expm1(tensor([0, 1])).print(); // [0, 1.7183]
 * ```
 */
export function expm1(x: Arg): Tensor {
  return runUnary('expm1', 'Expm1', x, 'float');
}

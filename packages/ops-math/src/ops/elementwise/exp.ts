import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { mul } from './mul.js';

export const ExpOp = elementwiseUnary('Exp', {
  grad: (dy, { outputs: [y] }) => [mul(dy, y!)],
});

/**
 * e^x, elementwise (int32 and bool inputs are cast to float32, as in tfjs).
 *
 * @example
 * ```ts
 * exp(tensor([0, 1])).print(); // [1, 2.7183]
 * ```
 */
export function exp(x: Arg): Tensor {
  return runUnary('exp', 'Exp', x, 'float');
}

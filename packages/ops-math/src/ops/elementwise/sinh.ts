import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { cosh } from './cosh.js';
import { mul } from './mul.js';

export const SinhOp = elementwiseUnary('Sinh', {
  grad: (dy, { inputs: [x] }) => [mul(dy, cosh(x!))],
});

/**
 * Hyperbolic sine (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * sinh(tensor([0, 1])).print(); // [0, 1.1752]
 * ```
 */
export function sinh(x: Arg): Tensor {
  return runUnary('sinh', 'Sinh', x, 'float');
}

import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { exp } from './exp.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { square } from './square.js';

// d erf(x)/dx = 2/√π · e^(-x²).
export const ErfOp = elementwiseUnary('Erf', {
  grad: (dy, { inputs: [x] }) => [mul(dy, mul(exp(neg(square(x!))), 2 / Math.sqrt(Math.PI)))],
});

/**
 * Gauss error function (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * erf(tensor([0, 1])).print(); // [0, 0.8427]
 * ```
 */
export function erf(x: Arg): Tensor {
  return runUnary('erf', 'Erf', x, 'float');
}

import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { mul } from './mul.js';
import { sigmoid } from './sigmoid.js';

// d softplus(x)/dx = σ(x).
export const SoftplusOp = elementwiseUnary('Softplus', {
  grad: (dy, { inputs: [x] }) => [mul(dy, sigmoid(x!))],
});

/**
 * log(1 + e^x), computed without overflow (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * softplus(tensor([0, 2])).print(); // [0.6931, 2.1269]
 * ```
 */
export function softplus(x: Arg): Tensor {
  return runUnary('softplus', 'Softplus', x, 'float');
}

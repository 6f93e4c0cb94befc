import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { mul } from './mul.js';
import { sinh } from './sinh.js';

export const CoshOp = elementwiseUnary('Cosh', {
  grad: (dy, { inputs: [x] }) => [mul(dy, sinh(x!))],
});

/**
 * Hyperbolic cosine (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * cosh(tensor([0, 1])).print(); // [1, 1.5431]
 * ```
 */
export function cosh(x: Arg): Tensor {
  return runUnary('cosh', 'Cosh', x, 'float');
}

import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';

export const IsNaNOp = elementwiseUnary('IsNaN', {
  dtypes: 'any',
  inferDtype: () => 'bool',
  nondifferentiable: true,
});

/**
 * Whether each element is NaN (a bool tensor; always false for int32 and bool).
 *
 * @example
 * ```ts
 * isNaN(tensor([NaN, 1])).print(); // [true, false]
 * ```
 */
export function isNaN(x: Arg): Tensor {
  return runUnary('isNaN', 'IsNaN', x, 'any');
}

import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';

export const IsInfOp = elementwiseUnary('IsInf', {
  dtypes: 'any',
  inferDtype: () => 'bool',
  nondifferentiable: true,
});

/**
 * Whether each element is +Infinity or -Infinity (a bool tensor).
 *
 * @example
 * ```ts
 * isInf(tensor([Infinity, -Infinity, 1])).print(); // [true, true, false]
 * ```
 */
export function isInf(x: Arg): Tensor {
  return runUnary('isInf', 'IsInf', x, 'any');
}

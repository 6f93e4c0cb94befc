import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';

export const LogicalNotOp = elementwiseUnary('LogicalNot', {
  dtypes: 'bool',
  nondifferentiable: true,
});

/**
 * NOT x, elementwise (x must be bool).
 *
 * @example
 * ```ts
 * logicalNot(tensor([true, false])).print(); // [false, true]
 * ```
 */
export function logicalNot(x: Arg): Tensor {
  return runUnary('logicalNot', 'LogicalNot', x, 'bool');
}

import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { comparisonOp, runBinary } from './common.js';

export const EqualOp = comparisonOp('Equal');

/**
 * a == b, elementwise with broadcasting: a bool tensor (operands are upcast to one dtype; NaN compares false except for notEqual).
 *
 * @example
 * ```ts
 * equal(tensor([1, 2]), tensor([1, 3])).print(); // [true, false]
 * ```
 */
export function equal(a: Arg, b: Arg): Tensor {
  return runBinary('equal', 'Equal', a, b, 'any');
}

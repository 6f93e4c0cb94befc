import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { comparisonOp, runBinary } from './common.js';

export const NotEqualOp = comparisonOp('NotEqual');

/**
 * a != b, elementwise with broadcasting: a bool tensor (operands are upcast to one dtype; NaN compares false except for notEqual).
 *
 * @example
 * ```ts
 * notEqual(tensor([1, 2]), tensor([1, 3])).print(); // [false, true]
 * ```
 */
export function notEqual(a: Arg, b: Arg): Tensor {
  return runBinary('notEqual', 'NotEqual', a, b, 'any');
}

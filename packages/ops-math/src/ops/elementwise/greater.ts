import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { comparisonOp, runBinary } from './common.js';

export const GreaterOp = comparisonOp('Greater');

/**
 * a > b, elementwise with broadcasting: a bool tensor (operands are upcast to one dtype; NaN compares false except for notEqual).
 *
 * @example
 * ```ts
 * greater(tensor([1, 3]), 2).print(); // [false, true]
 * ```
 */
export function greater(a: Arg, b: Arg): Tensor {
  return runBinary('greater', 'Greater', a, b, 'any');
}

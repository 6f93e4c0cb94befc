import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { comparisonOp, runBinary } from './common.js';

export const LessEqualOp = comparisonOp('LessEqual');

/**
 * a <= b, elementwise with broadcasting: a bool tensor (operands are upcast to one dtype; NaN compares false except for notEqual).
 *
 * @example
 * ```ts
 * lessEqual(tensor([2, 3]), 2).print(); // [true, false]
 * ```
 */
export function lessEqual(a: Arg, b: Arg): Tensor {
  return runBinary('lessEqual', 'LessEqual', a, b, 'any');
}

import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { comparisonOp, runBinary } from './common.js';

export const EqualOp = comparisonOp('Equal');

/** a == b, elementwise with broadcasting: a bool tensor (operands are upcast to one dtype; NaN compares false except for notEqual). */
export function equal(a: Arg, b: Arg): Tensor {
  return runBinary('equal', 'Equal', a, b, 'any');
}

import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';

export const LogicalAndOp = elementwiseBinary('LogicalAnd', {
  dtypes: 'bool',
  nondifferentiable: true,
});

/**
 * a AND b, elementwise with broadcasting (both must be bool, as in tfjs).
 *
 * @example
 * ```ts
 * logicalAnd(tensor([true, true]), tensor([true, false])).print(); // [true, false]
 * ```
 */
export function logicalAnd(a: Arg, b: Arg): Tensor {
  return runBinary('logicalAnd', 'LogicalAnd', a, b, 'bool');
}

import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { composed, elementwiseBinary, runBinary } from './common.js';
import { logicalAnd } from './logical-and.js';
import { logicalNot } from './logical-not.js';
import { logicalOr } from './logical-or.js';

// Composite (as tfjs): (a OR b) AND NOT (a AND b).
export const LogicalXorOp = elementwiseBinary('LogicalXor', {
  dtypes: 'bool',
  nondifferentiable: true,
  composite: ([a, b]) =>
    composed([a!, b!], () => logicalAnd(logicalOr(a!, b!), logicalNot(logicalAnd(a!, b!)))),
});

/**
 * a XOR b, elementwise with broadcasting (both must be bool).
 *
 * @example
 * ```ts
 * logicalXor(tensor([true, true]), tensor([true, false])).print(); // [false, true]
 * ```
 */
export function logicalXor(a: Arg, b: Arg): Tensor {
  return runBinary('logicalXor', 'LogicalXor', a, b, 'bool');
}

import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { logicalReduce, logicalReduceOp } from './any.js';

export const AllOp = logicalReduceOp('All', 'all');

/**
 * Logical AND over `axis` (all axes by default).
 *
 * @example
 * ```ts
 * all(tensor([[true, false], [true, true]]), 1).print(); // [false, true]
 * ```
 */
export function all(x: Arg, axis?: number | number[] | null, keepDims = false): Tensor {
  return logicalReduce('All', 'all', x, axis, keepDims);
}

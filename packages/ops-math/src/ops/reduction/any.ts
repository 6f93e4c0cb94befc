import type { OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { cast, run } from '../../util.js';
import type { ReduceAttrs } from './common.js';
import { reduceArgs, reduceOp } from './common.js';

/** Definition of Any / All: bool in, bool out, no gradient. */
export function logicalReduceOp(name: string, op: string): OpDef<ReduceAttrs> {
  return reduceOp(name, op, { nondifferentiable: true, inferDtype: () => 'bool' });
}

/** Runs Any / All; non-bool inputs are converted to bool (non-zero is true). */
export function logicalReduce(
  name: string,
  op: string,
  x: Arg,
  axis: number | number[] | null | undefined,
  keepDims: boolean,
): Tensor {
  const r = reduceArgs(op, x, axis);
  const t = r.t.dtype === 'bool' ? r.t : cast(r.t, 'bool');
  return run(r.engine, name, [t], { axes: r.axes, keepDims });
}

export const AnyOp = logicalReduceOp('Any', 'any');

/**
 * Logical OR over `axis` (all axes by default).
 *
 * @example
 * ```ts
 * any(tensor([false, true])).print(); // true
 * ```
 */
export function any(x: Arg, axis?: number | number[] | null, keepDims = false): Tensor {
  return logicalReduce('Any', 'any', x, axis, keepDims);
}

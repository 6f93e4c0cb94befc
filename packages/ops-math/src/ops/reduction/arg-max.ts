import type { OpDef, Tensor } from '@tapegrad/core';
import { engineOf, normalizeAxis } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run, toTensor } from '../../util.js';
import type { ArgReduceAttrs } from './common.js';
import { checkAxisAttr, reducedShape } from './common.js';

/** Definition of ArgMax / ArgMin: one axis removed, int32 indices, no gradient. */
export function argReduceOp(name: string, op: string): OpDef<ArgReduceAttrs> {
  return {
    name,
    inputNames: ['x'],
    nondifferentiable: true,
    inferShape([x], { axis }) {
      checkAxisAttr(op, x!.shape, axis);
      return reducedShape(x!.shape, [axis], false);
    },
    inferDtype: () => 'int32',
  };
}

/** Runs ArgMax / ArgMin with a normalized axis. */
export function argReduce(name: string, op: string, x: Arg, axis: number): Tensor {
  const engine = engineOf(x);
  const t = toTensor(engine, x, 'x', op);
  return run(engine, name, [t], { axis: normalizeAxis(op, axis, t.rank) });
}

export const ArgMaxOp = argReduceOp('ArgMax', 'argMax');

/**
 * Index (int32) of the maximum along `axis` (default 0, as in tfjs); the first one on ties.
 *
 * @example
 * ```ts
 * argMax(tensor([[1, 5], [7, 2]]), 1).print(); // [1, 0]
 * ```
 */
export function argMax(x: Arg, axis = 0): Tensor {
  return argReduce('ArgMax', 'argMax', x, axis);
}

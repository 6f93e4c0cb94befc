import type { OpDef, Tensor } from '@tapegrad/core';
import { ShapeError, engineOf, fmtShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape, run, toTensor } from '../../util.js';

export const BroadcastToOp: OpDef<{ shape: number[] }> = {
  name: 'BroadcastTo',
  inputNames: ['x'],
  inferShape([x], { shape }) {
    const xs = x!.shape;
    const ok =
      xs.length <= shape.length &&
      xs.every((d, i) => d === 1 || d === shape[shape.length - xs.length + i]);
    if (!ok) {
      throw new ShapeError(
        `broadcastTo: x of shape ${fmtShape(xs)} cannot be broadcast to ${fmtShape(shape)} ` +
          `(each dimension must equal the target's or be 1, and the rank must not exceed it)`,
      );
    }
    return shape;
  },
  grad: (dy, { inputs: [x] }) => [reduceToShape(dy, x!.shape)],
};

/**
 * Repeats x along size-1 (and new leading) dimensions to reach `shape`.
 *
 * @example
 * ```ts
 * broadcastTo(tensor([1, 2]), [2, 2]).print(); // [[1, 2], [1, 2]]
 * ```
 */
export function broadcastTo(x: Arg, shape: readonly number[]): Tensor {
  const engine = engineOf(x);
  const t = toTensor(engine, x, 'x', 'broadcastTo');
  return run(engine, 'BroadcastTo', [t], { shape: [...shape] });
}

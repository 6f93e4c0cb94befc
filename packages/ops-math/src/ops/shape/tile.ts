import type { OpDef, Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { intList, maybeReshape, toData } from './common.js';

export interface TileAttrs {
  /** Repetitions per dimension (non-negative, one per dimension). */
  reps: number[];
}

export const TileOp: OpDef<TileAttrs> = {
  name: 'Tile',
  inputNames: ['x'],
  inferShape([x], { reps }) {
    const shape = x!.shape;
    if (reps.length !== shape.length || reps.some((r) => !Number.isInteger(r) || r < 0)) {
      throw new ShapeError(
        `tile: reps [${reps.join(',')}] must hold one non-negative integer per dimension of x ${fmtShape(shape)} (${shape.length})`,
      );
    }
    return shape.map((d, i) => d * reps[i]!);
  },
  // dy [r0*d0, r1*d1, ...] -> [r0, d0, r1, d1, ...] summed over the r axes.
  grad: (dy, { inputs: [x], attrs: { reps } }) => {
    const shape = x!.shape;
    if (reps.every((r) => r === 1)) return [dy];
    const split = shape.flatMap((d, i) => [reps[i]!, d]);
    const axes = shape.map((_, i) => 2 * i);
    const summed = run(dy.engine, 'Sum', [maybeReshape(dy, split)], { axes, keepDims: false });
    return [maybeReshape(summed, shape)];
  },
};

/**
 * Repeats x reps[i] times along dimension i.
 *
 * @example
 * ```ts
 * tile(tensor([1, 2]), [2]).print(); // [1, 2, 1, 2]
 * ```
 */
export function tile(x: Arg, reps: readonly number[]): Tensor {
  const [engine, t] = toData(x, 'tile');
  return run(engine, 'Tile', [t], { reps: intList('tile', 'reps', reps, t.rank) });
}

import type { Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape, normalizeAxes } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { toData } from './common.js';

/**
 * Removes dimensions of size 1: all of them, or those in `axis` (which must have size 1). Shares x's data.
 *
 * @example
 * ```ts
 * squeeze(tensor([[1], [2]])).print(); // [1, 2]
 * ```
 */
export function squeeze(x: Arg, axis?: number | readonly number[]): Tensor {
  const [engine, t] = toData(x, 'squeeze');
  let drop: number[];
  if (axis === undefined || axis === null) {
    drop = t.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  } else {
    drop = normalizeAxes('squeeze', axis, t.rank);
    const bad = drop.find((i) => t.shape[i] !== 1);
    if (bad !== undefined) {
      throw new ShapeError(
        `squeeze: cannot squeeze axis ${bad} of x ${fmtShape(t.shape)}: its size is ${t.shape[bad]}, not 1`,
      );
    }
  }
  const shape = t.shape.filter((_, i) => !drop.includes(i));
  return run(engine, 'Reshape', [t], { shape });
}

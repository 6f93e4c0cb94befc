import type { Tensor } from '@tapegrad/core';
import { ShapeError } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { toData } from './common.js';

/**
 * Inserts a dimension of size 1 at `axis` (default 0; -1 appends). Shares x's data (a reshape).
 *
 * @example
 * ```ts
 * expandDims(tensor([1, 2]), 1).print(); // [[1], [2]]
 * ```
 */
export function expandDims(x: Arg, axis = 0): Tensor {
  const [engine, t] = toData(x, 'expandDims');
  const rank = t.rank;
  if (!Number.isInteger(axis) || axis < -(rank + 1) || axis > rank) {
    throw new ShapeError(
      `expandDims: axis ${axis} is out of range for x of rank ${rank} (valid: ${-(rank + 1)}..${rank})`,
    );
  }
  const ax = axis < 0 ? axis + rank + 1 : axis;
  const shape = [...t.shape];
  shape.splice(ax, 0, 1);
  return run(engine, 'Reshape', [t], { shape });
}

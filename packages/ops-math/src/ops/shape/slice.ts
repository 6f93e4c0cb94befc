import type { OpDef, Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { toData } from './common.js';

export interface SliceAttrs {
  /** Start of the slice in every dimension (non-negative). */
  begin: number[];
  /** Size of the slice in every dimension (non-negative, explicit). */
  size: number[];
}

export const SliceOp: OpDef<SliceAttrs> = {
  name: 'Slice',
  inputNames: ['x'],
  inferShape([x], { begin, size }) {
    const shape = x!.shape;
    if (begin.length !== shape.length || size.length !== shape.length) {
      throw new ShapeError(
        `slice: begin [${begin.join(',')}] and size [${size.join(',')}] must have one entry per dimension of x ${fmtShape(shape)}`,
      );
    }
    shape.forEach((d, i) => {
      const b = begin[i]!;
      const s = size[i]!;
      if (!Number.isInteger(b) || !Number.isInteger(s) || b < 0 || s < 0 || b + s > d) {
        throw new ShapeError(
          `slice: begin [${begin.join(',')}] with size [${size.join(',')}] is out of bounds for x ${fmtShape(shape)} ` +
            `in dimension ${i} (begin ${b}, size ${s}, dimension ${d}; valid: 0 <= begin and begin + size <= ${d}, size -1 means "to the end")`,
        );
      }
    });
    return [...size];
  },
  grad: (dy, { inputs: [x], attrs: { begin, size } }) => [
    run(dy.engine, 'Pad', [dy], {
      paddings: begin.map((b, i) => [b, x!.shape[i]! - b - size[i]!]),
      constantValue: 0,
    }),
  ],
};

function listArg(op: string, arg: string, v: unknown, rank: number, fill: number): number[] {
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || !list.every((d) => typeof d === 'number' && Number.isInteger(d))) {
    throw new ShapeError(
      `${op}: ${arg} must be an integer or an array of integers, got ${String(v)}`,
    );
  }
  if (list.length > rank) {
    throw new ShapeError(
      `${op}: ${arg} [${list.join(',')}] has more entries than x has dimensions (${rank})`,
    );
  }
  return [...(list as number[]), ...new Array<number>(rank - list.length).fill(fill)];
}

/**
 * Extracts a slice of `size` starting at `begin` (tfjs semantics): begin and size may be
 * numbers (for the first dimension) or shorter than the rank (the rest is taken whole);
 * a size of -1 means "to the end of the dimension".
 *
 * @example
 * ```ts
 * slice(tensor([1, 2, 3, 4]), [1], [2]).print(); // [2, 3]
 * tensor([[1, 2, 3], [4, 5, 6]]).slice([0, 1], [2, -1]).print(); // [[2, 3], [5, 6]]
 * ```
 */
export function slice(
  x: Arg,
  begin: number | readonly number[],
  size?: number | readonly number[],
): Tensor {
  const [engine, t] = toData(x, 'slice');
  const rank = t.rank;
  if (rank === 0)
    throw new ShapeError('slice: x is a scalar (rank 0); slicing needs at least one dimension');
  const b = listArg('slice', 'begin', begin, rank, 0);
  const s = listArg('slice', 'size', size ?? -1, rank, -1);
  const resolved = s.map((d, i) => {
    if (d === -1) return Math.max(t.shape[i]! - b[i]!, 0);
    if (d < -1) {
      throw new ShapeError(
        `slice: size [${s.join(',')}] has ${d} in dimension ${i}; sizes must be >= 0, or -1 for "to the end"`,
      );
    }
    return d;
  });
  return run(engine, 'Slice', [t], { begin: b, size: resolved });
}

import type { OpDef, Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { intList, inversePerm, toData } from './common.js';

export interface TransposeAttrs {
  /** Output dimension i is input dimension perm[i]. */
  perm: number[];
}

export const TransposeOp: OpDef<TransposeAttrs> = {
  name: 'Transpose',
  inputNames: ['x'],
  inferShape([x], { perm }) {
    const rank = x!.shape.length;
    const seen = new Set<number>();
    const ok =
      perm.length === rank &&
      perm.every(
        (p) =>
          Number.isInteger(p) && p >= 0 && p < rank && !seen.has(p) && seen.add(p) !== undefined,
      );
    if (!ok) {
      throw new ShapeError(
        `transpose: perm [${perm.join(',')}] is not a permutation of the ${rank} dimensions of x ${fmtShape(x!.shape)} ` +
          `(valid: each of 0..${rank - 1} exactly once; negative entries count from the end)`,
      );
    }
    return perm.map((p) => x!.shape[p]!);
  },
  grad: (dy, { attrs }) => [run(dy.engine, 'Transpose', [dy], { perm: inversePerm(attrs.perm) })],
};

/**
 * Permutes the dimensions of x (default: reverses them, as a matrix transpose). Negative entries count from the end.
 *
 * @example
 * ```ts
 * transpose(tensor([[1, 2, 3], [4, 5, 6]])).print(); // [[1, 4], [2, 5], [3, 6]]
 * ```
 */
export function transpose(x: Arg, perm?: readonly number[]): Tensor {
  const [engine, t] = toData(x, 'transpose');
  const rank = t.rank;
  const p =
    perm === undefined || perm === null
      ? Array.from({ length: rank }, (_, i) => rank - 1 - i)
      : intList('transpose', 'perm', perm).map((d) => (d < 0 && d >= -rank ? d + rank : d));
  return run(engine, 'Transpose', [t], { perm: p });
}

import type { OpDef, Tensor } from '@tapegrad/core';
import { engineOf, normalizeAxis } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { cast, run, toTensor } from '../../util.js';
import type { ScanAttrs } from './common.js';
import { checkAxisAttr } from './common.js';

/** Shape rule shared by the scans: same shape, validated axis. */
export function scanShapeRule(op: string) {
  return ([x]: readonly { shape: readonly number[] }[], attrs: ScanAttrs): readonly number[] => {
    checkAxisAttr(op, x!.shape, attrs.axis);
    return x!.shape;
  };
}

// The gradient of a cumulative sum is the cumulative sum of dy in the other direction
// (same exclusivity): y_i = Σ_{j∈S(i)} x_j  ⇒  dx_k = Σ_{i: k∈S(i)} dy_i.
export const CumsumOp: OpDef<ScanAttrs> = {
  name: 'Cumsum',
  inputNames: ['x'],
  inferShape: scanShapeRule('cumsum'),
  grad: (dy, { attrs }) => [run(dy.engine, 'Cumsum', [dy], { ...attrs, reverse: !attrs.reverse })],
};

/** Validated, normalized scan attrs (bool inputs are counted as int32, as in tfjs). */
export function scanArgs(
  op: string,
  x: Arg,
  axis: number,
  exclusive: boolean,
  reverse: boolean,
): [Tensor, ScanAttrs] {
  const engine = engineOf(x);
  let t = toTensor(engine, x, 'x', op);
  if (t.dtype === 'bool') t = cast(t, 'int32');
  return [
    t,
    {
      axis: normalizeAxis(op, axis, t.rank),
      exclusive: Boolean(exclusive),
      reverse: Boolean(reverse),
    },
  ];
}

/**
 * Cumulative sum along `axis` (tfjs): `exclusive` shifts by one (starting at 0),
 * `reverse` runs from the end.
 *
 * @example
 * ```ts
 * cumsum(tensor([1, 2, 3])).print(); // [1, 3, 6]
 * cumsum(tensor([1, 2, 3]), 0, true).print(); // [0, 1, 3]
 * ```
 */
export function cumsum(x: Arg, axis = 0, exclusive = false, reverse = false): Tensor {
  const [t, attrs] = scanArgs('cumsum', x, axis, exclusive, reverse);
  return run(t.engine, 'Cumsum', [t], attrs);
}

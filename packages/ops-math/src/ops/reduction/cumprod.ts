import type { GradFn, OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run, toTensor } from '../../util.js';
import type { ScanAttrs } from './common.js';
import { scanArgs, scanShapeRule } from './cumsum.js';

/**
 * Gradient of a cumulative product, exact with zeros in x (TF's cumsum(y·dy)/x is not).
 * With S(i) the positions multiplied into y_i:
 *   dx_k = Σ_{i: k∈S(i)} dy_i · Π_{j∈S(i), j≠k} x_j.
 * Write x = x'·r with x' = x where x ≠ 0 and 1 where x = 0 (so x' has no zeros) and r the
 * zero indicator's complement. Then Π_{j∈S(i), j≠k} x_j = C_i / x'_k · [zc_i = z_k], where
 * C = cumprod(x'), z = [x = 0] and zc = cumsum(z) (same direction and exclusivity), since
 * the product is non-zero only if S(i) holds no zero other than k. Hence
 *   dx = (A·(1 − z) + B·z) / x',  A = rcumsum(dy·C·[zc = 0]),  B = rcumsum(dy·C·[zc = 1]).
 * The masks are constants of the backward graph, so this gradient is exact everywhere and
 * differentiable again; its own derivative treats the zero pattern as fixed, which is exact
 * away from zeros (so prod, whose gradient uses exclusive cumprods, is exact to second order).
 */
const cumprodGrad: GradFn<ScanAttrs> = (dy, { inputs: [x], attrs }) => {
  const e = x!.engine;
  const dt = x!.dtype;
  const zero = toTensor(e, 0, 'zero', 'cumprod', dt);
  const one = toTensor(e, 1, 'one', 'cumprod', dt);
  const mask = (t: Tensor, v: Tensor) => run(e, 'Cast', [run(e, 'Equal', [t, v])], { dtype: dt });
  const z = mask(run(e, 'StopGradient', [x!]), zero);
  const xp = run(e, 'Add', [x!, z]);
  const c = run(e, 'Cumprod', [xp], attrs);
  const zc = run(e, 'Cumsum', [z], attrs);
  const gc = run(e, 'Mul', [dy, c]);
  const back = { ...attrs, reverse: !attrs.reverse };
  const a = run(e, 'Cumsum', [run(e, 'Mul', [gc, mask(zc, zero)])], back);
  const b = run(e, 'Cumsum', [run(e, 'Mul', [gc, mask(zc, one)])], back);
  const selected = run(e, 'Add', [a, run(e, 'Mul', [run(e, 'Sub', [b, a]), z])]);
  return [run(e, 'Div', [selected, xp])];
};

export const CumprodOp: OpDef<ScanAttrs> = {
  name: 'Cumprod',
  inputNames: ['x'],
  inferShape: scanShapeRule('cumprod'),
  grad: cumprodGrad,
};

/**
 * Cumulative product along `axis` (tfjs): `exclusive` shifts by one (starting at 1),
 * `reverse` runs from the end.
 *
 * @example
 * ```ts
 * cumprod(tensor([1, 2, 3])).print(); // [1, 2, 6]
 * ```
 */
export function cumprod(x: Arg, axis = 0, exclusive = false, reverse = false): Tensor {
  const [t, attrs] = scanArgs('cumprod', x, axis, exclusive, reverse);
  return run(t.engine, 'Cumprod', [t], attrs);
}

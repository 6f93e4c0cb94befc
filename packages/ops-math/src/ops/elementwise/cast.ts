import type { DType, OpDef, Tensor } from '@tapegrad/core';
import { DTypeError, engineOf, isFloatDtype } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run, toTensor } from '../../util.js';

const DTYPES = ['float32', 'float64', 'int32', 'bool'];

// Float-to-float casts pass the gradient through (converted back); casts from or to
// integers and bools carry no gradient.
export const CastOp: OpDef<{ dtype: DType }> = {
  name: 'Cast',
  inputNames: ['x'],
  inferShape: ([x]) => x!.shape,
  inferDtype: (_, attrs) => attrs.dtype,
  grad: (dy, { inputs: [x], attrs }) => [
    isFloatDtype(x!.dtype) && isFloatDtype(attrs.dtype) ? cast(dy, x!.dtype) : null,
  ],
};

/**
 * Converts x to `dtype` (float to int truncates toward zero; non-zero to bool is true).
 *
 * @example
 * ```ts
 * cast(tensor([1.7, -2.2]), 'int32').print(); // [1, -2]
 * tensor([0, 2]).cast('bool').print(); // [false, true]
 * ```
 */
export function cast(x: Arg, dtype: DType): Tensor {
  if (!DTYPES.includes(dtype)) {
    throw new DTypeError(`cast: dtype must be one of ${DTYPES.join(', ')}; got ${String(dtype)}`);
  }
  const engine = engineOf(x);
  const t = toTensor(engine, x, 'x', 'cast');
  if (t.dtype === dtype) return run(engine, 'Identity', [t]);
  return run(engine, 'Cast', [t], { dtype });
}

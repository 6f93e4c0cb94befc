import type { DType, OpDef, Tensor } from '@tapegrad/core';
import { ArgumentError, DTypeError, engineOf, fmtShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { assertInt, toIndexTensor } from './common.js';

export interface OneHotAttrs {
  depth: number;
  onValue: number;
  offValue: number;
  dtype: DType;
}

/** out[..., k] = onValue where indices[...] == k, else offValue (indices outside [0, depth) give a row of offValue). */
export const OneHotOp: OpDef<OneHotAttrs> = {
  name: 'OneHot',
  inputNames: ['indices'],
  nondifferentiable: true,
  inferShape([indices], { depth }) {
    if (indices!.dtype !== 'int32') {
      throw new DTypeError(
        `oneHot: indices must be int32, got ${indices!.dtype} (shape ${fmtShape(indices!.shape)})`,
      );
    }
    assertInt('oneHot', 'depth', depth, 0);
    return [...indices!.shape, depth];
  },
  inferDtype: (_, { dtype }) => dtype,
};

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool', 'float64'];

/**
 * One-hot encoding of int32 `indices`: shape indices.shape + [depth], dtype int32 by default (as tfjs).
 *
 * @example
 * ```ts
 * oneHot(tensor([0, 2], [2], 'int32'), 3).print(); // [[1, 0, 0], [0, 0, 1]]
 * ```
 */
export function oneHot(
  indices: Arg,
  depth: number,
  onValue = 1,
  offValue = 0,
  dtype: DType = 'int32',
): Tensor {
  const engine = engineOf(indices);
  const idx = toIndexTensor(engine, indices, 'indices', 'oneHot');
  assertInt('oneHot', 'depth', depth, 0);
  if (typeof onValue !== 'number' || typeof offValue !== 'number') {
    throw new ArgumentError(
      `oneHot: onValue and offValue must be numbers, got ${typeof onValue} and ${typeof offValue}`,
    );
  }
  if (!DTYPES.includes(dtype))
    throw new DTypeError(`oneHot: dtype must be one of ${DTYPES.join(', ')}, got ${String(dtype)}`);
  return run(engine, 'OneHot', [idx], { depth, onValue, offValue, dtype });
}

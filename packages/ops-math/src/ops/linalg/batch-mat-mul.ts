import type { OpDef, Tensor } from '@tapegrad/core';
import { DTypeError, ShapeError, broadcastShapes, fmtShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { binaryOperands, reduceToShape, run } from '../../util.js';

export interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * The matrix dimensions of op(A)·op(B) for operands of shapes `aShape` and `bShape` (the
 * last two axes): op(A) is m×kA, op(B) is kB×n (kA = kB for a valid product).
 *
 * @example
 * ```ts
 * console.log(matMulDims([5, 2, 3], [4, 3], false, true)); // { m: 2, kA: 3, kB: 3, n: 4 }
 * ```
 */
export function matMulDims(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): { m: number; kA: number; kB: number; n: number } {
  const ra = aShape.length;
  const rb = bShape.length;
  return {
    m: transposeA ? aShape[ra - 1]! : aShape[ra - 2]!,
    kA: transposeA ? aShape[ra - 2]! : aShape[ra - 1]!,
    kB: transposeB ? bShape[rb - 1]! : bShape[rb - 2]!,
    n: transposeB ? bShape[rb - 2]! : bShape[rb - 1]!,
  };
}

const mm = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor =>
  run(a.engine, 'BatchMatMul', [a, b], { transposeA, transposeB });

/**
 * op(A)·op(B) over the last two axes; the batch axes before them broadcast (NumPy).
 * Gradients for C = op(A)·op(B), by transpose flags (each a BatchMatMul, so twice
 * differentiable); broadcast batch axes are then summed back to each input's shape:
 *   (F,F): dA = dC·Bᵀ     dB = Aᵀ·dC
 *   (F,T): dA = dC·B      dB = dCᵀ·A
 *   (T,F): dA = B·dCᵀ     dB = A·dC
 *   (T,T): dA = Bᵀ·dCᵀ    dB = dCᵀ·Aᵀ
 */
export const BatchMatMulOp: OpDef<MatMulAttrs> = {
  name: 'BatchMatMul',
  inputNames: ['a', 'b'],
  inferShape([a, b], { transposeA, transposeB }) {
    const as = a!.shape;
    const bs = b!.shape;
    if (as.length < 2 || bs.length < 2) {
      const [name, s] = as.length < 2 ? ['a', as] : ['b', bs];
      throw new ShapeError(
        `matMul: ${name} must have rank >= 2, got rank ${s.length} (shape ${fmtShape(s)}); ` +
          `a is ${fmtShape(as)}, b is ${fmtShape(bs)}. Use dot or outerProduct for vectors, or reshape`,
      );
    }
    if (a!.dtype !== b!.dtype || a!.dtype === 'bool') {
      throw new DTypeError(
        `matMul: a and b must have the same numeric dtype (float32, float64 or int32), got ${a!.dtype} and ${b!.dtype}`,
      );
    }
    const ra = as.length;
    const rb = bs.length;
    const { m, kA: ka, kB: kb, n } = matMulDims(as, bs, transposeA, transposeB);
    if (ka !== kb) {
      throw new ShapeError(
        `matMul: inner dimensions must match: a ${fmtShape(as)} (transposeA=${Boolean(transposeA)}) has ${ka} ` +
          `and b ${fmtShape(bs)} (transposeB=${Boolean(transposeB)}) has ${kb}`,
      );
    }
    const batch = broadcastShapes('matMul', as.slice(0, ra - 2), bs.slice(0, rb - 2), [
      `batch dimensions of a ${fmtShape(as)}:`,
      `b ${fmtShape(bs)}:`,
    ]);
    return [...batch, m, n];
  },
  grad: (dy, { inputs: [a, b], attrs, needsInputGrad }) => {
    const tA = attrs.transposeA;
    const tB = attrs.transposeB;
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (needsInputGrad[0]) {
      if (!tA) da = tB ? mm(dy, b!, false, false) : mm(dy, b!, false, true);
      else da = tB ? mm(b!, dy, true, true) : mm(b!, dy, false, true);
      da = reduceToShape(da, a!.shape);
    }
    if (needsInputGrad[1]) {
      if (!tB) db = tA ? mm(a!, dy, false, false) : mm(a!, dy, true, false);
      else db = tA ? mm(dy, a!, true, true) : mm(dy, a!, true, false);
      db = reduceToShape(db, b!.shape);
    }
    return [da, db];
  },
};

/**
 * Matrix product of the last two axes (tfjs matMul), with optional transposes and
 * NumPy broadcasting of the batch axes: [2,1,3,4]·[5,4,6] -> [2,5,3,6].
 * Both operands need rank >= 2; dtypes are upcast to match (bool is rejected).
 *
 * @example
 * ```ts
 * const a = tensor([[1, 2], [3, 4]]);
 * matMul(a, tensor([[5], [6]])).print(); // [[17], [39]]
 * a.matMul(a, false, true).print(); // [[5, 11], [11, 25]]
 * ```
 */
export function matMul(a: Arg, b: Arg, transposeA = false, transposeB = false): Tensor {
  const [engine, x, y] = binaryOperands('matMul', a, b);
  try {
    return run(engine, 'BatchMatMul', [x, y], {
      transposeA: Boolean(transposeA),
      transposeB: Boolean(transposeB),
    });
  } catch (err) {
    // Leave nothing behind: dispose operands this call converted or cast.
    if (x !== a) x.dispose();
    if (y !== b) y.dispose();
    throw err;
  }
}

import type { Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { binaryOperands, run } from '../../util.js';

/**
 * Outer product of two vectors: [n]⊗[m] -> [n,m] (a composite of BatchMatMul with inner size 1).
 *
 * @example
 * ```ts
 * outerProduct(tensor([1, 2]), tensor([3, 4, 5])).print(); // [[3, 4, 5], [6, 8, 10]]
 * ```
 */
export function outerProduct(v1: Arg, v2: Arg): Tensor {
  const [e, a, b] = binaryOperands('outerProduct', v1, v2, ['v1', 'v2']);
  if (a.rank !== 1 || b.rank !== 1) {
    if (a !== v1) a.dispose();
    if (b !== v2) b.dispose();
    throw new ShapeError(
      `outerProduct: v1 and v2 must be vectors (rank 1), got v1 ${fmtShape(a.shape)} and v2 ${fmtShape(b.shape)}`,
    );
  }
  const col = run(e, 'Reshape', [a], { shape: [a.shape[0]!, 1] });
  const row = run(e, 'Reshape', [b], { shape: [1, b.shape[0]!] });
  return run(e, 'BatchMatMul', [col, row], { transposeA: false, transposeB: false });
}

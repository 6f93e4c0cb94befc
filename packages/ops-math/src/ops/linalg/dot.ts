import type { Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { binaryOperands, run } from '../../util.js';

/**
 * Dot product as in tfjs: vector·vector -> scalar, matrix·vector -> vector,
 * vector·matrix -> vector, matrix·matrix -> matrix. A composite of BatchMatMul.
 *
 * @example
 * ```ts
 * dot(tensor([1, 2, 3]), tensor([4, 5, 6])).print(); // 32
 * ```
 */
export function dot(t1: Arg, t2: Arg): Tensor {
  const [e, a, b] = binaryOperands('dot', t1, t2, ['t1', 't2']);
  const release = () => {
    if (a !== t1) a.dispose();
    if (b !== t2) b.dispose();
  };
  if ((a.rank !== 1 && a.rank !== 2) || (b.rank !== 1 && b.rank !== 2)) {
    release();
    throw new ShapeError(
      `dot: t1 and t2 must have rank 1 or 2, got t1 ${fmtShape(a.shape)} (rank ${a.rank}) and t2 ${fmtShape(b.shape)} (rank ${b.rank})`,
    );
  }
  const inner1 = a.rank === 1 ? a.shape[0]! : a.shape[1]!;
  const inner2 = b.rank === 1 ? b.shape[0]! : b.shape[0]!;
  if (inner1 !== inner2) {
    release();
    throw new ShapeError(
      `dot: inner dimensions must match: t1 ${fmtShape(a.shape)} has ${inner1}, t2 ${fmtShape(b.shape)} has ${inner2}`,
    );
  }
  const a2 = a.rank === 1 ? run(e, 'Reshape', [a], { shape: [1, inner1] }) : a;
  const b2 = b.rank === 1 ? run(e, 'Reshape', [b], { shape: [inner2, 1] }) : b;
  const c = run(e, 'BatchMatMul', [a2, b2], { transposeA: false, transposeB: false });
  if (a.rank === 2 && b.rank === 2) return c;
  const shape = a.rank === 1 && b.rank === 1 ? [] : a.rank === 1 ? [b.shape[1]!] : [a.shape[0]!];
  return run(e, 'Reshape', [c], { shape });
}

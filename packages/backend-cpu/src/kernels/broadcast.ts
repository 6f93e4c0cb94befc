import type { Shape } from '@tapegrad/core';
import { sizeFromShape, stridesOf } from '@tapegrad/core';

/**
 * Strides of `shape` as seen from a broadcast output of `outShape`:
 * 0 along broadcast (size-1 or missing) dimensions.
 *
 * @example
 * ```ts
 * // a [3] operand read along a [2, 3] output: the same row for both output rows
 * console.log(broadcastStrides([3], [2, 3])); // [0, 1]
 * console.log(broadcastStrides([2, 1], [2, 3])); // [1, 0]
 * ```
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const lead = outShape.length - shape.length;
  return outShape.map((d, i) => (i < lead || shape[i - lead] === 1 ? 0 : strides[i - lead]!));
}

/**
 * Calls `body(outIndex, aIndex, bIndex)` over a broadcast output, innermost dimension
 * in a tight loop. Shared by every broadcasting binary kernel.
 *
 * @example
 * ```ts
 * const a = [10, 20]; // shape [2, 1]
 * const b = [1, 2, 3]; // shape [3]
 * const out: number[] = [];
 * forEachBroadcast([2, 1], [3], [2, 3], (o, ia, ib) => {
 *   out[o] = a[ia]! + b[ib]!;
 * });
 * console.log(out); // [11, 12, 13, 21, 22, 23]
 * ```
 */
export function forEachBroadcast(
  aShape: Shape,
  bShape: Shape,
  outShape: Shape,
  body: (o: number, ia: number, ib: number) => void,
): void {
  const rank = outShape.length;
  const size = sizeFromShape(outShape);
  if (size === 0) return;
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const inner = rank ? outShape[rank - 1]! : 1;
  const ia0 = rank ? sa[rank - 1]! : 0;
  const ib0 = rank ? sb[rank - 1]! : 0;
  const counter = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < size; o += inner) {
    for (let k = 0, pa = ia, pb = ib; k < inner; k++, pa += ia0, pb += ib0) body(o + k, pa, pb);
    // advance the outer counter (dimensions rank-2 .. 0)
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++;
      ia += sa[d]!;
      ib += sb[d]!;
      if (counter[d]! < outShape[d]!) break;
      ia -= sa[d]! * outShape[d]!;
      ib -= sb[d]! * outShape[d]!;
      counter[d] = 0;
    }
  }
}

/**
 * Three-operand form of forEachBroadcast (where): calls `body(outIndex, aIndex, bIndex, cIndex)`
 * over a broadcast output, innermost dimension in a tight loop.
 */
export function forEachBroadcast3(
  aShape: Shape,
  bShape: Shape,
  cShape: Shape,
  outShape: Shape,
  body: (o: number, ia: number, ib: number, ic: number) => void,
): void {
  const rank = outShape.length;
  const size = sizeFromShape(outShape);
  if (size === 0) return;
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const sc = broadcastStrides(cShape, outShape);
  const inner = rank ? outShape[rank - 1]! : 1;
  const ia0 = rank ? sa[rank - 1]! : 0;
  const ib0 = rank ? sb[rank - 1]! : 0;
  const ic0 = rank ? sc[rank - 1]! : 0;
  const counter = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  let ic = 0;
  for (let o = 0; o < size; o += inner) {
    for (let k = 0, pa = ia, pb = ib, pc = ic; k < inner; k++, pa += ia0, pb += ib0, pc += ic0)
      body(o + k, pa, pb, pc);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++;
      ia += sa[d]!;
      ib += sb[d]!;
      ic += sc[d]!;
      if (counter[d]! < outShape[d]!) break;
      ia -= sa[d]! * outShape[d]!;
      ib -= sb[d]! * outShape[d]!;
      ic -= sc[d]! * outShape[d]!;
      counter[d] = 0;
    }
  }
}

/**
 * Calls `row(outStart, aStart, bStart, length, aStep, bStep)` once per innermost row of a
 * broadcast output; each step is 1 (the operand runs along the row) or 0 (it is
 * broadcast). Kernels run a tight specialized loop per row instead of a call per element.
 *
 * @example
 * ```ts
 * const a = [10, 20]; // shape [2, 1]
 * const b = [1, 2, 3]; // shape [3]
 * const out: number[] = [];
 * forEachBroadcastRow([2, 1], [3], [2, 3], (o, ia, ib, length, aStep, bStep) => {
 *   for (let i = 0; i < length; i++) out[o + i] = a[ia + i * aStep]! + b[ib + i * bStep]!;
 * });
 * console.log(out); // [11, 12, 13, 21, 22, 23]
 * ```
 */
export function forEachBroadcastRow(
  aShape: Shape,
  bShape: Shape,
  outShape: Shape,
  row: (o: number, ia: number, ib: number, length: number, aStep: number, bStep: number) => void,
): void {
  const rank = outShape.length;
  const size = sizeFromShape(outShape);
  if (size === 0) return;
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const inner = rank ? outShape[rank - 1]! : 1;
  const aStep = rank ? sa[rank - 1]! : 0;
  const bStep = rank ? sb[rank - 1]! : 0;
  const counter = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < size; o += inner) {
    row(o, ia, ib, inner, aStep, bStep);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++;
      ia += sa[d]!;
      ib += sb[d]!;
      if (counter[d]! < outShape[d]!) break;
      ia -= sa[d]! * outShape[d]!;
      ib -= sb[d]! * outShape[d]!;
      counter[d] = 0;
    }
  }
}

import type { Shape, TypedArray } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';

/**
 * Copies a strided view: for every index k of `shape` (row-major),
 * dst[dstOffset + Σ k_d·dstStrides_d] = src[srcOffset + Σ k_d·srcStrides_d].
 * The innermost dimension runs in a tight loop. Shared by Transpose, Slice,
 * StridedSlice, Reverse and Pad.
 */
export function copyStrided(
  src: TypedArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: TypedArray,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: Shape,
): void {
  const rank = shape.length;
  const size = sizeFromShape(shape);
  if (size === 0) return;
  if (rank === 0) {
    dst[dstOffset] = src[srcOffset]!;
    return;
  }
  const inner = shape[rank - 1]!;
  const si = srcStrides[rank - 1]!;
  const di = dstStrides[rank - 1]!;
  const counter = new Array<number>(rank).fill(0);
  let s = srcOffset;
  let d = dstOffset;
  for (let done = 0; done < size; done += inner) {
    if (si === 1 && di === 1) dst.set(src.subarray(s, s + inner), d);
    else for (let k = 0, ps = s, pd = d; k < inner; k++, ps += si, pd += di) dst[pd] = src[ps]!;
    for (let dim = rank - 2; dim >= 0; dim--) {
      counter[dim]!++;
      s += srcStrides[dim]!;
      d += dstStrides[dim]!;
      if (counter[dim]! < shape[dim]!) break;
      s -= srcStrides[dim]! * shape[dim]!;
      d -= dstStrides[dim]! * shape[dim]!;
      counter[dim] = 0;
    }
  }
}

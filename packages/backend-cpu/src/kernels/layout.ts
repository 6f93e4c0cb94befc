import type { Shape, TypedArray } from '@tapegrad/core';

/** Generic transpose of a row-major array (used where a kernel needs another layout). */
export function transposeValues(
  values: TypedArray,
  shape: Shape,
  perm: readonly number[],
): TypedArray {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const permStrides = perm.map((p) => inStrides[p]!);
  const out = new (values.constructor as new (n: number) => TypedArray)(values.length);
  const counter = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = values[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]!++;
      src += permStrides[d]!;
      if (counter[d]! < outShape[d]!) break;
      src -= permStrides[d]! * outShape[d]!;
      counter[d] = 0;
    }
  }
  return out;
}

import type { Shape } from '@tapegrad/core';
import { sizeFromShape, stridesOf } from '@tapegrad/core';

/** Strides of `shape` seen from a broadcast output of `outShape` (0 along broadcast dimensions). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const lead = outShape.length - shape.length;
  return outShape.map((d, i) => (i < lead || shape[i - lead] === 1 ? 0 : strides[i - lead]!));
}

/**
 * Calls `row(outStart, aStart, bStart)` once per innermost row of a broadcast output
 * (element offsets); along the row each operand steps by `aStep`/`bStep` (1 or 0).
 * Returns the row length and steps.
 */
export function forEachRow(
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

/** Calls `body(outIndex, aIndex, bIndex)` for every element of a broadcast output. */
export function forEachBroadcast(
  aShape: Shape,
  bShape: Shape,
  outShape: Shape,
  body: (o: number, ia: number, ib: number) => void,
): void {
  forEachRow(aShape, bShape, outShape, (o, ia, ib, n, aStep, bStep) => {
    for (let k = 0; k < n; k++) body(o + k, ia + k * aStep, ib + k * bStep);
  });
}

/**
 * The errors of out-of-range indices, raised by the kernels of every backend (the indices'
 * values are only known there), so that gather, gatherND/scatterND and unsortedSegmentSum
 * fail with the same message on cpu, wasm and webgpu.
 */
import type { Shape } from '@tapegrad/core';
import { ArgumentError, fmtShape } from '@tapegrad/core';

/**
 * The flat position of the first value outside [0, size), or -1.
 *
 * @example
 * ```ts
 * console.log(firstIndexOutOfRange([0, 2, 5, -1], 3)); // 2
 * ```
 */
export function firstIndexOutOfRange(values: ArrayLike<number>, size: number): number {
  for (let k = 0; k < values.length; k++) {
    const i = values[k]!;
    if (i < 0 || i >= size) return k;
  }
  return -1;
}

/**
 * The error of gather's index `value` at flat position `position` of `indicesShape`, out of
 * range for dimension `axis` of `xShape`.
 *
 * @example
 * ```ts
 * console.log(gatherIndexError(1, 7, 0, [3, 2], [2]).message);
 * // gather: indices[1] (flat) is 7, out of range for dimension 0 of x [3,2] (valid: 0..2); indices shape [2]
 * ```
 */
export function gatherIndexError(
  position: number,
  value: number,
  axis: number,
  xShape: Shape,
  indicesShape: Shape,
): ArgumentError {
  return new ArgumentError(
    `gather: indices[${position}] (flat) is ${value}, out of range for dimension ${axis} of x ${fmtShape(xShape)} ` +
      `(valid: 0..${xShape[axis]! - 1}); indices shape ${fmtShape(indicesShape)}`,
  );
}

/**
 * The error of an N-d index (gatherND, scatterND, tensorScatterUpdate): `value` at flat
 * position `position` of `indicesShape` (rows of K = its last dimension) is out of range
 * for `shape`.
 *
 * @example
 * ```ts
 * console.log(ndIndexError('gatherND', 3, 4, [2, 2], [2, 2]).message);
 * // gatherND: index row 1 has 4 at position 1, out of range for dimension 1 of [2,2] (valid: 0..1); indices shape [2,2]
 * ```
 */
export function ndIndexError(
  op: string,
  position: number,
  value: number,
  shape: Shape,
  indicesShape: Shape,
): ArgumentError {
  const K = indicesShape[indicesShape.length - 1]!;
  const row = Math.floor(position / K);
  const k = position % K;
  return new ArgumentError(
    `${op}: index row ${row} has ${value} at position ${k}, out of range for dimension ${k} of ${fmtShape(shape)} ` +
      `(valid: 0..${shape[k]! - 1}); indices shape ${fmtShape(indicesShape)}`,
  );
}

/**
 * The error of unsortedSegmentSum's segment id `value` at flat position `position`, outside
 * [0, numSegments).
 *
 * @example
 * ```ts
 * console.log(segmentIdError(0, 5, 3, [2], [2, 4]).message);
 * // unsortedSegmentSum: segmentIds[0] (flat) is 5, out of range for numSegments 3 (valid: 0..2); segmentIds shape [2], x shape [2,4]
 * ```
 */
export function segmentIdError(
  position: number,
  value: number,
  numSegments: number,
  segmentIdsShape: Shape,
  xShape: Shape,
): ArgumentError {
  return new ArgumentError(
    `unsortedSegmentSum: segmentIds[${position}] (flat) is ${value}, out of range for numSegments ${numSegments} ` +
      `(valid: 0..${numSegments - 1}); segmentIds shape ${fmtShape(segmentIdsShape)}, x shape ${fmtShape(xShape)}`,
  );
}

import type { OpDef, Tensor } from '@tapegrad/core';
import { ArgumentError, ShapeError, fmtShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { maybeReshape, toData } from './common.js';

export interface StridedSliceAttrs {
  /** Index of the first element in every dimension (in [0, dim) where size > 0). */
  begin: number[];
  /** Number of elements taken in every dimension. */
  size: number[];
  /** Step in every dimension (non-zero; negative walks backwards). */
  strides: number[];
}

/**
 * Dense strided slice: out[k...] = x[begin + k * strides ...]. Defined as a composition of
 * Reverse (negative strides), Slice, Pad and Reshape, which is also what gets differentiated;
 * a backend may register a kernel for the forward pass.
 */
export const StridedSliceOp: OpDef<StridedSliceAttrs> = {
  name: 'StridedSlice',
  inputNames: ['x'],
  inferShape([x], { begin, size, strides }) {
    const shape = x!.shape;
    const rank = shape.length;
    if (begin.length !== rank || size.length !== rank || strides.length !== rank) {
      throw new ShapeError(
        `stridedSlice: begin [${begin.join(',')}], size [${size.join(',')}] and strides [${strides.join(',')}] need one entry per dimension of x ${fmtShape(shape)}`,
      );
    }
    shape.forEach((d, i) => {
      const b = begin[i]!;
      const n = size[i]!;
      const s = strides[i]!;
      const last = b + (n - 1) * s;
      const ok =
        Number.isInteger(b) &&
        Number.isInteger(n) &&
        Number.isInteger(s) &&
        s !== 0 &&
        n >= 0 &&
        (n === 0 || (b >= 0 && b < d && last >= 0 && last < d));
      if (!ok) {
        throw new ShapeError(
          `stridedSlice: dimension ${i} of x ${fmtShape(shape)}: begin ${b}, size ${n}, stride ${s} reaches outside [0, ${d})`,
        );
      }
    });
    return [...size];
  },
  composite: ([x], attrs) => x!.engine.tidy(() => denseStridedSlice(x!, attrs)),
};

function denseStridedSlice(x: Tensor, { begin, size, strides }: StridedSliceAttrs): Tensor {
  const shape = x.shape;
  const engine = x.engine;
  const negative = strides.flatMap((s, i) => (s < 0 ? [i] : []));
  let t = negative.length ? run(engine, 'Reverse', [x], { axes: negative }) : x;
  // After reversing, every stride is positive.
  const b = begin.map((v, i) => (strides[i]! < 0 ? shape[i]! - 1 - v : v));
  const s = strides.map(Math.abs);
  const empty = size.some((n) => n === 0);
  if (empty || s.every((v) => v === 1)) {
    return run(engine, 'Slice', [t], { begin: empty ? shape.map(() => 0) : b, size: [...size] });
  }
  // Take n*s elements (padding the tail when x ends first), view each dimension as [n, s], keep index 0 of s.
  const take = size.map((n, i) => Math.min(n * s[i]!, shape[i]! - b[i]!));
  t = run(engine, 'Slice', [t], { begin: b, size: take });
  const tail = size.map((n, i) => n * s[i]! - take[i]!);
  if (tail.some((p) => p > 0))
    t = run(engine, 'Pad', [t], { paddings: tail.map((p) => [0, p]), constantValue: 0 });
  t = maybeReshape(
    t,
    size.flatMap((n, i) => [n, s[i]!]),
  );
  t = run(engine, 'Slice', [t], { begin: t.shape.map(() => 0), size: size.flatMap((n) => [n, 1]) });
  return maybeReshape(t, size);
}

const bit = (mask: number, i: number): boolean => Math.floor(mask / 2 ** i) % 2 === 1;

function intArray(arg: string, v: unknown): number[] {
  if (!Array.isArray(v) || !v.every((d) => typeof d === 'number' && Number.isInteger(d))) {
    throw new ArgumentError(`stridedSlice: ${arg} must be an array of integers, got ${String(v)}`);
  }
  return [...(v as number[])];
}

/**
 * Strided slice with tfjs/TF semantics: begin/end/strides per specified dimension; bit i of
 * beginMask/endMask ignores begin[i]/end[i] (the full range); ellipsisMask marks the entry that
 * stands for all unspecified dimensions; newAxisMask inserts a size-1 dimension; shrinkAxisMask
 * takes the single element begin[i] and removes the dimension. Negative indices count from the
 * end; negative strides walk backwards.
 *
 * @example
 * ```ts
 * stridedSlice(tensor([0, 1, 2, 3, 4, 5]), [1], [6], [2]).print(); // [1, 3, 5]
 * ```
 */
export function stridedSlice(
  x: Arg,
  begin: readonly number[],
  end: readonly number[],
  strides?: readonly number[],
  beginMask = 0,
  endMask = 0,
  ellipsisMask = 0,
  newAxisMask = 0,
  shrinkAxisMask = 0,
): Tensor {
  const [engine, t] = toData(x, 'stridedSlice');
  const shape = t.shape;
  const rank = shape.length;
  const bg = intArray('begin', begin);
  const en = intArray('end', end);
  const st =
    strides === undefined || strides === null ? bg.map(() => 1) : intArray('strides', strides);
  if (en.length !== bg.length || st.length !== bg.length) {
    throw new ArgumentError(
      `stridedSlice: begin [${bg.join(',')}], end [${en.join(',')}] and strides [${st.join(',')}] must have the same length`,
    );
  }
  const masks = { beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask };
  for (const [name, m] of Object.entries(masks)) {
    if (!Number.isInteger(m) || m < 0)
      throw new ArgumentError(
        `stridedSlice: ${name} must be a non-negative integer bit mask, got ${m}`,
      );
  }
  const n = bg.length;
  const ellipses = bg.flatMap((_, i) => (bit(ellipsisMask, i) ? [i] : []));
  if (ellipses.length > 1) {
    throw new ArgumentError(
      `stridedSlice: ellipsisMask ${ellipsisMask} has several bits set; at most one ellipsis is allowed`,
    );
  }
  // Without an explicit ellipsis, one is implied after the given entries.
  const ellipsisAt = ellipses[0] ?? n;
  const sparseLength = ellipses.length ? n : n + 1;
  let newAfterEllipsis = 0;
  for (let i = ellipsisAt + 1; i < n; i++) if (bit(newAxisMask, i)) newAfterEllipsis++;

  const dBegin: number[] = [];
  const dSize: number[] = [];
  const dStride: number[] = [];
  // Final shape: entries are dense dimensions (their index) or -1 for a new axis.
  const final: number[] = [];
  let full = 0;
  for (let i = 0; i < sparseLength; i++) {
    if (i === ellipsisAt) {
      const next = Math.min(rank - (sparseLength - i) + 1 + newAfterEllipsis, rank);
      for (; full < next; full++) {
        dBegin.push(0);
        dSize.push(shape[full]!);
        dStride.push(1);
        final.push(full);
      }
      continue;
    }
    if (bit(newAxisMask, i)) {
      final.push(-1);
      continue;
    }
    if (full >= rank) {
      throw new ShapeError(
        `stridedSlice: begin [${bg.join(',')}] indexes more dimensions than x ${fmtShape(shape)} has (new axes excluded)`,
      );
    }
    const d = shape[full]!;
    const s = st[i]!;
    if (s === 0)
      throw new ArgumentError(
        `stridedSlice: strides [${st.join(',')}] has 0 at entry ${i}; strides must be non-zero`,
      );
    if (bit(shrinkAxisMask, i)) {
      const b = bg[i]! < 0 ? bg[i]! + d : bg[i]!;
      if (b < 0 || b >= d) {
        throw new ShapeError(
          `stridedSlice: shrinkAxisMask takes index ${bg[i]} of dimension ${full} of x ${fmtShape(shape)}, which is out of range (valid: ${-d}..${d - 1})`,
        );
      }
      dBegin.push(b);
      dSize.push(1);
      dStride.push(1);
    } else {
      const [lo, hi] = s > 0 ? [0, d] : [-1, d - 1];
      const clampIdx = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
      const b = bit(beginMask, i) ? (s > 0 ? lo : hi) : clampIdx(bg[i]!);
      const e = bit(endMask, i) ? (s > 0 ? hi : lo) : clampIdx(en[i]!);
      const count =
        s > 0 ? Math.max(0, Math.ceil((e - b) / s)) : Math.max(0, Math.ceil((b - e) / -s));
      dBegin.push(count === 0 ? 0 : b);
      dSize.push(count);
      dStride.push(s);
      final.push(full);
    }
    full++;
  }
  const finalShape = final.map((k) => (k < 0 ? 1 : dSize[k]!));
  return engine.tidy(() => {
    const sliced = run(engine, 'StridedSlice', [t], {
      begin: dBegin,
      size: dSize,
      strides: dStride,
    });
    return maybeReshape(sliced, finalShape);
  });
}

import { sizeFromShape } from '@tapegrad/core';
import { firstIndexOutOfRange, gatherIndexError, segmentIdError } from '@tapegrad/ops-math';
import type { CpuKernel } from '../../backend.js';

/**
 * Gather: x viewed as [B, M, N, I] (batch dims, dims before axis, axis, dims after),
 * indices as [B, J]; out[b, m, j, :] = x[b, m, indices[b, j], :].
 */
const Gather: CpuKernel<{ axis: number; batchDims: number }> = ({
  inputs: [x, indices],
  attrs: { axis, batchDims },
  outputs: [spec],
  backend,
}) => {
  const xs = x!.shape;
  const idx = backend.data(indices!);
  const N = xs[axis]!;
  const bad = firstIndexOutOfRange(idx, N);
  if (bad >= 0) throw gatherIndexError(bad, idx[bad]!, axis, xs, indices!.shape);
  const src = backend.data(x!);
  const out = backend.alloc(spec!);
  const B = sizeFromShape(xs.slice(0, batchDims));
  const M = sizeFromShape(xs.slice(batchDims, axis));
  const I = sizeFromShape(xs.slice(axis + 1));
  const J = B === 0 ? 0 : idx.length / B;
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let m = 0; m < M; m++) {
      const base = (b * M + m) * N * I;
      for (let j = 0; j < J; j++, o += I) {
        const start = base + idx[b * J + j]! * I;
        out.set(src.subarray(start, start + I), o);
      }
    }
  }
  return backend.output(out, spec!);
};

/** UnsortedSegmentSum: x viewed as [S, I] with S = segmentIds.size; out[ids[s], :] += x[s, :]. */
const UnsortedSegmentSum: CpuKernel<{ numSegments: number }> = ({
  inputs: [x, segmentIds],
  attrs: { numSegments },
  outputs: [spec],
  backend,
}) => {
  const ids = backend.data(segmentIds!);
  const bad = firstIndexOutOfRange(ids, numSegments);
  if (bad >= 0) throw segmentIdError(bad, ids[bad]!, numSegments, segmentIds!.shape, x!.shape);
  const src = backend.data(x!);
  const out = backend.alloc(spec!);
  const I = ids.length === 0 ? 0 : src.length / ids.length;
  for (let s = 0; s < ids.length; s++) {
    const dst = ids[s]! * I;
    for (let i = 0, p = s * I; i < I; i++, p++) out[dst + i]! += src[p]!;
  }
  return backend.output(out, spec!);
};

/** OneHot: a row of offValue per index, onValue at the index when it lies in [0, depth). */
const OneHot: CpuKernel<{ depth: number; onValue: number; offValue: number }> = ({
  inputs: [indices],
  attrs: { depth, onValue, offValue },
  outputs: [spec],
  backend,
}) => {
  const idx = backend.data(indices!);
  const out = backend.alloc(spec!);
  const bool = spec!.dtype === 'bool';
  const on = bool ? (onValue ? 1 : 0) : onValue;
  const off = bool ? (offValue ? 1 : 0) : offValue;
  if (off !== 0) out.fill(off);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (i >= 0 && i < depth) out[k * depth + i] = on;
  }
  return backend.output(out, spec!);
};

export const indexingKernels: Record<string, CpuKernel> = { Gather, UnsortedSegmentSum, OneHot };

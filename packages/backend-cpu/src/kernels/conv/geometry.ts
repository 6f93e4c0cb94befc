/**
 * Helpers over the 3-D window geometry of the conv and pooling kernels (`Window3D` from
 * @tapegrad/ops-conv's `windowGeometry3D`: a 2-D op has depth 1, so one set of loops serves
 * Conv2D and Conv3D, MaxPool and MaxPool3D).
 */
import type { Window3D } from '@tapegrad/ops-conv';

/** Number of output positions (rows of the im2col matrix). */
export function outPositions(g: Window3D): number {
  return g.n * g.od * g.oh * g.ow;
}

/** First and one-past-last window offsets k with 0 <= start + k·dilation < size. */
export function validRange(
  start: number,
  dilation: number,
  taps: number,
  size: number,
): [number, number] {
  const lo = start >= 0 ? 0 : Math.ceil(-start / dilation);
  const hi = Math.min(taps, Math.floor((size - 1 - start) / dilation) + 1);
  return [lo, Math.max(lo, hi)];
}

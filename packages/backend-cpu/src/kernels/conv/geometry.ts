/**
 * Window geometry of the conv and pooling kernels, always in 3-D (a 2-D op has depth 1),
 * so one set of loops serves Conv2D and Conv3D, MaxPool and MaxPool3D. The output sizes
 * and paddings come from @tapegrad/ops-conv's `computeGeometry`, the same rule the op
 * definitions use for shape inference.
 */
import type { Shape } from '@tapegrad/core';
import type { DimRoundingMode, PadSpec } from '@tapegrad/ops-conv';
import { computeGeometry } from '@tapegrad/ops-conv';

export interface Geo {
  /** Batch size. */
  n: number;
  /** Input depth, height, width and channels. */
  id: number;
  ih: number;
  iw: number;
  c: number;
  /** Output depth, height, width. */
  od: number;
  oh: number;
  ow: number;
  /** Filter (window) depth, height, width. */
  fd: number;
  fh: number;
  fw: number;
  /** Strides. */
  sd: number;
  sh: number;
  sw: number;
  /** Dilations. */
  dd: number;
  dh: number;
  dw: number;
  /** Padding before each spatial dimension (front, top, left). */
  pd: number;
  pt: number;
  pl: number;
}

export interface WindowAttrs {
  strides: number[];
  dilations?: number[];
  pad: PadSpec;
  dimRoundingMode?: DimRoundingMode;
}

/** Geometry of sliding a window of `filterSize` over an input of channels-last `xShape`. */
export function geometryOf(
  op: string,
  xShape: Shape,
  filterSize: readonly number[],
  attrs: WindowAttrs,
): Geo {
  const r = xShape.length - 2;
  const dilations = attrs.dilations ?? new Array<number>(r).fill(1);
  const g = computeGeometry(
    op,
    xShape.slice(1, r + 1),
    filterSize,
    attrs.strides,
    dilations,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  // Leading depth of 1 for 2-D ops.
  const lead = 3 - r;
  const at = (list: readonly number[], i: number, fill: number) =>
    i < lead ? fill : list[i - lead]!;
  const inS = xShape.slice(1, r + 1);
  return {
    n: xShape[0]!,
    id: at(inS, 0, 1),
    ih: at(inS, 1, 1),
    iw: at(inS, 2, 1),
    c: xShape[r + 1]!,
    od: at(g.outSize, 0, 1),
    oh: at(g.outSize, 1, 1),
    ow: at(g.outSize, 2, 1),
    fd: at(filterSize, 0, 1),
    fh: at(filterSize, 1, 1),
    fw: at(filterSize, 2, 1),
    sd: at(attrs.strides, 0, 1),
    sh: at(attrs.strides, 1, 1),
    sw: at(attrs.strides, 2, 1),
    dd: at(dilations, 0, 1),
    dh: at(dilations, 1, 1),
    dw: at(dilations, 2, 1),
    pd: at(g.padBefore, 0, 0),
    pt: at(g.padBefore, 1, 0),
    pl: at(g.padBefore, 2, 0),
  };
}

/** Number of output positions (rows of the im2col matrix). */
export function outPositions(g: Geo): number {
  return g.n * g.od * g.oh * g.ow;
}

/** A 1×1×1 window with unit strides and no padding: the im2col matrix is x itself. */
export function isPointwise(g: Geo): boolean {
  return (
    g.fd === 1 &&
    g.fh === 1 &&
    g.fw === 1 &&
    g.sd === 1 &&
    g.sh === 1 &&
    g.sw === 1 &&
    g.pd === 0 &&
    g.pt === 0 &&
    g.pl === 0 &&
    g.od === g.id &&
    g.oh === g.ih &&
    g.ow === g.iw
  );
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

/**
 * Window geometry of the pooling and depthwise kernels, written into wasm memory as the
 * i32[20] record of assembly/window.ts and assembly/im2col.ts (n, id, ih, iw, c, od, oh, ow,
 * fd, fh, fw, sd, sh, sw, dd, dh, dw, pd, pt, pl; 2-D ops have depth 1), with a scratch list
 * for one window's taps. Output sizes and paddings come from @tapegrad/ops-conv's
 * `computeGeometry`, the rule the op definitions use for shape inference.
 */
import type { Shape } from '@tapegrad/core';
import type { DimRoundingMode, PadSpec } from '@tapegrad/ops-conv';
import { computeGeometry } from '@tapegrad/ops-conv';
import type { WasmBackend } from '../backend.js';

/** Workspace slots of the geometry record and of the tap list. */
const GEO_SLOT = 13;
const TAPS_SLOT = 14;

export interface WindowAttrs {
  strides: number[];
  dilations?: number[];
  pad: PadSpec;
  dimRoundingMode?: DimRoundingMode;
}

/** The geometry record of sliding a window of `filterSize` over channels-last `xShape`. */
export function windowGeometry(
  op: string,
  xShape: Shape,
  filterSize: readonly number[],
  attrs: WindowAttrs,
): number[] {
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
  // Missing leading spatial dimensions (depth of a 2-D op) have size 1 and no padding.
  const lead = (list: readonly number[], fill: number) => [
    ...new Array<number>(3 - r).fill(fill),
    ...list,
  ];
  return [
    xShape[0]!,
    ...lead(xShape.slice(1, r + 1), 1),
    xShape[r + 1]!,
    ...lead(g.outSize, 1),
    ...lead(filterSize, 1),
    ...lead(attrs.strides, 1),
    ...lead(dilations, 1),
    ...lead(g.padBefore, 0),
  ];
}

/** Pointers of a geometry record and of a tap list for its windows, in workspaces. */
export function placeWindow(
  backend: WasmBackend,
  geo: readonly number[],
): { geo: number; taps: number; positions: number } {
  const ptr = backend.workspace(GEO_SLOT, 4 * geo.length);
  const taps = backend.workspace(TAPS_SLOT, 8 * Math.max(1, geo[8]! * geo[9]! * geo[10]!));
  backend.heap.i32.set(geo, ptr / 4);
  return { geo: ptr, taps, positions: geo[0]! * geo[5]! * geo[6]! * geo[7]! };
}

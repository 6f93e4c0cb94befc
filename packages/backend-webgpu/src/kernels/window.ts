/**
 * Window geometry of the conv, depthwise and pooling kernels, always in 3-D (a 2-D op has
 * depth 1) so one shader serves Conv2D and Conv3D, MaxPool and MaxPool3D. It is ops-conv's
 * `windowGeometry3D` (`computeGeometry`'s rule, the one the op definitions use for shape
 * inference), so every backend agrees on where each window starts. The geometry
 * travels as 20 uniform words, so a new shape reuses the pipeline.
 */
import type { Shape } from '@tapegrad/core';
import type { WindowAttrs } from '@tapegrad/ops-conv';
import { WINDOW_FIELDS, isPointwiseWindow, windowGeometry3D } from '@tapegrad/ops-conv';

/** Words of a geometry block in a program's params. */
export const GEO_WORDS = 20;

/** Geometry of a window of `filterSize` slid over a channels-last input of `xShape`. */
export interface Window {
  /** Batch, then input depth, height, width, channels, output depth, height, width, ... (WINDOW_FIELDS). */
  params: number[];
  /** Number of output positions (batch × output spatial size). */
  outPositions: number;
  /** Number of input positions (batch × input spatial size). */
  inPositions: number;
  /** Number of window taps (filter spatial size). */
  taps: number;
  /** A 1×1×1 window with unit strides and no padding: x itself is the im2col matrix. */
  pointwise: boolean;
}

/** The geometry of sliding a window of `filterSize` over channels-last `xShape` (validated, naming `op`). */
export function windowOf(
  op: string,
  xShape: Shape,
  filterSize: readonly number[],
  attrs: WindowAttrs,
): Window {
  const g = windowGeometry3D(op, xShape, filterSize, attrs);
  const inPositions = g.n * g.id * g.ih * g.iw;
  const outPositions = g.n * g.od * g.oh * g.ow;
  const taps = g.fd * g.fh * g.fw;
  return {
    params: WINDOW_FIELDS.map((field) => g[field]),
    outPositions,
    inPositions,
    taps,
    pointwise: isPointwiseWindow(g),
  };
}

/**
 * WGSL of the geometry block at param word `offset`: `struct Geo` (i32 fields named as in
 * ops-conv's WINDOW_FIELDS), `geo()`, and the decomposition of a flat output or input position into
 * (batch, depth, height, width).
 */
export function windowWgsl(offset: number): string {
  return `
struct Geo { ${WINDOW_FIELDS.map((f) => `${f}: i32`).join(', ')} }
fn geo() -> Geo {
  return Geo(${WINDOW_FIELDS.map((_, i) => `prmi(${offset + i}u)`).join(', ')});
}
/** (batch, depth, height, width) of output position p. */
fn out_pos(g: Geo, p: i32) -> vec4<i32> {
  let w = p % g.ow; let q = p / g.ow; let h = q % g.oh; let q2 = q / g.oh;
  return vec4<i32>(q2 / g.od, q2 % g.od, h, w);
}
/** (batch, depth, height, width) of input position p. */
fn in_pos(g: Geo, p: i32) -> vec4<i32> {
  let w = p % g.iw; let q = p / g.iw; let h = q % g.ih; let q2 = q / g.ih;
  return vec4<i32>(q2 / g.id, q2 % g.id, h, w);
}
/** Input position of (batch, depth, height, width). */
fn in_index(g: Geo, z: vec4<i32>) -> i32 { return ((z.x * g.id + z.y) * g.ih + z.z) * g.iw + z.w; }
/** Output position of (batch, depth, height, width). */
fn out_index(g: Geo, o: vec4<i32>) -> i32 { return ((o.x * g.od + o.y) * g.oh + o.z) * g.ow + o.w; }
/** Tap t (filter order: depth, height, width) as (kd, kh, kw). */
fn tap_of(g: Geo, t: i32) -> vec3<i32> {
  return vec3<i32>(t / (g.fh * g.fw), (t / g.fw) % g.fh, t % g.fw);
}
/** Where the window of output o starts in the input: (batch, depth, height, width), may be < 0. */
fn window_start(g: Geo, o: vec4<i32>) -> vec4<i32> {
  return vec4<i32>(o.x, o.y * g.sd - g.pd, o.z * g.sh - g.pt, o.w * g.sw - g.pl);
}
/** Offset of tap k from its window's start (dilated). */
fn tap_offset(g: Geo, k: vec3<i32>) -> vec4<i32> { return vec4<i32>(0, k.x * g.dd, k.y * g.dh, k.z * g.dw); }
/** Where tap k of the window of output o reads the input (batch, depth, height, width). */
fn tap_pos(g: Geo, o: vec4<i32>, k: vec3<i32>) -> vec4<i32> { return window_start(g, o) + tap_offset(g, k); }
/** Input position z in the padded input. */
fn padded(g: Geo, z: vec4<i32>) -> vec4<i32> { return z + vec4<i32>(0, g.pd, g.pt, g.pl); }
fn inside(g: Geo, z: vec4<i32>) -> bool {
  return z.y >= 0 && z.y < g.id && z.z >= 0 && z.z < g.ih && z.w >= 0 && z.w < g.iw;
}
/**
 * The output whose window starts at padded position n (y, z, w): (depth, height, width, 1), or
 * all -1 when there is none (n off the stride grid or outside the output).
 */
fn source_at(g: Geo, n: vec4<i32>) -> vec4<i32> {
  if (n.y < 0 || n.z < 0 || n.w < 0 || n.y % g.sd != 0 || n.z % g.sh != 0 || n.w % g.sw != 0) {
    return vec4<i32>(-1);
  }
  let o = vec3<i32>(n.y / g.sd, n.z / g.sh, n.w / g.sw);
  if (o.x >= g.od || o.y >= g.oh || o.z >= g.ow) { return vec4<i32>(-1); }
  return vec4<i32>(o, 1);
}
/**
 * The output whose tap k reads the input at padded position zp (the inverse of tap_pos), as
 * source_at.
 */
fn source_of(g: Geo, zp: vec4<i32>, k: vec3<i32>) -> vec4<i32> { return source_at(g, zp - tap_offset(g, k)); }`;
}

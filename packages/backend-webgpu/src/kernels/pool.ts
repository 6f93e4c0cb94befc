/**
 * Max and average pooling, 2-D and 3-D (one shader: 2-D has depth 1), and their gradients,
 * as the CPU kernels define them: windows only visit real (unpadded) elements, max pooling
 * never picks padding, average pooling divides by the count of real elements, and a window
 * without any gives 0. The max-pool kernels recompute each window's argmax from x (the first
 * maximum in window order on ties; NaN never replaces the running maximum), so MaxPool,
 * MaxPoolGrad and MaxPoolGradGrad always agree.
 *
 * The gradients are gathers, one invocation per input element (no atomics): the element sums
 * over the windows that contain it, in increasing output order as the CPU kernels scatter.
 * Params: word 0 the number of outputs, then the window geometry.
 */
import type { Kernel, Shape, TensorInfo } from '@tapegrad/core';
import type { PoolAttrs, PoolGradAttrs } from '@tapegrad/ops-conv';
import type { GpuData, WebGPUBackend } from '../backend.js';
import { program, wgslType } from '../wgsl.js';
import { GEO_WORDS, windowOf, windowWgsl } from './window.js';

type WK<A> = Kernel<A, WebGPUBackend>;

/** WGSL helpers over the window of output o: the argmax (x is in0) and the count of real elements. */
function windowHelpers(t: string): string {
  const greater = t === 'f32' ? 'v > best && !is_nan(v) && !is_nan(best)' : 'v > best';
  return `${windowWgsl(1)}
fn taps(gm: Geo) -> i32 { return gm.fd * gm.fh * gm.fw; }
/** Flat index into x of the first maximum of channel ch in the window of output o; -1 if empty. */
fn window_argmax(gm: Geo, o: vec4<i32>, ch: i32) -> i32 {
  var best_j = -1;
  var best = ${t}(0);
  let s = window_start(gm, o);
  // Taps in filter order (depth, height, width), as nested loops: no division per tap.
  for (var kd = 0; kd < gm.fd; kd = kd + 1) {
    for (var kh = 0; kh < gm.fh; kh = kh + 1) {
      for (var kw = 0; kw < gm.fw; kw = kw + 1) {
        let z = s + vec4<i32>(0, kd * gm.dd, kh * gm.dh, kw * gm.dw);
        if (!inside(gm, z)) { continue; }
        let j = in_index(gm, z) * gm.c + ch;
        let v = in0[j];
        if (best_j < 0 || (${greater})) { best_j = j; best = v; }
      }
    }
  }
  return best_j;
}
/**
 * The outputs along one dimension whose windows contain padded coordinate p (stride st,
 * filter f, dilation d, O outputs): [first, last], of which those with (p − o·st) % d == 0.
 * (p − (f−1)·d + st − 1) / st is the ceiling where it matters (clamped at 0 below).
 */
fn window_range(p: i32, st: i32, f: i32, d: i32, size: i32) -> vec2<i32> {
  return vec2<i32>(max(0, (p - (f - 1) * d + st - 1) / st), min(size - 1, p / st));
}
fn real_count(start: i32, f: i32, size: i32) -> i32 { return max(0, min(f, size - start) - max(0, -start)); }
/** Number of real (unpadded) elements in the window of output o. */
fn window_count(gm: Geo, o: vec4<i32>) -> i32 {
  return real_count(o.y * gm.sd - gm.pd, gm.fd, gm.id) * real_count(o.z * gm.sh - gm.pt, gm.fh, gm.ih) *
    real_count(o.w * gm.sw - gm.pl, gm.fw, gm.iw);
}`;
}

/**
 * Runs a pooling program with one invocation per element of `spec`; `body` sees gm (the
 * geometry) and ch (the channel), and gets its position from AT_OUTPUT or forEachWindowOf.
 */
function runPool(
  backend: WebGPUBackend,
  key: string,
  op: string,
  inputs: readonly TensorInfo[],
  xShape: Shape,
  attrs: PoolAttrs,
  spec: TensorInfo,
  body: (t: string) => string,
): TensorInfo {
  const w = windowOf(op, xShape, attrs.filterSize, attrs);
  const t = wgslType(inputs[0]!.dtype);
  const out = backend.alloc(spec);
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const prog = program({
    key: `pool-${key}:${t}`,
    inputs: inputs.map(() => t),
    output: t,
    numParams: 1 + GEO_WORDS,
    helpers: windowHelpers(t),
    body: () => `
  let gm = geo(); let ch = i32(i) % gm.c;${body(t)}`,
  });
  backend.run(
    prog,
    inputs.map((x) => x.dataId as GpuData),
    out,
    [count, ...w.params],
    count,
  );
  return { dataId: out, shape: spec.shape, dtype: spec.dtype };
}

/** Output o of this invocation. */
const AT_OUTPUT = `
  let o = out_pos(gm, i32(i) / gm.c);`;

/**
 * Visits, for this invocation's input element z, the outputs o whose windows contain it, in
 * increasing output order (nested loops over the candidate outputs of each dimension, not over
 * every tap); `visit` sees o.
 */
function forEachWindowOf(visit: string): string {
  return `
  let z = in_pos(gm, i32(i) / gm.c);
  let zp = padded(gm, z);
  let rd = window_range(zp.y, gm.sd, gm.fd, gm.dd, gm.od);
  let rh = window_range(zp.z, gm.sh, gm.fh, gm.dh, gm.oh);
  let rw = window_range(zp.w, gm.sw, gm.fw, gm.dw, gm.ow);
  for (var od = rd.x; od <= rd.y; od = od + 1) {
    if ((zp.y - od * gm.sd) % gm.dd != 0) { continue; }
    for (var oh = rh.x; oh <= rh.y; oh = oh + 1) {
      if ((zp.z - oh * gm.sh) % gm.dh != 0) { continue; }
      for (var ow = rw.x; ow <= rw.y; ow = ow + 1) {
        if ((zp.w - ow * gm.sw) % gm.dw != 0) { continue; }
        let o = vec4<i32>(z.x, od, oh, ow);
        ${visit}
      }
    }
  }`;
}

function maxPool(op: string): WK<PoolAttrs> {
  return ({ inputs: [x], attrs, outputs: [spec], backend }) =>
    runPool(
      backend,
      'max',
      op,
      [x!],
      x!.shape,
      attrs,
      spec as TensorInfo,
      (t) => `${AT_OUTPUT}
  let j = window_argmax(gm, o, ch);
  out[i] = select(${t}(0), in0[max(j, 0)], j >= 0);`,
    );
}

/** dx[z] = Σ over the windows whose argmax is z of dy. */
function maxPoolGrad(op: string): WK<PoolAttrs> {
  return ({ inputs: [x, dy], attrs, outputs: [spec], backend }) =>
    runPool(
      backend,
      'max-grad',
      op,
      [x!, dy!],
      x!.shape,
      attrs,
      spec as TensorInfo,
      (t) => `
  var s = ${t}(0);${forEachWindowOf(
    `if (window_argmax(gm, o, ch) == i32(i)) { s = s + in1[out_index(gm, o) * gm.c + ch]; }`,
  )}
  out[i] = s;`,
    );
}

/** out[o] = gr[argmax of window o]. */
function maxPoolGradGrad(op: string): WK<PoolAttrs> {
  return ({ inputs: [x, gr], attrs, outputs: [spec], backend }) =>
    runPool(
      backend,
      'max-grad-grad',
      op,
      [x!, gr!],
      x!.shape,
      attrs,
      spec as TensorInfo,
      (t) => `${AT_OUTPUT}
  let j = window_argmax(gm, o, ch);
  out[i] = select(${t}(0), in1[max(j, 0)], j >= 0);`,
    );
}

function avgPool(op: string): WK<PoolAttrs> {
  return ({ inputs: [x], attrs, outputs: [spec], backend }) =>
    runPool(
      backend,
      'avg',
      op,
      [x!],
      x!.shape,
      attrs,
      spec as TensorInfo,
      (t) => `${AT_OUTPUT}
  var s = ${t}(0);
  for (var k = 0; k < taps(gm); k = k + 1) {
    let z = tap_pos(gm, o, tap_of(gm, k));
    if (inside(gm, z)) { s = s + in0[in_index(gm, z) * gm.c + ch]; }
  }
  let n = window_count(gm, o);
  out[i] = select(${t}(0), s / ${t}(n), n > 0);`,
    );
}

/** dx[z] = Σ over the windows containing z of dy / (their count of real elements). */
function avgPoolGrad(op: string): WK<PoolGradAttrs> {
  return ({ inputs: [dy], attrs, outputs: [spec], backend }) =>
    runPool(
      backend,
      'avg-grad',
      op,
      [dy!],
      attrs.inputShape,
      attrs,
      spec as TensorInfo,
      (t) => `
  var s = ${t}(0);${forEachWindowOf(
    `s = s + in0[out_index(gm, o) * gm.c + ch] / ${t}(window_count(gm, o));`,
  )}
  out[i] = s;`,
    );
}

export const poolKernels: Record<string, WK<never>> = {
  MaxPool: maxPool('maxPool'),
  MaxPoolGrad: maxPoolGrad('maxPoolGrad'),
  MaxPoolGradGrad: maxPoolGradGrad('maxPoolGradGrad'),
  AvgPool: avgPool('avgPool'),
  AvgPoolGrad: avgPoolGrad('avgPoolGrad'),
  MaxPool3D: maxPool('maxPool3d'),
  MaxPool3DGrad: maxPoolGrad('maxPool3DGrad'),
  MaxPool3DGradGrad: maxPoolGradGrad('maxPool3DGradGrad'),
  AvgPool3D: avgPool('avgPool3d'),
  AvgPool3DGrad: avgPoolGrad('avgPool3DGrad'),
};

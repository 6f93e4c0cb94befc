/**
 * DepthwiseConv2D and its backprops: direct WGSL loops (the work per output is one channel's
 * taps, too little for a GEMM). x [n, h, w, c], filter [fh, fw, c, m], y [n, oh, ow, c·m] with
 *   y[o, ch·m + q] = Σ_taps t x[z(o, t), ch] · filter[t, ch, q].
 * Params: word 0 the number of outputs, words 1..20 the window geometry, word 21 the
 * multiplier m; one pipeline per kernel and dtype serves every shape.
 */
import type { Kernel, TensorInfo } from '@tapegrad/core';
import type {
  ConvAttrs,
  ConvBackpropFilterAttrs,
  ConvBackpropInputAttrs,
} from '@tapegrad/ops-conv';
import type { GpuData, WebGPUBackend } from '../backend.js';
import { program, wgslType } from '../wgsl.js';
import type { Window } from './window.js';
import { GEO_WORDS, windowOf, windowWgsl } from './window.js';

type WK<A> = Kernel<A, WebGPUBackend>;

/** Threads of the filter-gradient workgroup (one workgroup per filter element). */
const WG = 64;

/** Runs one depthwise program over `count` outputs (threads) or workgroups (`perWorkgroup`). */
function runDepthwise(
  backend: WebGPUBackend,
  name: string,
  inputs: readonly TensorInfo[],
  spec: TensorInfo,
  w: Window,
  multiplier: number,
  body: (t: string) => string,
  perWorkgroup = false,
): TensorInfo {
  const t = wgslType(spec.dtype);
  const out = backend.alloc(spec);
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const prog = program({
    key: `depthwise-${name}:${t}`,
    inputs: [t, t],
    output: t,
    numParams: 2 + GEO_WORDS,
    helpers: windowWgsl(1),
    body: () => body(t),
    ...(perWorkgroup
      ? { workgroup: { size: WG, shared: `var<workgroup> partial: array<${t}, ${WG}>;` } }
      : {}),
  });
  backend.run(
    prog,
    inputs.map((i) => i.dataId as GpuData),
    out,
    [count, ...w.params, multiplier],
    perWorkgroup ? backend.groups(count, `depthwise-${name}`) : count,
  );
  return { dataId: out, shape: spec.shape, dtype: spec.dtype };
}

/** Shared opening of the bodies: geometry, multiplier, channels·multiplier, number of taps. */
const PROLOGUE = `
  let gm = geo(); let m = prmi(${1 + GEO_WORDS}u); let cm = gm.c * m; let taps = gm.fd * gm.fh * gm.fw;`;

const forward: WK<ConvAttrs> = ({ inputs: [x, f], attrs, outputs: [spec], backend }) => {
  const w = windowOf('depthwiseConv2d', x!.shape, f!.shape.slice(0, 2), attrs);
  return runDepthwise(backend, 'forward', [x!, f!], spec as TensorInfo, w, f!.shape[3]!, (t) => {
    return `${PROLOGUE}
  let oc = i32(i) % cm; let o = out_pos(gm, i32(i) / cm); let ch = oc / m;
  var s = ${t}(0);
  for (var k = 0; k < taps; k = k + 1) {
    let z = tap_pos(gm, o, tap_of(gm, k));
    if (inside(gm, z)) { s = s + in0[in_index(gm, z) * gm.c + ch] * in1[k * cm + oc]; }
  }
  out[i] = s;`;
  });
};

/** dx[z, ch] = Σ over taps t whose output o(z, t) exists, and q < m, of dy[o, ch·m + q] · filter[t, ch, q]. */
const backpropInput: WK<ConvBackpropInputAttrs> = ({
  inputs: [dy, f],
  attrs,
  outputs: [spec],
  backend,
}) => {
  const w = windowOf('depthwiseConv2DBackpropInput', attrs.inputShape, f!.shape.slice(0, 2), attrs);
  return runDepthwise(backend, 'input', [dy!, f!], spec as TensorInfo, w, f!.shape[3]!, (t) => {
    return `${PROLOGUE}
  let ch = i32(i) % gm.c; let z = in_pos(gm, i32(i) / gm.c); let zp = padded(gm, z);
  var s = ${t}(0);
  for (var k = 0; k < taps; k = k + 1) {
    let o = source_of(gm, zp, tap_of(gm, k));
    if (o.w < 0) { continue; }
    let yb = out_index(gm, vec4<i32>(z.x, o.xyz)) * cm + ch * m;
    let fb = k * cm + ch * m;
    for (var q = 0; q < m; q = q + 1) { s = s + in0[yb + q] * in1[fb + q]; }
  }
  out[i] = s;`;
  });
};

/** dfilter[t, ch, q] = Σ over output positions o of x[z(o, t), ch] · dy[o, ch·m + q]: a workgroup sum. */
const backpropFilter: WK<ConvBackpropFilterAttrs> = ({
  inputs: [x, dy],
  attrs,
  outputs: [spec],
  backend,
}) => {
  const w = windowOf(
    'depthwiseConv2DBackpropFilter',
    x!.shape,
    attrs.filterShape.slice(0, 2),
    attrs,
  );
  return runDepthwise(
    backend,
    'filter',
    [x!, dy!],
    spec as TensorInfo,
    w,
    attrs.filterShape[3]!,
    (t) => `
  if (wid >= prm(0u)) { return; }
  ${PROLOGUE}
  let k = i32(wid) / cm; let oc = i32(wid) % cm; let ch = oc / m;
  let tap = tap_of(gm, k);
  let positions = gm.n * gm.od * gm.oh * gm.ow;
  var s = ${t}(0);
  for (var p = i32(lid); p < positions; p = p + ${WG}) {
    let z = tap_pos(gm, out_pos(gm, p), tap);
    if (inside(gm, z)) { s = s + in0[in_index(gm, z) * gm.c + ch] * in1[p * cm + oc]; }
  }
  partial[lid] = s;
  workgroupBarrier();
  for (var h = ${WG / 2}u; h > 0u; h = h >> 1u) {
    if (lid < h) { partial[lid] = partial[lid] + partial[lid + h]; }
    workgroupBarrier();
  }
  if (lid == 0u) { out[wid] = partial[0]; }`,
    true,
  );
};

export const depthwiseKernels: Record<string, WK<never>> = {
  DepthwiseConv2D: forward,
  DepthwiseConv2DBackpropInput: backpropInput,
  DepthwiseConv2DBackpropFilter: backpropFilter,
};

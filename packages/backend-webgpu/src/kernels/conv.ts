/**
 * Conv2D / Conv3D and their backprops as implicit GEMMs on the register-blocked GEMM of
 * matmul.ts (channels-last, as the primitives are; a 2-D op is a 3-D one of depth 1). With
 * P = output positions, Q = input positions and K = taps·inChannels:
 *   forward:         y[P × Cout]           = col(x)[P × K] · W[K × Cout]
 *   backprop input:  dx[Q × Cin]           = A[Q × taps·Cout] · B[taps·Cout × Cin], where
 *                    A[(z), (t, co)] = dy[o, co] for the output o whose tap t reads z (else 0)
 *                    and B[(t, co), ci] = W[t, ci, co] (the transposed convolution)
 *   backprop filter: dW[K × Cout]          = col(x)ᵀ[K × P] · dy[P × Cout]
 * col(x) is never stored: the GEMM's loads compute it from the window geometry (uniforms), so
 * one pipeline per kernel and dtype serves every shape, stride, dilation and padding.
 */
import type { Kernel, TensorInfo } from '@tapegrad/core';
import type {
  ConvAttrs,
  ConvBackpropFilterAttrs,
  ConvBackpropInputAttrs,
} from '@tapegrad/ops-conv';
import type { GpuData, WebGPUBackend } from '../backend.js';
import { wgslType } from '../wgsl.js';
import { matmulSpec, runGemm } from './matmul.js';
import { WINDOW_FIELDS } from '@tapegrad/ops-conv';
import { windowOf, windowWgsl } from './window.js';

type WK<A> = Kernel<A, WebGPUBackend>;

/**
 * WGSL shared by the forward and filter GEMMs (x is in0; geometry at param word 3): B's column
 * context is its index, and C is stored row-major with N columns.
 */
function im2colWgsl(t: string): string {
  return `${windowWgsl(3)}
fn b_col(z: u32, c: u32) -> vec4<i32> { return vec4<i32>(i32(c), 0, 0, 0); }
fn store(z: u32, r: u32, c: u32, v: ${t}) { out[r * prm(1u) + c] = v; }
/** x at (batch, depth, height, width) z and channel ch, 0 in the padding. */
fn x_at(g: Geo, z: vec4<i32>, ch: i32) -> ${t} {
  if (!inside(g, z)) { return ${t}(0); }
  return in0[in_index(g, z) * g.c + ch];
}`;
}

/**
 * Runs one of the three GEMMs with params [M, N, K, ...extra]; a pointwise window (1×1, unit
 * strides, no padding) runs as a plain matmul of the stored operands, transposed as `pointwise`.
 */
function runConvGemm(
  backend: WebGPUBackend,
  op: string,
  key: string,
  inputs: readonly TensorInfo[],
  spec: TensorInfo,
  mnk: [number, number, number],
  extra: readonly number[],
  helpers: (t: string) => string,
  pointwise: { tA: boolean; tB: boolean } | null,
): TensorInfo {
  const t = wgslType(spec.dtype);
  const out = backend.alloc(spec);
  runGemm(
    backend,
    pointwise
      ? matmulSpec(op, t, pointwise.tA, pointwise.tB, 0)
      : { op, key: `${key}:${t}`, type: t, helpers: helpers(t) },
    inputs.map((i) => i.dataId as GpuData),
    out,
    pointwise ? mnk : [...mnk, ...extra],
  );
  return { dataId: out, shape: spec.shape, dtype: spec.dtype };
}

/** y = col(x) · W. */
function forward(op: string): WK<ConvAttrs> {
  return ({ inputs: [x, f], attrs, outputs: [spec], backend }) => {
    const r = x!.shape.length - 2;
    const w = windowOf(op, x!.shape, f!.shape.slice(0, r), attrs);
    const cin = x!.shape[r + 1]!;
    const cout = f!.shape[r + 1]!;
    return runConvGemm(
      backend,
      op,
      'conv-forward',
      [x!, f!],
      spec as TensorInfo,
      [w.outPositions, cout, w.taps * cin],
      w.params,
      // A row r: the start of output r's window; column k: tap k / Cin (its offset from the
      // window start, in y, z, w) and channel k % Cin (in x).
      (t) => `${im2colWgsl(t)}
fn a_row(z: u32, r: u32) -> vec4<i32> { let g = geo(); return window_start(g, out_pos(g, i32(r))); }
fn a_k(k: u32) -> vec4<i32> {
  let g = geo();
  return tap_offset(g, tap_of(g, i32(k) / g.c)) + vec4<i32>(i32(k) % g.c, 0, 0, 0);
}
fn load_a(row: vec4<i32>, k: vec4<i32>) -> ${t} {
  return x_at(geo(), vec4<i32>(row.x, row.yzw + k.yzw), k.x);
}
fn load_b(col: vec4<i32>, k: u32) -> ${t} { return in1[i32(k) * prmi(1u) + col.x]; }`,
      w.pointwise ? { tA: false, tB: false } : null,
    );
  };
}

/** dW = col(x)ᵀ · dy. */
function backpropFilter(op: string): WK<ConvBackpropFilterAttrs> {
  return ({ inputs: [x, dy], attrs, outputs: [spec], backend }) => {
    const r = x!.shape.length - 2;
    const w = windowOf(op, x!.shape, attrs.filterShape.slice(0, r), attrs);
    const cin = x!.shape[r + 1]!;
    const cout = attrs.filterShape[r + 1]!;
    return runConvGemm(
      backend,
      op,
      'conv-filter',
      [x!, dy!],
      spec as TensorInfo,
      [w.taps * cin, cout, w.outPositions],
      w.params,
      // A row r: tap r / Cin (its offset from the window start) and channel r % Cin; column k:
      // the start of output k's window.
      (t) => `${im2colWgsl(t)}
fn a_row(z: u32, r: u32) -> vec4<i32> {
  let g = geo();
  return tap_offset(g, tap_of(g, i32(r) / g.c)) + vec4<i32>(i32(r) % g.c, 0, 0, 0);
}
fn a_k(k: u32) -> vec4<i32> { let g = geo(); return window_start(g, out_pos(g, i32(k))); }
fn load_a(row: vec4<i32>, k: vec4<i32>) -> ${t} {
  return x_at(geo(), k + vec4<i32>(0, row.yzw), row.x);
}
fn load_b(col: vec4<i32>, k: u32) -> ${t} { return in1[i32(k) * prmi(1u) + col.x]; }`,
      w.pointwise ? { tA: true, tB: false } : null,
    );
  };
}

/** dx[z, ci] = Σ over taps t and output channels co of dy[o(z, t), co] · W[t, ci, co]. */
function backpropInput(op: string): WK<ConvBackpropInputAttrs> {
  return ({ inputs: [dy, f], attrs, outputs: [spec], backend }) => {
    const r = attrs.inputShape.length - 2;
    const w = windowOf(op, attrs.inputShape, f!.shape.slice(0, r), attrs);
    const cin = attrs.inputShape[r + 1]!;
    const cout = f!.shape[r + 1]!;
    // With unit strides every (input, tap) pair has its output (if inside): no stride test.
    const unit = (['sd', 'sh', 'sw'] as const).every(
      (field) => w.params[WINDOW_FIELDS.indexOf(field)] === 1,
    );
    const source = (t: string): string =>
      unit
        ? `let n = row.yzw - k.yzw;
  if (any(n < vec3<i32>(0)) || n.x >= g.od || n.y >= g.oh || n.z >= g.ow) { return ${t}(0); }
  return in0[out_index(g, vec4<i32>(row.x, n)) * cout + k.x];`
        : `let o = source_at(g, vec4<i32>(row.x, row.yzw - k.yzw));
  if (o.w < 0) { return ${t}(0); }
  return in0[out_index(g, vec4<i32>(row.x, o.xyz)) * cout + k.x];`;
    // Params: M, N (= Cin), K, Cout, then the geometry.
    return runConvGemm(
      backend,
      op,
      unit ? 'conv-input-unit' : 'conv-input',
      [dy!, f!],
      spec as TensorInfo,
      [w.inPositions, cin, w.taps * cout],
      [cout, ...w.params],
      // A row r: input position r, padded; column k: tap k / Cout (its offset, in y, z, w) and
      // output channel k % Cout (in x).
      (t) => `${windowWgsl(4)}
fn a_row(z: u32, r: u32) -> vec4<i32> { let g = geo(); return padded(g, in_pos(g, i32(r))); }
fn a_k(k: u32) -> vec4<i32> {
  let g = geo(); let cout = prmi(3u);
  return tap_offset(g, tap_of(g, i32(k) / cout)) + vec4<i32>(i32(k) % cout, 0, 0, 0);
}
fn load_a(row: vec4<i32>, k: vec4<i32>) -> ${t} {
  let g = geo(); let cout = prmi(3u);
  ${source(t)}
}
fn b_col(z: u32, c: u32) -> vec4<i32> { return vec4<i32>(i32(c), 0, 0, 0); }
fn load_b(col: vec4<i32>, k: u32) -> ${t} {
  let cout = prmi(3u);
  return in1[((i32(k) / cout) * prmi(1u) + col.x) * cout + i32(k) % cout];
}
fn store(z: u32, r: u32, c: u32, v: ${t}) { out[r * prm(1u) + c] = v; }`,
      w.pointwise ? { tA: false, tB: true } : null,
    );
  };
}

export const convKernels: Record<string, WK<never>> = {
  Conv2D: forward('conv2d'),
  Conv2DBackpropInput: backpropInput('conv2DBackpropInput'),
  Conv2DBackpropFilter: backpropFilter('conv2DBackpropFilter'),
  Conv3D: forward('conv3d'),
  Conv3DBackpropInput: backpropInput('conv3DBackpropInput'),
  Conv3DBackpropFilter: backpropFilter('conv3DBackpropFilter'),
};

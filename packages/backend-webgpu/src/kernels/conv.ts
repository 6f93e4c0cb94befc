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
import { gemmProgram, runGemm } from './matmul.js';
import { windowOf, windowWgsl } from './window.js';

type WK<A> = Kernel<A, WebGPUBackend>;

/** Element (p, k) of x's column matrix (x is in0; geometry at param word 3). */
function im2colWgsl(t: string): string {
  return `${windowWgsl(3)}
fn im2col(g: Geo, p: u32, k: u32) -> ${t} {
  let z = tap_pos(g, out_pos(g, i32(p)), tap_of(g, i32(k) / g.c));
  if (!inside(g, z)) { return ${t}(0); }
  return in0[in_index(g, z) * g.c + i32(k) % g.c];
}
fn a_base(z: u32) -> u32 { return 0u; }
fn b_base(z: u32) -> u32 { return 0u; }
fn store(z: u32, r: u32, c: u32, v: ${t}) { out[r * prm(1u) + c] = v; }`;
}

/** Runs one of the three GEMMs with params [M, N, K, ...extra]. */
function runConvGemm(
  backend: WebGPUBackend,
  op: string,
  key: string,
  inputs: readonly TensorInfo[],
  spec: TensorInfo,
  mnk: [number, number, number],
  extra: readonly number[],
  helpers: (t: string) => string,
): TensorInfo {
  const t = wgslType(spec.dtype);
  const out = backend.alloc(spec);
  const params = [...mnk, ...extra];
  const prog = gemmProgram({
    key: `${key}:${t}`,
    type: t,
    inputs: [t, t],
    numParams: params.length,
    helpers: helpers(t),
  });
  runGemm(
    backend,
    op,
    prog,
    inputs.map((i) => i.dataId as GpuData),
    out,
    params,
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
      (t) => `${im2colWgsl(t)}
fn load_a(base: u32, r: u32, k: u32) -> ${t} { return im2col(geo(), r, k); }
fn load_b(base: u32, k: u32, c: u32) -> ${t} { return in1[k * prm(1u) + c]; }`,
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
      (t) => `${im2colWgsl(t)}
fn load_a(base: u32, r: u32, k: u32) -> ${t} { return im2col(geo(), k, r); }
fn load_b(base: u32, k: u32, c: u32) -> ${t} { return in1[k * prm(1u) + c]; }`,
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
    // Params: M, N (= Cin), K, Cout, then the geometry.
    return runConvGemm(
      backend,
      op,
      'conv-input',
      [dy!, f!],
      spec as TensorInfo,
      [w.inPositions, cin, w.taps * cout],
      [cout, ...w.params],
      (t) => `${windowWgsl(4)}
fn a_base(z: u32) -> u32 { return 0u; }
fn b_base(z: u32) -> u32 { return 0u; }
fn load_a(base: u32, r: u32, k: u32) -> ${t} {
  let g = geo(); let cout = prmi(3u);
  let z = in_pos(g, i32(r));
  let o = source_of(g, z, tap_of(g, i32(k) / cout));
  if (o.w < 0) { return ${t}(0); }
  return in0[out_index(g, vec4<i32>(z.x, o.xyz)) * cout + i32(k) % cout];
}
fn load_b(base: u32, k: u32, c: u32) -> ${t} {
  let cout = prm(3u);
  return in1[((k / cout) * prm(1u) + c) * cout + k % cout];
}
fn store(z: u32, r: u32, c: u32, v: ${t}) { out[r * prm(1u) + c] = v; }`,
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

import type { DType, Kernel, TensorInfo } from '@tapegrad/core';
import { shapesEqual, sizeFromShape } from '@tapegrad/core';
import type { GpuData, Program, WebGPUBackend } from '../backend.js';
import type { FusedExpression } from '../fusion/codegen.js';
import { fusedExpression } from '../fusion/codegen.js';
import { program, wgslType } from '../wgsl.js';
import { transposeInfo } from './layout.js';

type WK<A = Record<string, unknown>> = Kernel<A, WebGPUBackend>;

interface Combiner {
  identity: (t: string) => string;
  combine: (t: string) => string;
}

const INT_MIN = '(-2147483647 - 1)';
const REDUCERS: Record<string, Combiner> = {
  Sum: { identity: () => '0', combine: () => 'x + y' },
  Prod: { identity: () => '1', combine: () => 'x * y' },
  Max: {
    identity: (t) => (t === 'f32' ? '-f_inf()' : INT_MIN),
    combine: (t) =>
      t === 'f32' ? 'select(select(x, y, y > x), f_nan(), is_nan(x) || is_nan(y))' : 'max(x, y)',
  },
  Min: {
    identity: (t) => (t === 'f32' ? 'f_inf()' : '2147483647'),
    combine: (t) =>
      t === 'f32' ? 'select(select(x, y, y < x), f_nan(), is_nan(x) || is_nan(y))' : 'min(x, y)',
  },
  Any: { identity: () => '0u', combine: () => 'select(0u, 1u, x != 0u || y != 0u)' },
  All: { identity: () => '1u', combine: () => 'select(0u, 1u, x != 0u && y != 0u)' },
};

const WG = 64;

/** Views x as [outer, reduce, inner]; non-contiguous axes are transposed to the end first. */
function layout(
  backend: WebGPUBackend,
  x: TensorInfo,
  axes: readonly number[],
): { src: TensorInfo; outer: number; reduce: number; inner: number; temp: boolean } {
  const shape = x.shape;
  const sorted = [...axes].sort((a, b) => a - b);
  const contiguous = sorted.every((a, i) => i === 0 || a === sorted[i - 1]! + 1);
  if (sorted.length === 0)
    return { src: x, outer: sizeFromShape(shape), reduce: 1, inner: 1, temp: false };
  if (contiguous) {
    const first = sorted[0]!;
    const last = sorted[sorted.length - 1]!;
    return {
      src: x,
      outer: sizeFromShape(shape.slice(0, first)),
      reduce: sizeFromShape(shape.slice(first, last + 1)),
      inner: sizeFromShape(shape.slice(last + 1)),
      temp: false,
    };
  }
  const kept = shape.map((_, i) => i).filter((i) => !sorted.includes(i));
  const perm = [...kept, ...sorted];
  return {
    src: transposeInfo(backend, x, perm),
    outer: sizeFromShape(kept.map((i) => shape[i]!)),
    reduce: sizeFromShape(sorted.map((i) => shape[i]!)),
    inner: 1,
    temp: true,
  };
}

/** Elements one workgroup reduces at least before a reduction is split over workgroups. */
const MIN_PART = 4096;

/**
 * Parts each line of a reduction is split into: lines of R elements reduced by `count`
 * workgroups would leave the device idle when count is small and R long (a full sum is one
 * workgroup), so each line is cut into parts of ≥ MIN_PART elements, up to the backend's
 * `occupancy` workgroups in all, and a second pass combines the parts.
 */
function partsOf(count: number, reduce: number, occupancy: number): number {
  return Math.max(1, Math.min(Math.floor(reduce / MIN_PART), Math.ceil(occupancy / count)));
}

/**
 * The reduction program: workgroup wid reduces part wid % parts (`len` elements) of line
 * wid / parts, through `fused(i)` (the input, or a lazy input's expression: a fused prologue),
 * into out[wid]. Params: lines·parts, R, inner, parts, len, then the prologue's words.
 */
function reduceProgram(
  op: string,
  t: string,
  outT: string,
  prologue: FusedExpression | null,
): Program {
  const r = REDUCERS[op]!;
  return program({
    key: `reduce:${op}:${t}>${outT}${prologue ? `:${prologue.key}` : ''}`,
    inputs: prologue ? prologue.inputs.map((d) => wgslType(d.dtype)) : [t],
    output: outT,
    numParams: 5 + (prologue?.params.length ?? 0),
    helpers: `fn comb(x: ${t}, y: ${t}) -> ${t} { return ${r.combine(t)}; }
${prologue ? prologue.code : `fn fused(i: u32) -> ${t} { return in0[i]; }`}`,
    workgroup: { size: WG, shared: `var<workgroup> sh: array<${t}, ${WG}>;` },
    body: `
  if (wid >= prm(0u)) { return; }
  let R = prm(1u);
  let inner = prm(2u);
  let line = wid / prm(3u);
  let k0 = (wid % prm(3u)) * prm(4u);
  let k1 = min(R, k0 + prm(4u));
  let base = (line / inner) * R * inner + line % inner;
  var acc: ${t} = ${r.identity(t)};
  for (var k = k0 + lid; k < k1; k = k + ${WG}u) { acc = comb(acc, fused(base + k * inner)); }
  sh[lid] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { sh[lid] = comb(sh[lid], sh[lid + s]); }
    workgroupBarrier();
  }
  if (lid == 0u) { out[wid] = ${outT}(sh[0]); }`,
  });
}

function reduceKernel(op: string): WK<{ axes: number[] }> {
  return ({ inputs: [x], attrs, outputs: [o], backend }) => {
    const { src, outer, reduce, inner, temp } = layout(backend, x!, attrs.axes);
    const out = backend.alloc(o!);
    const t = wgslType(x!.dtype);
    const outT = wgslType(o!.dtype);
    const count = outer * inner;
    // A lazy elementwise input is computed inside the reduction (a fused prologue).
    const lazy = src.dataId as GpuData;
    const prologue =
      lazy.expr && shapesEqual(lazy.expr.shape, src.shape)
        ? fusedExpression(lazy, src.shape, 5)
        : null;
    const inputs = prologue ? prologue.inputs : [lazy];
    const extra = prologue?.params ?? [];
    const parts = partsOf(count, reduce, backend.occupancy);
    const name = `reduce ${op}`;
    if (parts === 1) {
      backend.run(
        reduceProgram(op, t, outT, prologue),
        inputs,
        out,
        [count, reduce, inner, 1, reduce, ...extra],
        backend.groups(count, name),
      );
    } else {
      // The parts of every line into partial[count, parts], then each line's parts into out.
      const len = Math.ceil(reduce / parts);
      const partial = backend.alloc({ shape: [count, parts], dtype: x!.dtype });
      const groups = count * parts;
      backend.run(
        reduceProgram(op, t, t, prologue),
        inputs,
        partial,
        [groups, reduce, inner, parts, len, ...extra],
        backend.groups(groups, name),
      );
      backend.run(
        reduceProgram(op, t, outT, null),
        [partial],
        out,
        [count, parts, 1, 1, parts],
        backend.groups(count, name),
      );
      backend.free(partial);
    }
    if (temp) backend.free(src.dataId);
    return { dataId: out, shape: o!.shape, dtype: o!.dtype };
  };
}

function argKernel(isMax: boolean): WK<{ axis: number }> {
  return ({ inputs: [x], attrs, outputs: [o], backend }) => {
    const { src, outer, reduce, inner, temp } = layout(backend, x!, [attrs.axis]);
    const out = backend.alloc(o!);
    const t = wgslType(x!.dtype);
    const cmp = isMax ? '>' : '<';
    const nanTest = t === 'f32';
    const count = outer * inner;
    const prog = program({
      key: `arg:${isMax ? 'max' : 'min'}:${x!.dtype}`,
      inputs: [t],
      output: 'i32',
      numParams: 3,
      helpers: `
fn better(v1: ${t}, i1: i32, v2: ${t}, i2: i32) -> bool {
  if (i2 < 0) { return false; }
  if (i1 < 0) { return true; }
  ${
    nanTest
      ? `let n1 = is_nan(v1); let n2 = is_nan(v2);
  if (n1 && n2) { return i2 < i1; }
  if (n2) { return true; }
  if (n1) { return false; }`
      : ''
  }
  if (v2 ${cmp} v1) { return true; }
  return v2 == v1 && i2 < i1;
}`,
      workgroup: {
        size: WG,
        shared: `var<workgroup> sv: array<${t}, ${WG}>;\nvar<workgroup> si: array<i32, ${WG}>;`,
      },
      body: `
  if (wid >= prm(0u)) { return; }
  let R = prm(1u);
  let inner = prm(2u);
  let base = (wid / inner) * R * inner + wid % inner;
  var bv: ${t} = ${t}(0);
  var bi: i32 = -1;
  for (var k = lid; k < R; k = k + ${WG}u) {
    let v = in0[base + k * inner];
    if (better(bv, bi, v, i32(k))) { bv = v; bi = i32(k); }
  }
  sv[lid] = bv;
  si[lid] = bi;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s && better(sv[lid], si[lid], sv[lid + s], si[lid + s])) {
      sv[lid] = sv[lid + s];
      si[lid] = si[lid + s];
    }
    workgroupBarrier();
  }
  if (lid == 0u) { out[wid] = max(si[0], 0); }`,
    });
    backend.run(
      prog,
      [src.dataId as GpuData],
      out,
      [count, reduce, inner],
      backend.groups(count, `arg ${isMax ? 'max' : 'min'}`),
    );
    if (temp) backend.free(src.dataId);
    return { dataId: out, shape: o!.shape, dtype: o!.dtype };
  };
}

function scanKernel(isProd: boolean): WK<{ axis: number; exclusive: boolean; reverse: boolean }> {
  return ({ inputs: [x], attrs, outputs: [o], backend }) => {
    const { axis, exclusive, reverse } = attrs;
    const shape = x!.shape;
    const outer = sizeFromShape(shape.slice(0, axis));
    const n = shape[axis] ?? 1;
    const inner = sizeFromShape(shape.slice(axis + 1));
    const out = backend.alloc(o!);
    const t = wgslType(x!.dtype);
    const comb = isProd ? 'acc * v' : 'acc + v';
    const lines = outer * inner;
    const prog = program({
      key: `scan:${isProd ? 'prod' : 'sum'}:${x!.dtype}:${exclusive ? 1 : 0}${reverse ? 1 : 0}`,
      inputs: [t],
      output: t,
      numParams: 3,
      body: `
  let n = prm(1u);
  let inner = prm(2u);
  let base = (i / inner) * n * inner + i % inner;
  var acc: ${t} = ${t}(${isProd ? 1 : 0});
  for (var r = 0u; r < n; r = r + 1u) {
    let p = base + ${reverse ? '(n - 1u - r)' : 'r'} * inner;
    let v = in0[p];
    ${exclusive ? `out[p] = acc; acc = ${comb};` : `acc = ${comb}; out[p] = acc;`}
  }`,
    });
    backend.run(prog, [x!.dataId as GpuData], out, [lines, n, inner], lines);
    return { dataId: out, shape: o!.shape, dtype: o!.dtype };
  };
}

/** Softmax / LogSoftmax along one axis: one invocation per line (max, sum of exp, write). */
function softmaxKernel(log: boolean): WK<{ axis: number }> {
  return ({ inputs: [x], attrs, outputs: [o], backend }) => {
    const shape = x!.shape;
    const axis = attrs.axis < 0 ? attrs.axis + shape.length : attrs.axis;
    const outer = sizeFromShape(shape.slice(0, axis));
    const n = shape[axis] ?? 1;
    const inner = sizeFromShape(shape.slice(axis + 1));
    const out = backend.alloc(o!);
    const lines = outer * inner;
    const prog = program({
      key: `softmax:${log ? 'log' : 'exp'}`,
      inputs: ['f32'],
      output: 'f32',
      numParams: 3,
      body: `
  let n = prm(1u);
  let inner = prm(2u);
  let base = (i / inner) * n * inner + i % inner;
  var m = -f_inf();
  for (var r = 0u; r < n; r = r + 1u) { let v = in0[base + r * inner]; if (v > m || is_nan(v)) { m = v; } }
  var s = 0.0;
  for (var r = 0u; r < n; r = r + 1u) { s = s + exp(in0[base + r * inner] - m); }
  ${log ? 'let ls = log(s);' : ''}
  for (var r = 0u; r < n; r = r + 1u) {
    let p = base + r * inner;
    out[p] = ${log ? 'in0[p] - m - ls' : 'exp(in0[p] - m) / s'};
  }`,
    });
    backend.run(prog, [x!.dataId as GpuData], out, [lines, n, inner], lines);
    return { dataId: out, shape: o!.shape, dtype: o!.dtype };
  };
}

export const reduceKernels: Record<string, WK> = {
  Sum: reduceKernel('Sum'),
  Prod: reduceKernel('Prod'),
  Max: reduceKernel('Max'),
  Min: reduceKernel('Min'),
  Any: reduceKernel('Any'),
  All: reduceKernel('All'),
  ArgMax: argKernel(true),
  ArgMin: argKernel(false),
  Cumsum: scanKernel(false),
  Cumprod: scanKernel(true),
  Softmax: softmaxKernel(false),
  LogSoftmax: softmaxKernel(true),
} as unknown as Record<string, WK>;

export type { DType };

import type { Kernel, TensorInfo, TypedArray } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';
import {
  firstIndexOutOfRange,
  gatherIndexError,
  ndIndexError,
  segmentIdError,
} from '@tapegrad/ops-math';
import type { GpuData, WebGPUBackend } from '../backend.js';
import { bits, program, strides, wgslType } from '../wgsl.js';

type WK<A = Record<string, unknown>> = Kernel<A, WebGPUBackend>;

/**
 * The index-map program: out[c] = in[base + Σ_d (c_d mod m_d) · s_d] over output coordinates
 * c. Transpose (permuted strides), Slice (base), Reverse (negative strides) and Tile (moduli)
 * are all this one program; key (dtype, rank). (BroadcastTo is elementwise: it fuses.)
 */
function runMap(
  backend: WebGPUBackend,
  x: TensorInfo,
  outShape: readonly number[],
  base: number,
  moduli: readonly number[],
  strideList: readonly number[],
): TensorInfo {
  const out = backend.alloc({ shape: outShape, dtype: x.dtype });
  const rank = outShape.length;
  const n = sizeFromShape(outShape);
  const t = wgslType(x.dtype);
  const params = [n, base >>> 0, ...outShape, ...moduli, ...strideList.map((s) => s >>> 0)];
  const prog = program({
    key: `map:${t}:${rank}`,
    inputs: [t],
    output: t,
    numParams: params.length,
    body: `
  var rem = i;
  var ix: i32 = prmi(1u);
  for (var d: i32 = ${rank - 1}; d >= 0; d = d - 1) {
    let dim = prm(2u + u32(d));
    let co = rem % dim;
    rem = rem / dim;
    ix = ix + i32(co % prm(${2 + rank}u + u32(d))) * prmi(${2 + 2 * rank}u + u32(d));
  }
  out[i] = in0[u32(ix)];`,
  });
  backend.run(prog, [x.dataId as GpuData], out, params, n);
  return { dataId: out, shape: outShape, dtype: x.dtype };
}

/** x transposed by `perm` (a new buffer). */
export function transposeInfo(
  backend: WebGPUBackend,
  x: TensorInfo,
  perm: readonly number[],
): TensorInfo {
  const st = strides(x.shape);
  const outShape = perm.map((p) => x.shape[p]!);
  return runMap(
    backend,
    x,
    outShape,
    0,
    outShape.map((d) => Math.max(d, 1)),
    perm.map((p) => st[p]!),
  );
}

const Transpose: WK<{ perm: number[] }> = ({ inputs: [x], attrs, backend }) =>
  transposeInfo(backend, x!, attrs.perm);

const Slice: WK<{ begin: number[] }> = ({ inputs: [x], attrs, outputs: [o], backend }) => {
  const st = strides(x!.shape);
  const base = attrs.begin.reduce((acc, b, d) => acc + b * st[d]!, 0);
  return runMap(
    backend,
    x!,
    o!.shape,
    base,
    o!.shape.map((d) => Math.max(d, 1)),
    st,
  );
};

const Reverse: WK<{ axes: number[] }> = ({ inputs: [x], attrs, outputs: [o], backend }) => {
  const st = strides(x!.shape);
  let base = 0;
  const s = st.map((v, d) => {
    if (!attrs.axes.includes(d)) return v;
    base += (x!.shape[d]! - 1) * v;
    return -v;
  });
  return runMap(
    backend,
    x!,
    o!.shape,
    base,
    o!.shape.map((d) => Math.max(d, 1)),
    s,
  );
};

const Tile: WK = ({ inputs: [x], outputs: [o], backend }) =>
  runMap(
    backend,
    x!,
    o!.shape,
    0,
    x!.shape.map((d) => Math.max(d, 1)),
    strides(x!.shape),
  );

const Pad: WK<{ paddings: [number, number][]; constantValue: number }> = ({
  inputs: [x],
  attrs,
  outputs: [o],
  backend,
}) => {
  const out = backend.alloc(o!);
  const rank = o!.shape.length;
  const n = sizeFromShape(o!.shape);
  const t = wgslType(x!.dtype);
  const params = [
    n,
    bits(attrs.constantValue ?? 0, x!.dtype),
    ...o!.shape,
    ...attrs.paddings.map((p) => p[0] >>> 0),
    ...x!.shape,
    ...strides(x!.shape),
  ];
  const prog = program({
    key: `pad:${t}:${rank}`,
    inputs: [t],
    output: t,
    numParams: params.length,
    body: `
  var rem = i;
  var ix = 0u;
  var inside = true;
  for (var d: i32 = ${rank - 1}; d >= 0; d = d - 1) {
    let dim = prm(2u + u32(d));
    let co = i32(rem % dim);
    rem = rem / dim;
    let c = co - prmi(${2 + rank}u + u32(d));
    if (c < 0 || c >= i32(prm(${2 + 2 * rank}u + u32(d)))) { inside = false; }
    else { ix = ix + u32(c) * prm(${2 + 3 * rank}u + u32(d)); }
  }
  if (inside) { out[i] = in0[ix]; } else { out[i] = bitcast<${t}>(prm(1u)); }`,
  });
  backend.run(prog, [x!.dataId as GpuData], out, params, n);
  return { dataId: out, shape: o!.shape, dtype: o!.dtype };
};

/** Concat: one copy dispatch per input into its column range of the output. */
const Concat: WK<{ axis: number }> = ({ inputs, attrs, outputs: [o], backend }) => {
  const out = backend.alloc(o!);
  const axis = attrs.axis;
  const outInner = sizeFromShape(o!.shape.slice(axis));
  const t = wgslType(o!.dtype);
  const prog = program({
    key: `concat:${t}`,
    inputs: [t],
    output: t,
    numParams: 4,
    body: `
  let innerJ = prm(1u);
  out[(i / innerJ) * prm(2u) + prm(3u) + i % innerJ] = in0[i];`,
  });
  let offset = 0;
  for (const x of inputs) {
    const innerJ = sizeFromShape(x.shape.slice(axis));
    const n = sizeFromShape(x.shape);
    if (n > 0) backend.run(prog, [x.dataId as GpuData], out, [n, innerJ, outInner, offset], n);
    offset += innerJ;
  }
  return { dataId: out, shape: o!.shape, dtype: o!.dtype };
};

/** Values of an index tensor for validation (null where the GPU cannot be read synchronously). */
function indexValues(backend: WebGPUBackend, t: TensorInfo): TypedArray | null {
  return backend.tryReadSync(t);
}

const Gather: WK<{ axis: number; batchDims: number }> = ({
  inputs: [x, indices],
  attrs: { axis, batchDims },
  outputs: [o],
  backend,
}) => {
  const xs = x!.shape;
  const N = xs[axis]!;
  const idx = indexValues(backend, indices!);
  const bad = idx ? firstIndexOutOfRange(idx, N) : -1;
  if (bad >= 0) throw gatherIndexError(bad, idx![bad]!, axis, xs, indices!.shape);
  const B = sizeFromShape(xs.slice(0, batchDims));
  const M = sizeFromShape(xs.slice(batchDims, axis));
  const I = sizeFromShape(xs.slice(axis + 1));
  const J = B === 0 ? 0 : sizeFromShape(indices!.shape) / B;
  const out = backend.alloc(o!);
  const n = sizeFromShape(o!.shape);
  const t = wgslType(x!.dtype);
  const prog = program({
    key: `gather:${t}`,
    inputs: [t, 'i32'],
    output: t,
    numParams: 5,
    body: `
  let M = prm(1u); let N = prm(2u); let I = prm(3u); let J = prm(4u);
  let ii = i % I; let q = i / I; let j = q % J; let q2 = q / J; let m = q2 % M; let b = q2 / M;
  let k = u32(clamp(in1[b * J + j], 0, i32(N) - 1));
  out[i] = in0[((b * M + m) * N + k) * I + ii];`,
  });
  backend.run(
    prog,
    [x!.dataId as GpuData, indices!.dataId as GpuData],
    out,
    [n, Math.max(M, 1), N, Math.max(I, 1), Math.max(J, 1)],
    n,
  );
  return { dataId: out, shape: o!.shape, dtype: o!.dtype };
};

/** Checks N-d index rows ([P, K]) against `shape`; returns K, P, the slice size and strides. */
function ndLayout(
  op: string,
  backend: WebGPUBackend,
  indices: TensorInfo,
  shape: readonly number[],
): { K: number; P: number; sliceSize: number; st: number[] } {
  const K = indices.shape[indices.shape.length - 1]!;
  const P = sizeFromShape(indices.shape.slice(0, -1));
  const idx = indexValues(backend, indices);
  if (idx) {
    for (let p = 0; p < P; p++) {
      for (let k = 0; k < K; k++) {
        const i = idx[p * K + k]!;
        if (i < 0 || i >= shape[k]!) throw ndIndexError(op, p * K + k, i, shape, indices.shape);
      }
    }
  }
  return { K, P, sliceSize: sizeFromShape(shape.slice(K)), st: strides(shape).slice(0, K) };
}

const ND_OFFSET = (K: number, idxBinding: string): string => `
fn row_offset(p: u32) -> u32 {
  var off = 0u;
  for (var k = 0u; k < ${K}u; k = k + 1u) { off = off + u32(${idxBinding}[p * ${K}u + k]) * prm(4u + k); }
  return off;
}`;

const GatherNd: WK = ({ inputs: [x, indices], outputs: [o], backend }) => {
  const { K, sliceSize, st } = ndLayout('gatherND', backend, indices!, x!.shape);
  const out = backend.alloc(o!);
  const n = sizeFromShape(o!.shape);
  const t = wgslType(x!.dtype);
  const prog = program({
    key: `gathernd:${t}:${K}`,
    inputs: [t, 'i32'],
    output: t,
    numParams: 4 + K,
    helpers: ND_OFFSET(K, 'in1'),
    body: `
  let S = prm(1u);
  out[i] = in0[row_offset(i / S) + i % S];`,
  });
  backend.run(
    prog,
    [x!.dataId as GpuData, indices!.dataId as GpuData],
    out,
    [n, Math.max(sliceSize, 1), K, 0, ...st],
    n,
  );
  return { dataId: out, shape: o!.shape, dtype: o!.dtype };
};

const ScatterNd: WK<{ shape: number[] }> = ({
  inputs: [indices, updates],
  attrs,
  outputs: [o],
  backend,
}) => {
  const { K, P, sliceSize, st } = ndLayout('scatterND', backend, indices!, attrs.shape);
  const out = backend.alloc(o!);
  const n = sizeFromShape(o!.shape);
  const t = wgslType(updates!.dtype);
  const prog = program({
    key: `scatternd:${t}:${K}`,
    inputs: ['i32', t],
    output: t,
    numParams: 4 + K,
    helpers: ND_OFFSET(K, 'in0'),
    body: `
  let S = prm(1u);
  let P = prm(3u);
  var acc: ${t} = ${t}(0);
  for (var p = 0u; p < P; p = p + 1u) {
    let off = row_offset(p);
    if (i >= off && i < off + S) { acc = acc + in1[p * S + (i - off)]; }
  }
  out[i] = acc;`,
  });
  backend.run(
    prog,
    [indices!.dataId as GpuData, updates!.dataId as GpuData],
    out,
    [n, sliceSize, K, P, ...st],
    n,
  );
  return { dataId: out, shape: o!.shape, dtype: o!.dtype };
};

const TensorScatterUpdate: WK = ({ inputs: [tensor, indices, updates], outputs: [o], backend }) => {
  const { K, P, sliceSize, st } = ndLayout('tensorScatterUpdate', backend, indices!, tensor!.shape);
  const out = backend.alloc(o!);
  const n = sizeFromShape(o!.shape);
  const t = wgslType(tensor!.dtype);
  const prog = program({
    key: `tsu:${t}:${K}`,
    inputs: [t, 'i32', t],
    output: t,
    numParams: 4 + K,
    helpers: ND_OFFSET(K, 'in1'),
    body: `
  let S = prm(1u);
  let P = prm(3u);
  var v = in0[i];
  for (var p = 0u; p < P; p = p + 1u) {
    let off = row_offset(p);
    if (i >= off && i < off + S) { v = in2[p * S + (i - off)]; }
  }
  out[i] = v;`,
  });
  backend.run(
    prog,
    [tensor!.dataId as GpuData, indices!.dataId as GpuData, updates!.dataId as GpuData],
    out,
    [n, sliceSize, K, P, ...st],
    n,
  );
  return { dataId: out, shape: o!.shape, dtype: o!.dtype };
};

const UnsortedSegmentSum: WK<{ numSegments: number }> = ({
  inputs: [x, segmentIds],
  attrs: { numSegments },
  outputs: [o],
  backend,
}) => {
  const ids = indexValues(backend, segmentIds!);
  const bad = ids ? firstIndexOutOfRange(ids, numSegments) : -1;
  if (bad >= 0) throw segmentIdError(bad, ids![bad]!, numSegments, segmentIds!.shape, x!.shape);
  const S = sizeFromShape(segmentIds!.shape);
  const I = S === 0 ? 0 : sizeFromShape(x!.shape) / S;
  const out = backend.alloc(o!);
  const n = sizeFromShape(o!.shape);
  const t = wgslType(x!.dtype);
  const prog = program({
    key: `segsum:${t}`,
    inputs: [t, 'i32'],
    output: t,
    numParams: 3,
    body: `
  let I = prm(1u);
  let S = prm(2u);
  let seg = i32(i / I);
  let ii = i % I;
  var acc: ${t} = ${t}(0);
  for (var k = 0u; k < S; k = k + 1u) { if (in1[k] == seg) { acc = acc + in0[k * I + ii]; } }
  out[i] = acc;`,
  });
  backend.run(
    prog,
    [x!.dataId as GpuData, segmentIds!.dataId as GpuData],
    out,
    [n, Math.max(I, 1), S],
    n,
  );
  return { dataId: out, shape: o!.shape, dtype: o!.dtype };
};

const OneHot: WK<{ depth: number; onValue: number; offValue: number }> = ({
  inputs: [indices],
  attrs: { depth, onValue, offValue },
  outputs: [o],
  backend,
}) => {
  const out = backend.alloc(o!);
  const n = sizeFromShape(o!.shape);
  const t = wgslType(o!.dtype);
  const prog = program({
    key: `onehot:${t}`,
    inputs: ['i32'],
    output: t,
    numParams: 4,
    body: `
  let depth = prm(1u);
  let hit = in0[i / depth] == i32(i % depth);
  out[i] = bitcast<${t}>(select(prm(3u), prm(2u), hit));`,
  });
  backend.run(
    prog,
    [indices!.dataId as GpuData],
    out,
    [n, Math.max(depth, 1), bits(onValue, o!.dtype), bits(offValue, o!.dtype)],
    n,
  );
  return { dataId: out, shape: o!.shape, dtype: o!.dtype };
};

export const layoutKernels: Record<string, WK> = {
  Transpose,
  Slice,
  Reverse,
  Tile,
  Pad,
  Concat,
  Gather,
  GatherNd,
  ScatterNd,
  TensorScatterUpdate,
  UnsortedSegmentSum,
  OneHot,
} as unknown as Record<string, WK>;

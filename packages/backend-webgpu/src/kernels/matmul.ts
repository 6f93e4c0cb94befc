import type { Kernel } from '@tapegrad/core';
import { BackendError } from '@tapegrad/core';
import type { GpuData, WebGPUBackend } from '../backend.js';
import { program, strides, wgslType } from '../wgsl.js';

const TILE = 16;

/**
 * BatchMatMul: a tiled GEMM in workgroup memory (16×16 tiles, one output per invocation).
 * Transposes are read in place; batch dims broadcast through per-batch strides (0 where a
 * side has size 1). Key: (dtype, transposes, batch rank).
 */
export const BatchMatMul: Kernel<{ transposeA: boolean; transposeB: boolean }, WebGPUBackend> = ({
  inputs: [a, b],
  attrs,
  outputs: [o],
  backend,
}) => {
  const tA = attrs.transposeA;
  const tB = attrs.transposeB;
  const as = a!.shape;
  const bs = b!.shape;
  const M = tA ? as[as.length - 1]! : as[as.length - 2]!;
  const K = tA ? as[as.length - 2]! : as[as.length - 1]!;
  const N = tB ? bs[bs.length - 2]! : bs[bs.length - 1]!;
  const outShape = o!.shape;
  const batchShape = outShape.slice(0, -2);
  const rb = batchShape.length;
  const batch = batchShape.reduce((x, y) => x * y, 1);
  if (batch > 65535)
    throw new BackendError(
      `webgpu: BatchMatMul with ${batch} batches (max 65535) is not supported yet`,
    );
  const batchStrides = (shape: readonly number[], block: number): number[] => {
    const bshape = shape.slice(0, -2);
    const st = strides(bshape).map((s) => s * block);
    const off = rb - bshape.length;
    return batchShape.map((_, d) => {
      const j = d - off;
      return j < 0 || bshape[j] === 1 ? 0 : st[j]!;
    });
  };
  const params = [M, N, K, ...batchShape, ...batchStrides(as, M * K), ...batchStrides(bs, K * N)];
  const t = wgslType(o!.dtype);
  const out = backend.alloc(o!);
  const loadA = tA ? `in0[aoff + k * M + r]` : `in0[aoff + r * K + k]`;
  const loadB = tB ? `in1[boff + c * K + k]` : `in1[boff + k * N + c]`;
  const prog = program({
    key: `matmul:${t}:${tA ? 1 : 0}${tB ? 1 : 0}:${rb}`,
    inputs: [t, t],
    output: t,
    numParams: params.length,
    workgroup: {
      size: TILE * TILE,
      shared: `var<workgroup> As: array<${t}, ${TILE * TILE}>;\nvar<workgroup> Bs: array<${t}, ${TILE * TILE}>;`,
    },
    helpers: `
fn load_a(aoff: u32, r: u32, k: u32, M: u32, K: u32) -> ${t} { return ${loadA}; }
fn load_b(boff: u32, k: u32, c: u32, K: u32, N: u32) -> ${t} { return ${loadB}; }`,
    body: `
  let M = prm(0u); let N = prm(1u); let K = prm(2u);
  let lx = lid % ${TILE}u; let ly = lid / ${TILE}u;
  let row = wg.y * ${TILE}u + ly; let col = wg.x * ${TILE}u + lx;
  var rem = wg.z; var aoff = 0u; var boff = 0u;
  for (var d: i32 = ${rb - 1}; d >= 0; d = d - 1) {
    let dim = prm(3u + u32(d));
    let co = rem % dim;
    rem = rem / dim;
    aoff = aoff + co * prm(${3 + rb}u + u32(d));
    boff = boff + co * prm(${3 + 2 * rb}u + u32(d));
  }
  var acc: ${t} = ${t}(0);
  for (var t0 = 0u; t0 < K; t0 = t0 + ${TILE}u) {
    let ka = t0 + lx;
    var va: ${t} = ${t}(0);
    if (row < M && ka < K) { va = load_a(aoff, row, ka, M, K); }
    As[ly * ${TILE}u + lx] = va;
    let kb = t0 + ly;
    var vb: ${t} = ${t}(0);
    if (kb < K && col < N) { vb = load_b(boff, kb, col, K, N); }
    Bs[ly * ${TILE}u + lx] = vb;
    workgroupBarrier();
    for (var k = 0u; k < ${TILE}u; k = k + 1u) {
      acc = acc + As[ly * ${TILE}u + k] * Bs[k * ${TILE}u + lx];
    }
    workgroupBarrier();
  }
  if (row < M && col < N) { out[wg.z * M * N + row * N + col] = acc; }`,
  });
  backend.run(prog, [a!.dataId as GpuData, b!.dataId as GpuData], out, params, [
    Math.ceil(N / TILE),
    Math.ceil(M / TILE),
    batch,
  ]);
  return { dataId: out, shape: outShape, dtype: o!.dtype };
};

import type { DType } from '@tapegrad/core';
import { BackendError } from '@tapegrad/core';
import type { Program } from './backend.js';
import { paramWords } from './backend.js';

/** Storage type of a dtype (bool is stored as u32 0/1). */
export function wgslType(dtype: DType): 'f32' | 'i32' | 'u32' {
  if (dtype === 'float32') return 'f32';
  if (dtype === 'int32') return 'i32';
  if (dtype === 'bool') return 'u32';
  throw new BackendError(`webgpu: dtype ${dtype} is not supported (float32, int32, bool)`);
}

/** Bit pattern of a number stored as the dtype's storage type. */
export function bits(value: number, dtype: DType): number {
  if (dtype === 'float32') return new Uint32Array(new Float32Array([value]).buffer)[0]!;
  if (dtype === 'bool') return value ? 1 : 0;
  return value >>> 0;
}

/** Helper functions available to every shader. */
const PRELUDE = /* wgsl */ `
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn f_inf() -> f32 { var b = 0x7f800000u; return bitcast<f32>(b); }
fn f_nan() -> f32 { var b = 0x7fc00000u; return bitcast<f32>(b); }
`;

/**
 * A program from its body. Bindings: in0..in{n-1} (read-only), out, params P (prm(i) reads
 * word i). `body` runs once per invocation with `i` the flat invocation index (already
 * bounds-checked against `prm(0)` unless `raw`).
 */
export function program(opts: {
  key: string;
  inputs: readonly string[];
  output: string;
  numParams: number;
  body: string | (() => string);
  helpers?: string;
  /**
   * The body does its own indexing (workgroup programs): gets lid, and wid, the workgroup's
   * number over a grid spread by `WebGPUBackend.groups`, instead of i.
   */
  workgroup?: { size: number; shared?: string };
}): Program {
  const { key, inputs, output, numParams } = opts;
  const k = paramWords(numParams) / 4;
  const code = (): string => {
    const body = typeof opts.body === 'string' ? opts.body : opts.body();
    const decls = inputs
      .map((t, j) => `@group(0) @binding(${j}) var<storage, read> in${j}: array<${t}>;`)
      .join('\n');
    const n = inputs.length;
    const head = `${decls}
@group(0) @binding(${n}) var<storage, read_write> out: array<${output}>;
struct Params { v: array<vec4<u32>, ${k}> }
@group(0) @binding(${n + 1}) var<uniform> P: Params;
fn prm(i: u32) -> u32 { return P.v[i >> 2u][i & 3u]; }
fn prmi(i: u32) -> i32 { return bitcast<i32>(P.v[i >> 2u][i & 3u]); }
fn prmf(i: u32) -> f32 { return bitcast<f32>(P.v[i >> 2u][i & 3u]); }
${PRELUDE}
${opts.helpers ?? ''}`;
    if (opts.workgroup) {
      return `${head}
${opts.workgroup.shared ?? ''}
@compute @workgroup_size(${opts.workgroup.size})
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>,
        @builtin(num_workgroups) nw: vec3<u32>) {
  let wid = wg.x + nw.x * (wg.y + nw.y * wg.z);
  _ = wid;
${body}
}`;
    }
    return `${head}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let i = g.x + 64u * nw.x * (g.y + nw.y * g.z);
  if (i >= prm(0u)) { return; }
${body}
}`;
  };
  return { key, numInputs: inputs.length, numParams, code };
}

/** Row-major strides. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
}

/**
 * Code generation of a fused elementwise kernel: the DAG of lazy expressions below a root
 * becomes one WGSL program, one invocation per output element. Each distinct (expression,
 * broadcast view) is computed once (a `let`); each input buffer is bound once and read at the
 * flat index ('s'), at 0 ('c'), through broadcast strides ('b'), or, for a scalar with a CPU
 * copy, taken from the uniforms ('k'). Values (attributes, scalars, shapes, strides) are
 * uniforms, so the program's key is the expression's structure alone.
 */
import type { Shape } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';
import type { GpuData, Program } from '../backend.js';
import { bits, program, strides, wgslType } from '../wgsl.js';
import { EW_MATH } from './math.js';

/** Storage buffers a fused kernel may read (the device exposes 8 per stage, one is the output). */
export const MAX_FUSED_BUFFERS = 7;
/** Expressions one fused kernel may compute (bounds shader size and compile time). */
export const MAX_FUSED_EXPRS = 48;

export interface FusedKernel {
  program: Program;
  /** Buffers bound as inputs, in binding order. */
  inputs: GpuData[];
  params: number[];
  size: number;
}

/** Which root dims reach a value through broadcasting: `live[d]` true where its coordinate follows the root's. */
function viewOf(parentLive: readonly boolean[], shape: Shape): boolean[] {
  const off = parentLive.length - shape.length;
  return parentLive.map((l, d) => d >= off && l && shape[d - off] !== 1);
}

/**
 * A lazy value as a WGSL function `fused(i: u32) -> T` (its value at flat index i of `shape`)
 * reading bindings in0..: for a kernel that computes it (fuse) or reads it (a reduction's
 * prologue). Its uniforms come at word `paramBase` of the kernel's params.
 */
export interface FusedExpression {
  /** WGSL helpers: the elementwise math, the ops' functions and `fused`. */
  code: string;
  /** Buffers bound as in0, in1, ... */
  inputs: GpuData[];
  /** Uniform words, from word `paramBase`. */
  params: number[];
  /** The expression's structure (a part of the pipeline key). */
  key: string;
}

/** `fused(i)` for the lazy `root` of shape `shape`, its uniforms from kernel word `paramBase`. */
export function fusedExpression(root: GpuData, shape: Shape, paramBase: number): FusedExpression {
  const rank = shape.length;
  const rootStrides = strides(shape);
  // Word k of the kernel's params is params[k - paramBase].
  const params: number[] = [...shape];
  const word = (): number => paramBase + params.length;
  const inputs: GpuData[] = [];
  const fns = new Map<string, string>();
  const values = new Map<string, string>();
  const reads: string[] = [];
  const indexVars: { name: string; base: number }[] = [];
  const lets: string[] = [];
  const key: string[] = [];

  const read = (d: GpuData, s: Shape, live: readonly boolean[]): string => {
    const t = wgslType(d.dtype);
    if (d.shadow && d.size === 1) {
      const known = values.get(`k${d.uid}`);
      if (known) return known;
      const name = `k${reads.length}`;
      values.set(`k${d.uid}`, name);
      const getter = t === 'f32' ? 'prmf' : t === 'i32' ? 'prmi' : 'prm';
      reads.push(`  let ${name} = ${getter}(${word()}u);`);
      params.push(bits(d.shadow[0]!, d.dtype));
      key.push(`${name}:${t}`);
      return name;
    }
    let binding = inputs.indexOf(d);
    if (binding < 0) binding = inputs.push(d) - 1;
    const own = strides(s);
    const off = rank - s.length;
    const eff = shape.map((_, r) => (r >= off && live[r] ? own[r - off]! : 0));
    const used = shape.map((n) => n > 1);
    const pattern = eff.every((e, r) => !used[r] || e === rootStrides[r])
      ? 's'
      : eff.every((e, r) => !used[r] || e === 0)
        ? 'c'
        : 'b';
    const cse = `${binding}|${pattern}|${pattern === 'b' ? eff.join(',') : ''}`;
    const known = values.get(cse);
    if (known) return known;
    const name = `r${reads.length}`;
    let index = pattern === 's' ? 'i' : '0u';
    if (pattern === 'b') {
      index = `ix${indexVars.length}`;
      indexVars.push({ name: index, base: word() });
      params.push(...eff);
    }
    reads.push(`  let ${name} = in${binding}[${index}];`);
    key.push(`${name}=${binding}${pattern}`);
    values.set(cse, name);
    return name;
  };

  const visit = (d: GpuData, s: Shape, live: readonly boolean[]): string => {
    const expr = d.expr;
    if (!expr) return read(d, s, live);
    const cse = `${d.uid}|${live.map(Number).join('')}`;
    const known = values.get(cse);
    if (known) return known;
    const args = expr.inputs.map((inp) => visit(inp.data, inp.shape, viewOf(live, inp.shape)));
    expr.fn.attrTypes.forEach((t, j) => {
      const getter = t === 'f32' ? 'prmf' : t === 'i32' ? 'prmi' : 'prm';
      args.push(`${getter}(${word()}u)`);
      params.push(expr.attrs[j]!);
    });
    fns.set(expr.fn.name, expr.fn.code);
    const name = `v${lets.length}`;
    lets.push(`  let ${name} = ${expr.fn.name}(${args.join(', ')});`);
    key.push(`${name}=${expr.fn.name}(${args.join(',')})`);
    values.set(cse, name);
    return name;
  };

  const result = visit(
    root,
    shape,
    shape.map(() => true),
  );
  const coords: string[] = [];
  if (indexVars.length > 0) {
    for (const v of indexVars) coords.push(`  var ${v.name} = 0u;`);
    coords.push(`  var rem = i;`);
    coords.push(`  for (var d: i32 = ${rank - 1}; d >= 0; d = d - 1) {`);
    coords.push(`    let dim = prm(${paramBase}u + u32(d));`);
    coords.push(`    let co = rem % dim;`);
    coords.push(`    rem = rem / dim;`);
    for (const v of indexVars)
      coords.push(`    ${v.name} = ${v.name} + co * prm(${v.base}u + u32(d));`);
    coords.push(`  }`);
  }
  const outT = wgslType(root.dtype);
  const fn = [
    `fn fused(i: u32) -> ${outT} {`,
    ...coords,
    ...reads,
    ...lets,
    `  return ${result};`,
    `}`,
  ].join('\n');
  const types = inputs.map((d) => wgslType(d.dtype)).join(',');
  return {
    code: `${EW_MATH}\n${[...fns.values()].join('\n')}\n${fn}`,
    inputs,
    params,
    key: `${rank}:${types}>${outT}:${key.join(';')}`,
  };
}

/** The fused program computing the lazy `root` (of shape `shape`) from its buffers. */
export function fuse(root: GpuData, shape: Shape): FusedKernel {
  const size = sizeFromShape(shape);
  const e = fusedExpression(root, shape, 1);
  const params = [size, ...e.params];
  const prog = program({
    key: `fused:${e.key}`,
    inputs: e.inputs.map((d) => wgslType(d.dtype)),
    output: wgslType(root.dtype),
    numParams: params.length,
    helpers: e.code,
    body: `  out[i] = fused(i);`,
  });
  return { program: prog, inputs: e.inputs, params, size };
}

/**
 * Whether a lazy value is the same at every index: every buffer it reads has one element
 * (a scalar, a broadcast scalar, a scalar's arithmetic). Such a value can be seen at any shape
 * of its size (a reshape) and still be inlined: its reads are at index 0 or uniforms.
 */
export function isUniformValue(d: GpuData): boolean {
  if (!d.expr) return d.size === 1;
  return d.expr.inputs.every((inp) => isUniformValue(inp.data));
}

/** Buffers and expressions a lazy value would fuse (to stay under the kernel limits). */
export function fusedExtent(roots: readonly GpuData[]): { buffers: number; exprs: number } {
  const buffers = new Set<GpuData>();
  const exprs = new Set<GpuData>();
  const walk = (d: GpuData): void => {
    if (!d.expr) {
      if (!(d.shadow && d.size === 1)) buffers.add(d);
      return;
    }
    if (exprs.has(d)) return;
    exprs.add(d);
    for (const inp of d.expr.inputs) walk(inp.data);
  };
  for (const r of roots) walk(r);
  return { buffers: buffers.size, exprs: exprs.size };
}

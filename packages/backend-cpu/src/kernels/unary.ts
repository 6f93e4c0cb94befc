import type { Kernel, TypedArray } from '@tapegrad/core';
import type { CpuBackend } from '../backend.js';
import { erf, roundHalfEven, softplus } from './elementwise-math.js';
import { expF32, tanhF32 } from './fast-math.js';

type Scalar1 = (x: number) => number;

/** An elementwise kernel from a scalar function (output dtype from the op's spec). */
export function unaryKernel(f: Scalar1): Kernel<unknown, CpuBackend> {
  return ({ inputs: [a], outputs: [spec], backend }) => {
    const x = backend.data(a!);
    const out = backend.alloc(spec!);
    for (let i = 0; i < out.length; i++) out[i] = f(x[i]!);
    return backend.output(out, spec!);
  };
}

/** An elementwise kernel whose scalar function depends on the op's attributes (alpha, bounds). */
export function unaryAttrKernel<A>(make: (attrs: A) => Scalar1): Kernel<A, CpuBackend> {
  return ({ inputs: [a], attrs, outputs: [spec], backend }) => {
    const f = make(attrs);
    const x = backend.data(a!);
    const out = backend.alloc(spec!);
    for (let i = 0; i < out.length; i++) out[i] = f(x[i]!);
    return backend.output(out, spec!);
  };
}

/**
 * A kernel from a whole loop. The hot ops get their own loop functions, so each call site
 * sees one scalar operation (a shared loop calling `f` would be megamorphic across ops).
 */
function loopKernel(
  loop: (x: TypedArray, out: TypedArray, n: number) => void,
): Kernel<unknown, CpuBackend> {
  return ({ inputs: [a], outputs: [spec], backend }) => {
    const x = backend.data(a!);
    const out = backend.alloc(spec!);
    loop(x, out, out.length);
    return backend.output(out, spec!);
  };
}

export const unaryKernels: Record<string, Kernel> = {
  Neg: loopKernel((x, out, n) => {
    for (let i = 0; i < n; i++) out[i] = -x[i]!;
  }),
  // Typed-array stores do the conversion: Int32Array truncates; bool needs an explicit test.
  Cast: (({ inputs: [a], outputs: [spec], backend }) => {
    const x = backend.data(a!);
    const out = backend.alloc(spec!);
    if (spec!.dtype === 'bool') for (let i = 0; i < out.length; i++) out[i] = x[i] !== 0 ? 1 : 0;
    else out.set(x);
    return backend.output(out, spec!);
  }) as Kernel<unknown, CpuBackend>,

  // Hot ops: dedicated loops.
  Relu: loopKernel((x, out, n) => {
    // (v + |v|) / 2 is exact and keeps NaN, without a branch on the sign (random signs defeat
    // branch prediction); only -Infinity (where it gives NaN) needs a test, never taken in practice.
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = v === -Infinity ? 0 : (v + Math.abs(v)) * 0.5;
    }
  }),
  // float32 outputs use the fast versions (float32-exact); float64 keeps Math.* for gradCheck.
  Sigmoid: loopKernel((x, out, n) => {
    if (out instanceof Float32Array) for (let i = 0; i < n; i++) out[i] = 1 / (1 + expF32(-x[i]!));
    else for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]!));
  }),
  Tanh: loopKernel((x, out, n) => {
    if (out instanceof Float32Array) for (let i = 0; i < n; i++) out[i] = tanhF32(x[i]!);
    else for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!);
  }),
  Exp: loopKernel((x, out, n) => {
    if (out instanceof Float32Array) for (let i = 0; i < n; i++) out[i] = expF32(x[i]!);
    else for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
  }),
  Log: loopKernel((x, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!);
  }),
  Sqrt: loopKernel((x, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!);
  }),
  Rsqrt: loopKernel((x, out, n) => {
    for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(x[i]!);
  }),
  Square: loopKernel((x, out, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = v * v;
    }
  }),
  Abs: loopKernel((x, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
  }),

  Reciprocal: unaryKernel((v) => 1 / v),
  Sin: unaryKernel(Math.sin),
  Cos: unaryKernel(Math.cos),
  Tan: unaryKernel(Math.tan),
  Asin: unaryKernel(Math.asin),
  Acos: unaryKernel(Math.acos),
  Atan: unaryKernel(Math.atan),
  Sinh: unaryKernel(Math.sinh),
  Cosh: unaryKernel(Math.cosh),
  Asinh: unaryKernel(Math.asinh),
  Acosh: unaryKernel(Math.acosh),
  Atanh: unaryKernel(Math.atanh),
  Softplus: unaryKernel(softplus),
  Relu6: unaryKernel((v) => (v < 0 ? 0 : v > 6 ? 6 : v)),
  Elu: unaryKernel((v) => (v > 0 ? v : Math.expm1(v))),
  Erf: unaryKernel(erf),
  Log1p: unaryKernel(Math.log1p),
  Expm1: unaryKernel(Math.expm1),
  // -0, 0 and NaN map to themselves.
  Sign: unaryKernel((v) => (v > 0 ? 1 : v < 0 ? -1 : v)),
  Floor: unaryKernel(Math.floor),
  Ceil: unaryKernel(Math.ceil),
  Round: unaryKernel(roundHalfEven),
  LeakyRelu: unaryAttrKernel<{ alpha: number }>(
    ({ alpha }) =>
      (v) =>
        v < 0 ? alpha * v : v,
  ),
  Step: unaryAttrKernel<{ alpha: number }>(
    ({ alpha }) =>
      (v) =>
        v > 0 ? 1 : Number.isNaN(v) ? v : alpha,
  ),
  ClipByValue: unaryAttrKernel<{ min: number; max: number }>(
    ({ min, max }) =>
      (v) =>
        v < min ? min : v > max ? max : v,
  ),

  // Predicates: bool outputs (0/1).
  LogicalNot: unaryKernel((v) => (v ? 0 : 1)),
  IsNaN: unaryKernel((v) => (v !== v ? 1 : 0)),
  IsInf: unaryKernel((v) => (v === Infinity || v === -Infinity ? 1 : 0)),
};

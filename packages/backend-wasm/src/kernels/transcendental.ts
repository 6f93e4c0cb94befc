/**
 * Transcendental, rounding and sign functions of float32 tensors (assembly/transcendental.ts):
 * f32x4 loops (in float32 for exp, tanh and sigmoid, in double for log and the rest of the
 * exponential family), libm calls for the trigonometric and hyperbolic family, split into element
 * ranges among the backend's threads from 16K elements. float64 runs the CPU kernels on the wasm memory.
 */
import { sizeFromShape } from '@tapegrad/core';
import type { WasmKernel } from '../backend.js';
import { cpuFallback, runElementRanges } from './elementwise.js';
import { float32Or } from './hosted.js';

/** Op codes of assembly/transcendental.ts. */
const UNARY_MATH = {
  Exp: 0,
  Log: 1,
  Tanh: 2,
  Sigmoid: 3,
  Expm1: 4,
  Log1p: 5,
  Softplus: 6,
  Elu: 7,
  Erf: 8,
  Ceil: 9,
  Floor: 10,
  Round: 11,
  Sign: 12,
  Step: 13,
  Sin: 20,
  Cos: 21,
  Tan: 22,
  Asin: 23,
  Acos: 24,
  Atan: 25,
  Sinh: 26,
  Cosh: 27,
  Asinh: 28,
  Acosh: 29,
  Atanh: 30,
} as const;

function unaryMathKernel(name: keyof typeof UNARY_MATH): WasmKernel {
  const op = UNARY_MATH[name];
  const fast: WasmKernel<{ alpha?: number }> = ({
    inputs: [x],
    attrs,
    outputs: [spec],
    backend,
  }) => {
    const out = backend.output(spec!);
    const n = sizeFromShape(spec!.shape);
    const pointers = [backend.ptr(x!), backend.ptr(out)];
    // Transcendental functions cost several times a copy per element: split from 16K elements.
    if (n > 0)
      runElementRanges(
        backend,
        'unaryMath',
        { lead: [op], pointers, tail: [attrs.alpha ?? 0] },
        n,
        n * 64,
      );
    return out;
  };
  return float32Or(fast, cpuFallback(name));
}

export const transcendentalKernels: Record<string, WasmKernel> = Object.fromEntries(
  (Object.keys(UNARY_MATH) as (keyof typeof UNARY_MATH)[]).map((name) => [
    name,
    unaryMathKernel(name),
  ]),
);

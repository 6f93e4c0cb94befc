import type { Kernel, TypedArray } from '@tapegrad/core';
import { shapesEqual } from '@tapegrad/core';
import type { CpuBackend } from '../backend.js';
import { forEachBroadcast, forEachBroadcast3 } from './broadcast.js';
import { floorMod } from './elementwise-math.js';

type Scalar2 = (a: number, b: number) => number;

/**
 * A broadcasting binary kernel from a scalar function. Same-shape and scalar
 * operands take straight loops; everything else goes through forEachBroadcast.
 * Results are stored into the output's typed array (int32 truncates, bool is 0/1).
 * `fInt`, when given, replaces `f` for int32 outputs (floor division).
 */
export function binaryKernel(f: Scalar2, fInt?: Scalar2): Kernel<unknown, CpuBackend> {
  return ({ inputs: [a, b], outputs: [spec], backend }) => {
    const g = fInt && spec!.dtype === 'int32' ? fInt : f;
    const x = backend.data(a!);
    const y = backend.data(b!);
    const out: TypedArray = backend.alloc(spec!);
    const n = out.length;
    if (shapesEqual(a!.shape, b!.shape)) {
      for (let i = 0; i < n; i++) out[i] = g(x[i]!, y[i]!);
    } else if (y.length === 1) {
      const v = y[0]!;
      for (let i = 0; i < n; i++) out[i] = g(x[i]!, v);
    } else if (x.length === 1) {
      const v = x[0]!;
      for (let i = 0; i < n; i++) out[i] = g(v, y[i]!);
    } else {
      forEachBroadcast(a!.shape, b!.shape, spec!.shape, (o, ia, ib) => {
        out[o] = g(x[ia]!, y[ib]!);
      });
    }
    return backend.output(out, spec!);
  };
}

/**
 * The hot arithmetic ops: a dedicated same-shape loop (one operation per call site),
 * the generic kernel for the rest.
 */
function arithmeticKernel(
  sameShape: (x: TypedArray, y: TypedArray, out: TypedArray, n: number) => void,
  f: Scalar2,
  fInt?: Scalar2,
): Kernel<unknown, CpuBackend> {
  const general = binaryKernel(f, fInt);
  return (args) => {
    const {
      inputs: [a, b],
      outputs: [spec],
      backend,
    } = args;
    if (!shapesEqual(a!.shape, b!.shape) || (fInt && spec!.dtype === 'int32')) return general(args);
    const out = backend.alloc(spec!);
    sameShape(backend.data(a!), backend.data(b!), out, out.length);
    return backend.output(out, spec!);
  };
}

/** int32 division is floor division, as tfjs (by zero: Infinity/NaN store as 0). */
const floorDivide: Scalar2 = (a, b) => Math.floor(a / b);

/** Where: three broadcasting operands (condition, a, b). */
const where: Kernel<unknown, CpuBackend> = ({ inputs: [c, a, b], outputs: [spec], backend }) => {
  const cond = backend.data(c!);
  const x = backend.data(a!);
  const y = backend.data(b!);
  const out = backend.alloc(spec!);
  if (
    shapesEqual(c!.shape, spec!.shape) &&
    shapesEqual(a!.shape, spec!.shape) &&
    shapesEqual(b!.shape, spec!.shape)
  ) {
    for (let i = 0; i < out.length; i++) out[i] = cond[i] ? x[i]! : y[i]!;
  } else {
    forEachBroadcast3(c!.shape, a!.shape, b!.shape, spec!.shape, (o, ic, ia, ib) => {
      out[o] = cond[ic] ? x[ia]! : y[ib]!;
    });
  }
  return backend.output(out, spec!);
};

export const binaryKernels: Record<string, Kernel> = {
  Add: arithmeticKernel(
    (x, y, out, n) => {
      for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!;
    },
    (a, b) => a + b,
  ),
  Sub: arithmeticKernel(
    (x, y, out, n) => {
      for (let i = 0; i < n; i++) out[i] = x[i]! - y[i]!;
    },
    (a, b) => a - b,
  ),
  Mul: arithmeticKernel(
    (x, y, out, n) => {
      for (let i = 0; i < n; i++) out[i] = x[i]! * y[i]!;
    },
    (a, b) => a * b,
  ),
  Div: arithmeticKernel(
    (x, y, out, n) => {
      for (let i = 0; i < n; i++) out[i] = x[i]! / y[i]!;
    },
    (a, b) => a / b,
    floorDivide,
  ),
  Pow: binaryKernel(Math.pow),
  Atan2: binaryKernel(Math.atan2),
  Maximum: binaryKernel(Math.max),
  Minimum: binaryKernel(Math.min),
  SquaredDifference: binaryKernel((a, b) => (a - b) * (a - b)),
  Mod: binaryKernel(floorMod),
  FloorDiv: binaryKernel(floorDivide),
  Prelu: binaryKernel((x, alpha) => (x < 0 ? alpha * x : x)),
  // Comparisons and logical ops: bool outputs (0/1); NaN compares false.
  Equal: binaryKernel((a, b) => (a === b ? 1 : 0)),
  NotEqual: binaryKernel((a, b) => (a !== b ? 1 : 0)),
  Greater: binaryKernel((a, b) => (a > b ? 1 : 0)),
  GreaterEqual: binaryKernel((a, b) => (a >= b ? 1 : 0)),
  Less: binaryKernel((a, b) => (a < b ? 1 : 0)),
  LessEqual: binaryKernel((a, b) => (a <= b ? 1 : 0)),
  LogicalAnd: binaryKernel((a, b) => (a && b ? 1 : 0)),
  LogicalOr: binaryKernel((a, b) => (a || b ? 1 : 0)),
  Where: where,
};

import type { Kernel, TypedArray } from '@tapegrad/core';
import { shapesEqual } from '@tapegrad/core';
import type { CpuBackend } from '../backend.js';
import { forEachBroadcast, forEachBroadcast3, forEachBroadcastRow } from './broadcast.js';
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
 * Loops of one arithmetic op at given offsets, each with a single operation so that every
 * call site stays monomorphic (a shared loop calling a scalar function would not).
 */
interface ArithmeticLoops {
  /** out[o+i] = x[a+i] ∘ y[b+i] */
  vv(
    x: TypedArray,
    a: number,
    y: TypedArray,
    b: number,
    out: TypedArray,
    o: number,
    n: number,
  ): void;
  /** out[o+i] = x[a+i] ∘ v */
  vs(x: TypedArray, a: number, v: number, out: TypedArray, o: number, n: number): void;
  /** out[o+i] = v ∘ y[b+i] */
  sv(v: number, y: TypedArray, b: number, out: TypedArray, o: number, n: number): void;
}

/**
 * The hot arithmetic ops: same-shape, scalar and broadcast operands (bias adds, optimizer
 * updates) all run row loops; only int32 floor division takes the generic kernel.
 */
function arithmeticKernel(
  loops: ArithmeticLoops,
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
    if (fInt && spec!.dtype === 'int32') return general(args);
    const x = backend.data(a!);
    const y = backend.data(b!);
    const out = backend.alloc(spec!);
    if (shapesEqual(a!.shape, b!.shape)) loops.vv(x, 0, y, 0, out, 0, out.length);
    else if (y.length === 1) loops.vs(x, 0, y[0]!, out, 0, out.length);
    else if (x.length === 1) loops.sv(x[0]!, y, 0, out, 0, out.length);
    else {
      forEachBroadcastRow(a!.shape, b!.shape, spec!.shape, (o, ia, ib, n, aStep, bStep) => {
        if (aStep && bStep) loops.vv(x, ia, y, ib, out, o, n);
        else if (aStep) loops.vs(x, ia, y[ib]!, out, o, n);
        else if (bStep) loops.sv(x[ia]!, y, ib, out, o, n);
        else out.fill(f(x[ia]!, y[ib]!), o, o + n);
      });
    }
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
    {
      vv: (x, a, y, b, out, o, n) => {
        for (let i = 0; i < n; i++) out[o + i] = x[a + i]! + y[b + i]!;
      },
      vs: (x, a, v, out, o, n) => {
        for (let i = 0; i < n; i++) out[o + i] = x[a + i]! + v;
      },
      sv: (v, y, b, out, o, n) => {
        for (let i = 0; i < n; i++) out[o + i] = v + y[b + i]!;
      },
    },
    (a, b) => a + b,
  ),
  Sub: arithmeticKernel(
    {
      vv: (x, a, y, b, out, o, n) => {
        for (let i = 0; i < n; i++) out[o + i] = x[a + i]! - y[b + i]!;
      },
      vs: (x, a, v, out, o, n) => {
        for (let i = 0; i < n; i++) out[o + i] = x[a + i]! - v;
      },
      sv: (v, y, b, out, o, n) => {
        for (let i = 0; i < n; i++) out[o + i] = v - y[b + i]!;
      },
    },
    (a, b) => a - b,
  ),
  Mul: arithmeticKernel(
    {
      vv: (x, a, y, b, out, o, n) => {
        for (let i = 0; i < n; i++) out[o + i] = x[a + i]! * y[b + i]!;
      },
      vs: (x, a, v, out, o, n) => {
        for (let i = 0; i < n; i++) out[o + i] = x[a + i]! * v;
      },
      sv: (v, y, b, out, o, n) => {
        for (let i = 0; i < n; i++) out[o + i] = v * y[b + i]!;
      },
    },
    (a, b) => a * b,
  ),
  Div: arithmeticKernel(
    {
      vv: (x, a, y, b, out, o, n) => {
        for (let i = 0; i < n; i++) out[o + i] = x[a + i]! / y[b + i]!;
      },
      vs: (x, a, v, out, o, n) => {
        for (let i = 0; i < n; i++) out[o + i] = x[a + i]! / v;
      },
      sv: (v, y, b, out, o, n) => {
        for (let i = 0; i < n; i++) out[o + i] = v / y[b + i]!;
      },
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
  // relu's backward: dy where x > 0, else 0 (NaN x gives 0, as where(x > 0, dy, 0)).
  ReluGrad: binaryKernel((dy, x) => (x > 0 ? dy : 0)),
  // tanh's and sigmoid's backward from their outputs y: dy·(1 − y²) and dy·y·(1 − y).
  TanhGrad: binaryKernel((dy, y) => dy * (1 - y * y)),
  SigmoidGrad: binaryKernel((dy, y) => dy * y * (1 - y)),
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

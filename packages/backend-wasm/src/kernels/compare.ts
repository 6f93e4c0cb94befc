/**
 * Comparisons, logical ops, IsNaN/IsInf, Where and Cast (assembly/compare.ts): bool outputs
 * four lanes at a time, broadcasting through forEachOperandRow. Operand dtypes the module
 * has no loop for (float64 comparisons) run the CPU kernels on the wasm memory.
 */
import type { DType } from '@tapegrad/core';
import { bytesPerElement, sizeFromShape } from '@tapegrad/core';
import type { WasmKernel } from '../backend.js';
import { cpuFallback, forEachOperandRow, rowsLongEnough } from './elementwise.js';
import { KIND } from './kinds.js';

/** Op codes of assembly/compare.ts. */
const COMPARE = {
  Equal: 0,
  NotEqual: 1,
  Greater: 2,
  GreaterEqual: 3,
  Less: 4,
  LessEqual: 5,
  LogicalAnd: 6,
  LogicalOr: 7,
} as const;

const PREDICATE = { IsNaN: 0, IsInf: 1, LogicalNot: 2 } as const;

/** Dtypes the four-lane loops read. */
const LANE_DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** A kernel that runs `fast` when `accepts` agrees, else the CPU kernel on the wasm memory. */
function when(
  accepts: (args: Parameters<WasmKernel>[0]) => boolean,
  fast: WasmKernel,
  name: string,
): WasmKernel {
  const fallback = cpuFallback(name);
  return (args) => (accepts(args) ? fast(args) : fallback(args));
}

function compareKernel(name: keyof typeof COMPARE): WasmKernel {
  const op = COMPARE[name];
  const fast: WasmKernel = ({ inputs: [a, b], outputs: [spec], backend }) => {
    const out = backend.output(spec!);
    const kind = KIND[a!.dtype];
    const eb = bytesPerElement(a!.dtype);
    const pa = backend.ptr(a!);
    const pb = backend.ptr(b!);
    const po = backend.ptr(out);
    const k = backend.kernels;
    forEachOperandRow(a!.shape, b!.shape, spec!.shape, (o, ia, ib, n, aStep, bStep) => {
      k.compare(op, kind, pa + ia * eb, aStep, pb + ib * eb, bStep, po + o, n);
    });
    return out;
  };
  return when(
    (args) => {
      const [a, b] = args.inputs;
      return a!.dtype === b!.dtype && LANE_DTYPES.includes(a!.dtype) && rowsLongEnough(args);
    },
    fast,
    name,
  );
}

function predicateKernel(name: keyof typeof PREDICATE): WasmKernel {
  const op = PREDICATE[name];
  const fast: WasmKernel = ({ inputs: [x], outputs: [spec], backend }) => {
    const out = backend.output(spec!);
    const n = sizeFromShape(spec!.shape);
    if (n > 0) backend.kernels.predicate(op, KIND[x!.dtype], backend.ptr(x!), backend.ptr(out), n);
    return out;
  };
  // IsNaN/IsInf of int32 or bool are all false: the CPU kernel handles those rare calls.
  const dtypes: readonly DType[] = name === 'LogicalNot' ? LANE_DTYPES : ['float32'];
  return when(({ inputs: [x] }) => dtypes.includes(x!.dtype), fast, name);
}

/**
 * Where(cond, a, b) in two broadcast passes: the output takes `a` (broadcast), then the
 * elements whose condition is false take `b`. Any dtype (the passes move bytes).
 */
const where: WasmKernel = ({ inputs: [c, a, b], outputs: [spec], backend }) => {
  const out = backend.output(spec!);
  const shape = spec!.shape;
  const eb = bytesPerElement(spec!.dtype);
  const pa = backend.ptr(a!);
  const pb = backend.ptr(b!);
  const pc = backend.ptr(c!);
  const po = backend.ptr(out);
  const k = backend.kernels;
  forEachOperandRow(a!.shape, shape, shape, (o, ia, _, n, aStep) => {
    k.broadcastRow(pa + ia * eb, aStep, po + o * eb, n, eb);
  });
  forEachOperandRow(c!.shape, b!.shape, shape, (o, ic, ib, n, cStep, bStep) => {
    k.selectRow(pc + ic, cStep, pb + ib * eb, bStep, po + o * eb, n, eb);
  });
  return out;
};

/** Cast between any two dtypes, with the conversions of a typed-array store. */
const cast: WasmKernel = ({ inputs: [x], outputs: [spec], backend }) => {
  const out = backend.output(spec!);
  const n = sizeFromShape(spec!.shape);
  if (n > 0) {
    const k = backend.kernels;
    k.cast(KIND[x!.dtype], KIND[spec!.dtype], backend.ptr(x!), backend.ptr(out), n);
  }
  return out;
};

export const compareKernels: Record<string, WasmKernel> = {
  ...Object.fromEntries(
    (Object.keys(COMPARE) as (keyof typeof COMPARE)[]).map((name) => [name, compareKernel(name)]),
  ),
  ...Object.fromEntries(
    (Object.keys(PREDICATE) as (keyof typeof PREDICATE)[]).map((name) => [
      name,
      predicateKernel(name),
    ]),
  ),
  Where: when((args) => args.inputs[0]!.dtype === 'bool' && rowsLongEnough(args), where, 'Where'),
  Cast: cast,
};

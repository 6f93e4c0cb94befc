import type { DType, Shape } from '@tapegrad/core';
import { shapesEqual, sizeFromShape } from '@tapegrad/core';
import { cpuKernels } from '@tapegrad/backend-cpu';
import type { WasmBackend, WasmKernel } from '../backend.js';
import { forEachBroadcastRow as forEachRow } from '@tapegrad/backend-cpu';
import { hosted } from './hosted.js';
import { KIND } from './kinds.js';

/** Op codes of assembly/elementwise.ts. */
const UNARY = {
  Neg: 0,
  Abs: 1,
  Sqrt: 2,
  Rsqrt: 3,
  Relu: 4,
  Relu6: 5,
  Square: 6,
  Reciprocal: 7,
  LeakyRelu: 8,
  ClipByValue: 9,
} as const;

const BINARY = {
  Add: 0,
  Sub: 1,
  Mul: 2,
  Div: 3,
  Maximum: 4,
  Minimum: 5,
  SquaredDifference: 6,
  ReluGrad: 7,
} as const;

/** Broadcast rows shorter than this run the CPU kernel (one wasm call per row would cost more). */
const MIN_ROW = 16;

/** Ops of `unary` with an int32 loop (`unaryInt`). */
const INT_UNARY = new Set<string>(['Neg', 'Abs', 'Relu', 'Relu6', 'Square']);
/** Ops of `binary` with an int32 loop (`binaryInt`); int32 Div is floor division (binary-math.ts). */
const INT_BINARY = new Set<string>(['Add', 'Sub', 'Mul', 'Maximum', 'Minimum']);

/** The CPU backend's kernel of `name`, run on the wasm memory (other dtypes, unsupported layouts). */
export function cpuFallback(name: string): WasmKernel {
  const kernel = cpuKernels[name];
  if (!kernel) throw new Error(`backend-wasm: the CPU backend has no kernel '${name}'`);
  return hosted(kernel);
}

/**
 * A kernel that runs `kernels[d]` when every input and the output have dtype `d` (and
 * `accepts` agrees), else the CPU kernel of `name` on the wasm memory.
 */
export function byDtype(
  name: string,
  kernels: Partial<Record<DType, WasmKernel>>,
  accepts?: (args: Parameters<WasmKernel>[0]) => boolean,
): WasmKernel {
  const fallback = cpuFallback(name);
  return (args) => {
    const dtype = args.outputs[0]!.dtype;
    const fast = kernels[dtype];
    const ok =
      fast !== undefined &&
      args.inputs.every((t) => t.dtype === dtype) &&
      (!accepts || accepts(args));
    return ok ? fast(args) : fallback(args);
  };
}

function unaryKernel(name: keyof typeof UNARY): WasmKernel {
  const op = UNARY[name];
  const float32: WasmKernel<{ alpha?: number; min?: number; max?: number }> = ({
    inputs: [x],
    attrs,
    outputs: [spec],
    backend,
  }) => {
    const out = backend.output(spec!);
    const p0 = name === 'ClipByValue' ? attrs.min! : (attrs.alpha ?? 0);
    const p1 = name === 'ClipByValue' ? attrs.max! : 0;
    backend.kernels.unary(
      op,
      backend.ptr(x!),
      backend.ptr(out),
      sizeFromShape(spec!.shape),
      p0,
      p1,
    );
    return out;
  };
  const int32: WasmKernel = ({ inputs: [x], outputs: [spec], backend }) => {
    const out = backend.output(spec!);
    const n = sizeFromShape(spec!.shape);
    backend.kernels.unaryInt(op, backend.ptr(x!), backend.ptr(out), n);
    return out;
  };
  return byDtype(name, INT_UNARY.has(name) ? { float32, int32 } : { float32 });
}

/**
 * Calls `row(o, ia, ib, n, aStep, bStep)` (element offsets; steps 1 along the row or 0 for a
 * broadcast element) over a broadcasting binary op: once when each operand is either
 * output-shaped or a single element, else once per innermost row (forEachBroadcastRow).
 */
export function forEachOperandRow(
  aShape: Shape,
  bShape: Shape,
  outShape: Shape,
  row: (o: number, ia: number, ib: number, n: number, aStep: number, bStep: number) => void,
): void {
  const n = sizeFromShape(outShape);
  if (n === 0) return;
  const aFull = shapesEqual(aShape, outShape);
  const bFull = shapesEqual(bShape, outShape);
  if ((aFull || sizeFromShape(aShape) === 1) && (bFull || sizeFromShape(bShape) === 1))
    row(0, 0, 0, n, aFull ? 1 : 0, bFull ? 1 : 0);
  else forEachRow(aShape, bShape, outShape, row);
}

/**
 * Whether forEachOperandRow makes few wasm calls for these shapes: one call, or rows of at
 * least MIN_ROW elements (shorter rows are cheaper in the CPU kernel).
 */
export function fewRowCalls(shapes: readonly Shape[], outShape: Shape): boolean {
  const single = shapes.every((s) => shapesEqual(s, outShape) || sizeFromShape(s) === 1);
  return single || (outShape.length > 0 && outShape[outShape.length - 1]! >= MIN_ROW);
}

/** Inputs' and output's shapes allow few row calls (see fewRowCalls). */
export const rowsLongEnough = ({ inputs, outputs: [spec] }: Parameters<WasmKernel>[0]): boolean =>
  fewRowCalls(
    inputs.map((t) => t.shape),
    spec!.shape,
  );

/** A broadcasting binary kernel from a row function of byte offsets (4-byte elements). */
export function rowKernel(
  row: (
    backend: WasmBackend,
    a: number,
    aStep: number,
    b: number,
    bStep: number,
    out: number,
    n: number,
  ) => void,
): WasmKernel {
  return ({ inputs: [a, b], outputs: [spec], backend }) => {
    const out = backend.output(spec!);
    const pa = backend.ptr(a!);
    const pb = backend.ptr(b!);
    const po = backend.ptr(out);
    forEachOperandRow(a!.shape, b!.shape, spec!.shape, (o, ia, ib, n, aStep, bStep) => {
      row(backend, pa + ia * 4, aStep, pb + ib * 4, bStep, po + o * 4, n);
    });
    return out;
  };
}

/** Op code of FloorDiv in assembly/binary-math.ts (int32 Div is floor division). */
const FLOOR_DIV = 3;

function binaryKernel(name: keyof typeof BINARY): WasmKernel {
  const op = BINARY[name];
  const float32 = rowKernel((backend, ...row) => backend.kernels.binary(op, ...row));
  const int32 =
    name === 'Div'
      ? rowKernel((backend, ...row) => backend.kernels.binaryMath(FLOOR_DIV, KIND.int32, ...row))
      : rowKernel((backend, ...row) => backend.kernels.binaryInt(op, ...row));
  const hasInt = INT_BINARY.has(name) || name === 'Div';
  return byDtype(name, hasInt ? { float32, int32 } : { float32 }, rowsLongEnough);
}

/** AddN: a chain of SIMD adds into the output. */
const addN: WasmKernel = ({ inputs, outputs: [spec], backend }) => {
  const out = backend.output(spec!, inputs.length < 2);
  const n = sizeFromShape(spec!.shape);
  const po = backend.ptr(out);
  const k = backend.kernels;
  if (inputs.length === 1) k.binary(BINARY.Add, backend.ptr(inputs[0]!), 1, po, 1, po, n);
  else {
    k.binary(BINARY.Add, backend.ptr(inputs[0]!), 1, backend.ptr(inputs[1]!), 1, po, n);
    for (let i = 2; i < inputs.length; i++)
      k.binary(BINARY.Add, po, 1, backend.ptr(inputs[i]!), 1, po, n);
  }
  return out;
};

export const elementwiseKernels: Record<string, WasmKernel> = {
  ...Object.fromEntries(
    (Object.keys(UNARY) as (keyof typeof UNARY)[]).map((name) => [name, unaryKernel(name)]),
  ),
  ...Object.fromEntries(
    (Object.keys(BINARY) as (keyof typeof BINARY)[]).map((name) => [name, binaryKernel(name)]),
  ),
  AddN: byDtype('AddN', { float32: addN }, ({ inputs }) => inputs.length > 0),
};

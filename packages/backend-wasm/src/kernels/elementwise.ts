import type { DType, Shape } from '@tapegrad/core';
import { shapesEqual, sizeFromShape } from '@tapegrad/core';
import { cpuKernels } from '@tapegrad/backend-cpu';
import type { KernelCall, WasmBackend, WasmKernel } from '../backend.js';
import { broadcastStrides, forEachBroadcastRow as forEachRow } from '@tapegrad/backend-cpu';
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
  TanhGrad: 8,
  SigmoidGrad: 9,
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
    const n = sizeFromShape(spec!.shape);
    const pointers = [backend.ptr(x!), backend.ptr(out)];
    runElementRanges(backend, 'unary', { lead: [op], pointers, tail: [p0, p1] }, n, n * 8);
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
 * Whether forEachOperandRow makes few wasm calls for these shapes: rows of at least MIN_ROW
 * elements (shorter rows are cheaper in the CPU kernel), or one call (every input the
 * output's shape or a single element). Runs on every dispatch: no allocation.
 */
export const rowsLongEnough = ({ inputs, outputs: [spec] }: Parameters<WasmKernel>[0]): boolean => {
  const out = spec!.shape;
  if (out.length > 0 && out[out.length - 1]! >= MIN_ROW) return true;
  return inputs.every((t) => shapesEqual(t.shape, out) || sizeFromShape(t.shape) === 1);
};

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

/**
 * A broadcasting binary op as `rows` rows of `n` output elements, each operand reading row r
 * at r·row (element offsets) with a step of 1 or 0 along it (see `uniformRows`).
 */
export interface UniformRows {
  rows: number;
  n: number;
  aRow: number;
  aStep: number;
  bRow: number;
  bStep: number;
}

/**
 * [row offset, step] of one operand over the output's innermost rows: broadcast over every
 * outer dimension (offset 0), or having every one (offset = its last dimension, n or 1);
 * null when it has some and not others ([2, 1, 3] against [2, 4, 3]).
 */
function operandRows(shape: Shape, outShape: Shape): [number, number] | null {
  const rank = outShape.length;
  const strides = broadcastStrides(shape, outShape);
  let broadcast = false;
  let full = false;
  for (let d = 0; d + 1 < rank; d++) {
    if (outShape[d]! === 1) continue;
    if (strides[d] === 0) broadcast = true;
    else full = true;
  }
  if (broadcast && full) return null;
  const step = rank ? strides[rank - 1]! : 0;
  return [full ? (shape[shape.length - 1] ?? 1) : 0, step];
}

/**
 * The rows of a broadcasting binary op when one `binaryRows` call covers them: operands that
 * are output-shaped or single elements give one row of every element; [R, n] with [n], [R, 1]
 * or [R, n] (a bias add, a per-row scale) give R rows. Null for other broadcasts.
 */
export function uniformRows(aShape: Shape, bShape: Shape, outShape: Shape): UniformRows | null {
  const size = sizeFromShape(outShape);
  const aFull = shapesEqual(aShape, outShape);
  const bFull = shapesEqual(bShape, outShape);
  if ((aFull || sizeFromShape(aShape) === 1) && (bFull || sizeFromShape(bShape) === 1))
    return { rows: 1, n: size, aRow: 0, aStep: aFull ? 1 : 0, bRow: 0, bStep: bFull ? 1 : 0 };
  const a = operandRows(aShape, outShape);
  const b = operandRows(bShape, outShape);
  if (!a || !b) return null;
  const n = outShape[outShape.length - 1]!;
  return { rows: n ? size / n : 0, n, aRow: a[0], aStep: a[1], bRow: b[0], bStep: b[1] };
}

/** Bytes an elementwise kernel (a binary op, an optimizer update) moves per thread at least (~50 µs of memory traffic). */
export const MIN_BYTES_PER_PART = 1 << 20;

/** n elements in at most `parts` ranges, [start, length], whose starts are multiples of 4 (whole f32x4 bodies). */
export function elementRanges(n: number, parts: number): [number, number][] {
  const step = Math.ceil(n / parts / 4) * 4;
  const ranges: [number, number][] = [];
  for (let start = 0; start < n; start += step) ranges.push([start, Math.min(step, n - start)]);
  return ranges;
}

/**
 * Runs `fn` of the module over n float32 elements in element ranges, one per thread part
 * (elementwise, so bit-identical to one thread): each call's arguments are `lead`, then
 * `pointers` advanced to the range (0, an absent buffer, stays 0), the range's length and
 * `tail`. `work` is the call's cost in bytes of memory traffic (more for arithmetic-heavy
 * kernels), which sets how many threads it is worth.
 */
export function runElementRanges(
  backend: WasmBackend,
  fn: KernelCall['fn'],
  call: { lead?: readonly number[]; pointers: readonly number[]; tail?: readonly number[] },
  n: number,
  work: number,
): void {
  const parts = backend.partsFor(work, MIN_BYTES_PER_PART);
  const { lead = [], pointers, tail = [] } = call;
  backend.parallel(
    elementRanges(n, parts).map(([i0, len]) => ({
      fn,
      args: [...lead, ...pointers.map((ptr) => ptr && ptr + i0 * 4), len, ...tail],
    })),
  );
}

/**
 * float32 binary op `op` in `binaryRows` calls: one per thread part (rows, or element ranges of
 * a single row); broadcasts that are not uniform rows go one call per row (`perRow`).
 */
function binaryFloat32(op: number, perRow: WasmKernel): WasmKernel {
  return (args) => {
    const {
      inputs: [a, b],
      outputs: [spec],
      backend,
    } = args;
    const plan = uniformRows(a!.shape, b!.shape, spec!.shape);
    if (!plan) return perRow(args);
    const out = backend.output(spec!);
    const { rows, n, aRow, aStep, bRow, bStep } = plan;
    const [pa, pb, po] = [backend.ptr(a!), backend.ptr(b!), backend.ptr(out)];
    const parts = backend.partsFor(rows * n * 12, MIN_BYTES_PER_PART);
    if (parts === 1) {
      // The common small case, without building calls (this is most of an op's dispatch).
      backend.kernels.binaryRows(op, pa, aRow, aStep, pb, bRow, bStep, po, rows, n);
      return out;
    }
    const call = (ia: number, ib: number, o: number, r: number, len: number): KernelCall => ({
      fn: 'binaryRows',
      args: [op, pa + ia * 4, aRow, aStep, pb + ib * 4, bRow, bStep, po + o * 4, r, len],
    });
    const calls: KernelCall[] = [];
    if (rows === 1) {
      for (const [i0, len] of elementRanges(n, parts))
        calls.push(call(i0 * aStep, i0 * bStep, i0, 1, len));
    } else {
      const step = Math.ceil(rows / parts);
      for (let r0 = 0; r0 < rows; r0 += step)
        calls.push(call(r0 * aRow, r0 * bRow, r0 * n, Math.min(step, rows - r0), n));
    }
    backend.parallel(calls);
    return out;
  };
}

/** Op code of FloorDiv in assembly/binary-math.ts (int32 Div is floor division). */
const FLOOR_DIV = 3;

function binaryKernel(name: keyof typeof BINARY): WasmKernel {
  const op = BINARY[name];
  const float32 = binaryFloat32(
    op,
    rowKernel((backend, ...row) => backend.kernels.binary(op, ...row)),
  );
  const int32 =
    name === 'Div'
      ? rowKernel((backend, ...row) => backend.kernels.binaryMath(FLOOR_DIV, KIND.int32, ...row))
      : rowKernel((backend, ...row) => backend.kernels.binaryInt(op, ...row));
  const hasInt = INT_BINARY.has(name) || name === 'Div';
  // float32 takes every uniform-rows broadcast however short its rows; int32 needs long rows.
  const accepts = (args: Parameters<WasmKernel>[0]) =>
    rowsLongEnough(args) ||
    (args.outputs[0]!.dtype === 'float32' &&
      uniformRows(args.inputs[0]!.shape, args.inputs[1]!.shape, args.outputs[0]!.shape) !== null);
  return byDtype(name, hasInt ? { float32, int32 } : { float32 }, accepts);
}

/**
 * AddN: one pass over the first four inputs, then three more at a time into the output,
 * summed left to right (the tape sums all the gradient contributions of a tensor at once).
 */
const addN: WasmKernel = ({ inputs, outputs: [spec], backend }) => {
  const out = backend.output(spec!, inputs.length < 2);
  const n = sizeFromShape(spec!.shape);
  const po = backend.ptr(out);
  const k = backend.kernels;
  const ptrs = inputs.map((t) => backend.ptr(t));
  if (ptrs.length === 1) k.binary(BINARY.Add, ptrs[0]!, 1, po, 1, po, n);
  else {
    const first = Math.min(4, ptrs.length);
    k.sumMany(first, ptrs[0]!, ptrs[1]!, ptrs[2] ?? 0, ptrs[3] ?? 0, po, n);
    for (let i = first; i < ptrs.length; i += 3) {
      const more = Math.min(3, ptrs.length - i);
      k.sumMany(1 + more, po, ptrs[i]!, ptrs[i + 1] ?? 0, ptrs[i + 2] ?? 0, po, n);
    }
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

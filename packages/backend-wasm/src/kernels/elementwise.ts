import { shapesEqual, sizeFromShape } from '@tapegrad/core';
import { cpuKernels } from '@tapegrad/backend-cpu';
import type { WasmKernel } from '../backend.js';
import { forEachBroadcastRow as forEachRow } from '@tapegrad/backend-cpu';
import { float32Or, hosted } from './hosted.js';

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
} as const;

/** Broadcast rows shorter than this run the CPU kernel (one wasm call per row would cost more). */
const MIN_ROW = 16;

/** The CPU backend's kernel of `name`, run on the wasm memory (other dtypes, unsupported layouts). */
export function cpuFallback(name: string): WasmKernel {
  const kernel = cpuKernels[name];
  if (!kernel) throw new Error(`backend-wasm: the CPU backend has no kernel '${name}'`);
  return hosted(kernel);
}

function unaryKernel(name: keyof typeof UNARY): WasmKernel {
  const op = UNARY[name];
  const fast: WasmKernel<{ alpha?: number; min?: number; max?: number }> = ({
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
  return float32Or(fast, cpuFallback(name));
}

function binaryKernel(name: keyof typeof BINARY): WasmKernel {
  const op = BINARY[name];
  const fast: WasmKernel = ({ inputs: [a, b], outputs: [spec], backend }) => {
    const out = backend.output(spec!);
    const k = backend.kernels;
    const pa = backend.ptr(a!);
    const pb = backend.ptr(b!);
    const po = backend.ptr(out);
    const n = sizeFromShape(spec!.shape);
    const na = sizeFromShape(a!.shape);
    const nb = sizeFromShape(b!.shape);
    if (shapesEqual(a!.shape, b!.shape)) k.binary(op, pa, 1, pb, 1, po, n);
    else if (nb === 1) k.binary(op, pa, 1, pb, 0, po, n);
    else if (na === 1) k.binary(op, pa, 0, pb, 1, po, n);
    else {
      forEachRow(a!.shape, b!.shape, spec!.shape, (o, ia, ib, len, aStep, bStep) => {
        k.binary(op, pa + ia * 4, aStep, pb + ib * 4, bStep, po + o * 4, len);
      });
    }
    return out;
  };
  const rowsLongEnough: Parameters<typeof float32Or>[2] = ({ inputs: [a, b], outputs: [spec] }) => {
    if (shapesEqual(a!.shape, b!.shape)) return true;
    if (sizeFromShape(a!.shape) === 1 || sizeFromShape(b!.shape) === 1) return true;
    const shape = spec!.shape;
    return shape.length > 0 && shape[shape.length - 1]! >= MIN_ROW;
  };
  return float32Or(fast, cpuFallback(name), rowsLongEnough);
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
  AddN: float32Or(addN, cpuFallback('AddN'), ({ inputs }) => inputs.length > 0),
};

/** Ops of this file with SIMD float32 kernels. */
export const elementwiseAccelerated = [...Object.keys(UNARY), ...Object.keys(BINARY), 'AddN'];

/**
 * A tiny reference backend and op set, so the core can be tested without the op
 * families (which depend on core). Shapes: same-shape or scalar-broadcast only.
 */
import type {
  Backend,
  BackendPlugin,
  DataHandle,
  DType,
  Kernel,
  OpDef,
  OpsPlugin,
  TypedArray,
} from '../src/index.js';
import {
  DTYPES,
  Engine,
  createEngine,
  makeTypedArray,
  shapesEqual,
  sizeFromShape,
} from '../src/index.js';
import type { Tensor } from '../src/index.js';

class Buf {
  constructor(readonly values: TypedArray) {}
}

export function refBackend(name = 'ref', priority = 1, kernelNames?: string[]): BackendPlugin {
  let bytes = 0;
  let buffers = 0;
  const backend: Backend = {
    name,
    dtypes: DTYPES,
    write(values) {
      bytes += values.byteLength;
      buffers++;
      return new Buf(values);
    },
    read: (h: DataHandle) => Promise.resolve((h as Buf).values),
    readSync: (h: DataHandle) => (h as Buf).values,
    free(h: DataHandle) {
      bytes -= (h as Buf).values.byteLength;
      buffers--;
    },
    memory: () => ({ numBytes: bytes, numBuffers: buffers }),
  };
  const data = (i: { dataId: DataHandle }) => (i.dataId as Buf).values;
  const map =
    (f: (...xs: number[]) => number): Kernel =>
    ({ inputs, outputs: [spec] }) => {
      const out = makeTypedArray(spec!.dtype, sizeFromShape(spec!.shape));
      const xs = inputs.map(data);
      for (let i = 0; i < out.length; i++) out[i] = f(...xs.map((x) => x[x.length === 1 ? 0 : i]!));
      return {
        dataId: backend.write(out, spec!.shape, spec!.dtype),
        shape: spec!.shape,
        dtype: spec!.dtype,
      };
    };
  const all: Record<string, Kernel> = {
    AddN: map((...xs) => xs.reduce((a, b) => a + b, 0)),
    Add: map((a, b) => a + b),
    Mul: map((a, b) => a * b),
    Neg: map((a) => -a),
    Exp: map(Math.exp),
    Log: map(Math.log),
    Sin: map(Math.sin),
    Cos: map(Math.cos),
    Sign: map(Math.sign),
    SumAll: ({ inputs: [x], outputs: [spec] }) => {
      const out = makeTypedArray(spec!.dtype, 1);
      let total = 0;
      for (const v of data(x!)) total += v;
      out[0] = total;
      return { dataId: backend.write(out, [], spec!.dtype), shape: [], dtype: spec!.dtype };
    },
    Fill: ({ inputs: [x], attrs, outputs: [spec] }) => {
      const out = makeTypedArray(spec!.dtype, sizeFromShape(x!.shape));
      out.fill((attrs as { value: number }).value);
      return {
        dataId: backend.write(out, spec!.shape, spec!.dtype),
        shape: spec!.shape,
        dtype: spec!.dtype,
      };
    },
  };
  const kernels = kernelNames ? Object.fromEntries(kernelNames.map((k) => [k, all[k]!])) : all;
  return { kind: 'backend', name, priority, create: () => backend, kernels };
}

const sameOrScalar =
  (op: string): OpDef['inferShape'] =>
  (inputs) => {
    const [a, b] = inputs;
    if (!b || b.shape.length === 0) return a!.shape;
    if (a!.shape.length === 0) return b.shape;
    if (!shapesEqual(a!.shape, b.shape)) throw new Error(`${op}: shapes differ`);
    return a!.shape;
  };

function run(x: Tensor, op: string, inputs: Tensor[], attrs = {}): Tensor {
  return x.engine.run(op, inputs, attrs) as Tensor;
}

export const mul = (a: Tensor, b: Tensor) => run(a, 'Mul', [a, b]);
export const add = (a: Tensor, b: Tensor) => run(a, 'Add', [a, b]);
export const neg = (a: Tensor) => run(a, 'Neg', [a]);
export const exp = (a: Tensor) => run(a, 'Exp', [a]);
export const log = (a: Tensor) => run(a, 'Log', [a]);
export const sin = (a: Tensor) => run(a, 'Sin', [a]);
export const cos = (a: Tensor) => run(a, 'Cos', [a]);
export const sign = (a: Tensor) => run(a, 'Sign', [a]);
export const sumAll = (a: Tensor) => run(a, 'SumAll', [a]);
export const fillLike = (a: Tensor, value: number) => run(a, 'Fill', [a], { value });
/** Composite without its own gradient: differentiated through Mul. */
export const square = (a: Tensor) => run(a, 'Square', [a]);

/** Reduces a broadcast (scalar) gradient back to the input shape. */
function unbroadcast(g: Tensor, x: Tensor): Tensor {
  return x.shape.length === 0 && g.shape.length > 0 ? sumAll(g) : g;
}

export const refOps: OpsPlugin = {
  kind: 'ops',
  name: 'ref-ops',
  ops: [
    {
      name: 'Add',
      inferShape: sameOrScalar('add'),
      grad: (dy, { inputs: [a, b] }) => [unbroadcast(dy, a!), unbroadcast(dy, b!)],
    },
    {
      name: 'Mul',
      inferShape: sameOrScalar('mul'),
      grad: (dy, { inputs: [a, b] }) => [
        unbroadcast(mul(dy, b!), a!),
        unbroadcast(mul(dy, a!), b!),
      ],
    },
    { name: 'Neg', inferShape: ([x]) => x!.shape, grad: (dy) => [neg(dy)] },
    { name: 'Exp', inferShape: ([x]) => x!.shape, grad: (dy, { outputs: [y] }) => [mul(dy, y!)] },
    {
      name: 'Log',
      inferShape: ([x]) => x!.shape,
      grad: (dy, { inputs: [x] }) => [mul(dy, exp(neg(log(x!))))],
    },
    {
      name: 'Sin',
      inferShape: ([x]) => x!.shape,
      grad: (dy, { inputs: [x] }) => [mul(dy, cos(x!))],
    },
    {
      name: 'Cos',
      inferShape: ([x]) => x!.shape,
      grad: (dy, { inputs: [x] }) => [neg(mul(dy, sin(x!)))],
    },
    { name: 'Sign', inferShape: ([x]) => x!.shape, grad: (dy) => [fillLike(dy, 0)] },
    {
      name: 'SumAll',
      inferShape: () => [],
      grad: (dy, { inputs: [x] }) => [mul(fillLike(x!, 1), dy)],
    },
    { name: 'Fill', inferShape: ([x]) => x!.shape, nondifferentiable: true },
    { name: 'Square', inferShape: ([x]) => x!.shape, composite: ([x]) => mul(x!, x!) },
  ],
};

export function refEngine(): Engine {
  return createEngine({ ops: [refOps], backends: [refBackend()] });
}

export function vals(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

export type { DType };

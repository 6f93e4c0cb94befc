/**
 * Helpers shared by the elementwise ops: dtype rules of the op definitions, argument
 * conversion of the public functions (with tfjs's casts) and zero gradients.
 *
 * Dtype rules (checked by the op definitions, so `engine.run` is held to them too):
 * - float ops (exp, sin, atan2, ...) take float32/float64; their public functions cast
 *   int32 and bool arguments to float32 first (tfjs: `exp` of an int32 tensor is float32);
 * - numeric ops (add, abs, maximum, ...) take float32/float64/int32 and keep the dtype;
 *   their public functions cast bool arguments to int32;
 * - comparisons take any dtype and return bool; logical ops take and return bool;
 * - binary ops need both operands of one dtype (the public functions upcast them).
 */
import type { Attrs, DType, Engine, GradFn, InputSpec, OpDef, Tensor } from '@tapegrad/core';
import { ArgumentError, DTypeError, broadcastShapes, engineOf, isFloatDtype } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { binaryOperands, cast, lowerFirst, run, toTensor } from '../../util.js';

export type DtypeClass = 'float' | 'numeric' | 'bool' | 'any';

const CLASS_TEXT: Record<DtypeClass, string> = {
  float: 'a float tensor (float32 or float64)',
  numeric: 'a numeric tensor (float32, float64 or int32)',
  bool: 'a bool tensor',
  any: 'a tensor',
};

function accepts(cls: DtypeClass, dtype: DType): boolean {
  switch (cls) {
    case 'float':
      return isFloatDtype(dtype);
    case 'numeric':
      return dtype !== 'bool';
    case 'bool':
      return dtype === 'bool';
    default:
      return true;
  }
}

/** Throws a DTypeError naming the op, the argument, its dtype and what is valid. */
export function assertDtypeClass(op: string, arg: string, dtype: DType, cls: DtypeClass): void {
  if (!accepts(cls, dtype)) {
    const hint =
      cls === 'bool' ? '; compare it (e.g. notEqual(x, 0)) or cast it first' : '; cast it first';
    throw new DTypeError(`${op}: ${arg} must be ${CLASS_TEXT[cls]}, got ${dtype}${hint}`);
  }
}

/** Throws a DTypeError when the operands of a binary op differ in dtype. */
export function assertSameDtype(
  op: string,
  inputs: readonly InputSpec[],
  names: readonly string[],
): void {
  const first = inputs[0]!;
  inputs.forEach((t, i) => {
    if (t.dtype !== first.dtype) {
      throw new DTypeError(
        `${op}: ${names[0]} (${first.dtype}) and ${names[i]} (${t.dtype}) must have the same dtype ` +
          `(the public function upcasts them: bool < int32 < float32 < float64)`,
      );
    }
  });
}

type OpOptions<A = Attrs> = Partial<OpDef<A>> & { dtypes?: DtypeClass };

/** An elementwise unary op: output has the input's shape (and dtype unless `inferDtype`). */
export function elementwiseUnary<A = Attrs>(name: string, options: OpOptions<A> = {}): OpDef<A> {
  const { dtypes = 'float', ...rest } = options;
  const op = lowerFirst(name);
  return {
    name,
    inputNames: ['x'],
    inferShape([x]) {
      assertDtypeClass(op, 'x', x!.dtype, dtypes);
      return x!.shape;
    },
    ...rest,
  };
}

/** A broadcasting binary op whose operands share one dtype. */
export function elementwiseBinary(
  name: string,
  options: OpOptions & { names?: [string, string] } = {},
): OpDef {
  const { dtypes = 'numeric', names = ['a', 'b'], ...rest } = options;
  const op = lowerFirst(name);
  return {
    name,
    inputNames: names,
    inferShape(inputs) {
      const [a, b] = inputs;
      assertDtypeClass(op, names[0], a!.dtype, dtypes);
      assertDtypeClass(op, names[1], b!.dtype, dtypes);
      assertSameDtype(op, inputs, names);
      return broadcastShapes(op, a!.shape, b!.shape, names);
    },
    ...rest,
  };
}

/** A comparison: any dtype in, bool out, no gradient. */
export function comparisonOp(name: string): OpDef {
  return elementwiseBinary(name, {
    dtypes: 'any',
    inferDtype: () => 'bool',
    nondifferentiable: true,
  });
}

/**
 * Runs an op, then disposes the inputs that the public function made itself
 * (tensors converted from numbers/arrays, casts): the user's tensors are never touched,
 * and the tape keeps its own references to what it saved.
 */
export function runReleasing(
  engine: Engine,
  op: string,
  inputs: Tensor[],
  args: readonly unknown[],
  attrs: Record<string, unknown> = {},
): Tensor {
  try {
    return run(engine, op, inputs, attrs);
  } finally {
    inputs.forEach((t, i) => {
      if (t !== args[i]) t.dispose();
    });
  }
}

/** Casts a converted argument, disposing the intermediate when the function made it. */
function recast(t: Tensor, dtype: DType, original: unknown): Tensor {
  if (t.dtype === dtype) return t;
  const c = cast(t, dtype);
  if (t !== original) t.dispose();
  return c;
}

/** Converts one argument of a unary op, applying the dtype rule of its class. */
export function unaryOperand(
  engine: Engine,
  op: string,
  x: Arg,
  cls: DtypeClass,
  arg = 'x',
): Tensor {
  const t = toTensor(engine, x, arg, op, cls === 'bool' ? 'bool' : undefined);
  if (cls === 'float' && !isFloatDtype(t.dtype)) return recast(t, 'float32', x);
  if (cls === 'numeric' && t.dtype === 'bool') return recast(t, 'int32', x);
  if (cls === 'bool') assertDtypeClass(op, arg, t.dtype, 'bool');
  return t;
}

/** Public side of a unary op: converts `x` by the op's dtype class and runs `opName`. */
export function runUnary(
  op: string,
  opName: string,
  x: Arg,
  cls: DtypeClass,
  attrs?: Record<string, unknown>,
): Tensor {
  const engine = engineOf(x);
  const t = unaryOperand(engine, op, x, cls);
  return runReleasing(engine, opName, [t], [x], attrs);
}

/** Converts and upcasts the operands of a binary op, applying the dtype rule of its class. */
export function binaryArgs(
  op: string,
  a: Arg,
  b: Arg,
  cls: DtypeClass,
  names: [string, string] = ['a', 'b'],
): [Engine, Tensor, Tensor] {
  if (cls === 'bool') {
    const engine = engineOf(a, b);
    return [
      engine,
      unaryOperand(engine, op, a, 'bool', names[0]),
      unaryOperand(engine, op, b, 'bool', names[1]),
    ];
  }
  const [engine, x, y] = binaryOperands(op, a, b, names);
  const target: DType | null =
    cls === 'float' && !isFloatDtype(x.dtype)
      ? 'float32'
      : cls === 'numeric' && x.dtype === 'bool'
        ? 'int32'
        : null;
  if (target === null) return [engine, x, y];
  return [engine, recast(x, target, a), recast(y, target, b)];
}

/** Public side of a binary op. */
export function runBinary(
  op: string,
  opName: string,
  a: Arg,
  b: Arg,
  cls: DtypeClass,
  attrs?: Record<string, unknown>,
  names?: [string, string],
): Tensor {
  const [engine, x, y] = binaryArgs(op, a, b, cls, names);
  return runReleasing(engine, opName, [x, y], [a, b], attrs);
}

/** A zero gradient for `x` (ops that are piecewise constant). */
export function zerosFor(x: Tensor): Tensor {
  return x.engine.zeros(x.shape, x.dtype);
}

/** Gradient function of piecewise-constant ops (floor, sign, step, ...): zeros for every input. */
export const zeroGrad: GradFn = (_dy, { inputs }) =>
  inputs.map((x) => (isFloatDtype(x.dtype) ? zerosFor(x) : null));

/** Runs a composition in its own scope, so its intermediates are freed when it returns. */
export function composed(inputs: readonly Tensor[], fn: () => Tensor): Tensor {
  return inputs[0]!.engine.tidy(fn);
}

/** Validates a numeric attribute. */
export function assertNumberAttr(op: string, arg: string, v: unknown): asserts v is number {
  if (typeof v !== 'number') {
    throw new ArgumentError(
      `${op}: ${arg} must be a number, got ${v === null ? 'null' : typeof v}`,
    );
  }
}

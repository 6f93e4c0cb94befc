import type { DType, Kernel, OutputSpec, TensorInfo } from '@tapegrad/core';
import type { WebGPUBackend } from '../backend.js';
import type { EwFunction } from '../fusion/lazy.js';
import { bits, wgslType } from '../wgsl.js';

type WK<A = Record<string, unknown>> = Kernel<A, WebGPUBackend>;

interface ExprCtx {
  /** Whether the (first) input is float32. */
  float: boolean;
  /** Output storage type. */
  out: string;
}

interface EwSpec {
  /** WGSL expression of a, b, c (inputs) and al, be (attribute values, input storage type). */
  expr: (ctx: ExprCtx) => string;
  /** Attribute values (in the first input's dtype); `numAttrs` of them. */
  attrs?: (attrs: Record<string, unknown>) => number[];
  numAttrs?: number;
  /** Attributes are float32 whatever the input dtype (alpha of leakyRelu on int32). */
  floatAttrs?: boolean;
}

const same = (expr: string): EwSpec => ({ expr: () => expr });
const byType = (f: string, i: string): EwSpec => ({ expr: (c) => (c.float ? f : i) });
const bool = (cond: string): EwSpec => ({ expr: () => `select(0u, 1u, ${cond})` });
/** A comparison: false when a float operand is NaN. */
const cmp = (cond: string): EwSpec => ({
  expr: (c) =>
    c.float ? `select(0u, 1u, (${cond}) && !is_nan(a) && !is_nan(b))` : `select(0u, 1u, ${cond})`,
});

/** Unary float ops whose NaN input gives NaN (guarded: SwiftShader's builtins do not all). */
const NAN_PASS_UNARY = new Set([
  'Neg',
  'Abs',
  'Square',
  'Exp',
  'Sqrt',
  'Rsqrt',
  'Reciprocal',
  'Sinh',
  'Cosh',
  'Tanh',
  'Sigmoid',
  'Softplus',
  'Relu',
  'Relu6',
  'Elu',
  'Erf',
  'Expm1',
  'Sign',
  'Floor',
  'Ceil',
  'Round',
  'LeakyRelu',
  'ClipByValue',
  'Asinh',
]);
/** Binary float ops whose NaN operand gives NaN. */
const NAN_PASS_BINARY = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Atan2',
  'SquaredDifference',
  'Mod',
  'FloorDiv',
  'Prelu',
]);

export const UNARY: Record<string, EwSpec> = {
  Neg: same('-a'),
  Abs: same('abs(a)'),
  Square: same('a * a'),
  Exp: same('exp_f(a)'),
  Log: same('log_f(a)'),
  Sqrt: same('sqrt(a)'),
  Rsqrt: same('1.0 / sqrt(a)'),
  Reciprocal: same('1.0 / a'),
  Sin: same('sin_f(a)'),
  Cos: same('cos_f(a)'),
  Tan: same('tan_f(a)'),
  Asin: same('asin_f(a)'),
  Acos: same('acos_f(a)'),
  Atan: same('atan_f(a)'),
  Sinh: same('sinh_f(a)'),
  Cosh: same('cosh_f(a)'),
  Tanh: same('tanh_f(a)'),
  Asinh: same('asinh_f(a)'),
  Acosh: same('acosh_f(a)'),
  Atanh: same('atanh_f(a)'),
  Sigmoid: same('sigmoid_f(a)'),
  Softplus: same('softplus_f(a)'),
  Relu: same('select(a, 0, a < 0)'),
  Relu6: same('select(select(a, 6, a > 6), 0, a < 0)'),
  Elu: same('select(expm1_f(a), a, a > 0.0)'),
  Erf: same('erf_f(a)'),
  Log1p: same('log1p_f(a)'),
  Expm1: same('expm1_f(a)'),
  Sign: same('select(select(a, -1, a < 0), 1, a > 0)'),
  Floor: byType('floor(a)', 'a'),
  Ceil: byType('ceil(a)', 'a'),
  Round: byType('round_f(a)', 'a'),
  LeakyRelu: {
    expr: (c) =>
      c.float ? 'select(a, al * a, a < 0)' : 'select(a, i32(trunc(al * f32(a))), a < 0)',
    attrs: (a) => [a.alpha as number],
    numAttrs: 1,
    floatAttrs: true,
  },
  Step: {
    expr: (c) =>
      c.float
        ? 'select(select(al, 1.0, a > 0.0), a, is_nan(a))'
        : 'select(i32(trunc(al)), 1, a > 0)',
    attrs: (a) => [a.alpha as number],
    numAttrs: 1,
    floatAttrs: true,
  },
  ClipByValue: {
    expr: () => 'select(select(a, be, a > be), al, a < al)',
    attrs: (a) => [a.min as number, a.max as number],
    numAttrs: 2,
  },
  LogicalNot: bool('a == 0u'),
  IsNaN: { expr: (c) => (c.float ? 'select(0u, 1u, is_nan(a))' : '0u') },
  IsInf: { expr: (c) => (c.float ? 'select(0u, 1u, is_inf(a))' : '0u') },
};

export const BINARY: Record<string, EwSpec> = {
  Add: same('a + b'),
  Sub: same('a - b'),
  Mul: same('a * b'),
  Div: byType('a / b', 'floordiv_i(a, b)'),
  Pow: byType('pow_f(a, b)', 'pow_i(a, b)'),
  Atan2: same('atan2(a, b)'),
  Maximum: byType('select(max(a, b), f_nan(), is_nan(a) || is_nan(b))', 'max(a, b)'),
  Minimum: byType('select(min(a, b), f_nan(), is_nan(a) || is_nan(b))', 'min(a, b)'),
  SquaredDifference: same('(a - b) * (a - b)'),
  Mod: byType('mod_f(a, b)', 'mod_i(a, b)'),
  FloorDiv: byType('floor(a / b)', 'floordiv_i(a, b)'),
  Prelu: same('select(a, b * a, a < 0)'),
  // relu's backward: dy where x > 0, else 0 (a NaN x gives 0, as where(x > 0, dy, 0)).
  ReluGrad: same('select(0, a, b > 0)'),
  // tanh's and sigmoid's backward from their outputs b: dy·(1 − y²) and dy·y·(1 − y) (float only).
  TanhGrad: same('a * (1.0 - b * b)'),
  SigmoidGrad: same('a * (b * (1.0 - b))'),
  Equal: cmp('a == b'),
  NotEqual: {
    expr: (c) =>
      c.float ? 'select(0u, 1u, a != b || is_nan(a) || is_nan(b))' : 'select(0u, 1u, a != b)',
  },
  Greater: cmp('a > b'),
  GreaterEqual: cmp('a >= b'),
  Less: cmp('a < b'),
  LessEqual: cmp('a <= b'),
  LogicalAnd: bool('a != 0u && b != 0u'),
  LogicalOr: bool('a != 0u || b != 0u'),
};

const functions = new Map<string, EwFunction>();

/**
 * The WGSL function of an elementwise op for given input and output dtypes (cached): inputs
 * a, b, c, then the attributes al, be (the first input's storage type, or f32 for
 * `floatAttrs`). Float ops that must propagate NaN are guarded here.
 */
function ewFunction(
  op: string,
  spec: EwSpec,
  inDtypes: readonly DType[],
  outDtype: DType,
): EwFunction {
  const inTypes = inDtypes.map(wgslType);
  const outT = wgslType(outDtype);
  const name = `ew_${op}_${inTypes.join('')}_${outT}`;
  const known = functions.get(name);
  if (known) return known;
  const float = inDtypes[0] === 'float32';
  const attrT = spec.floatAttrs ? 'f32' : inTypes[0]!;
  const attrTypes = Array.from({ length: spec.numAttrs ?? 0 }, () => attrT);
  let expr = spec.expr({ float, out: outT });
  if (float && outT === 'f32' && inTypes.length === 1 && NAN_PASS_UNARY.has(op))
    expr = `select(${expr}, a, is_nan(a))`;
  if (float && outT === 'f32' && inTypes.length === 2 && NAN_PASS_BINARY.has(op))
    expr = `select(${expr}, f_nan(), is_nan(a) || is_nan(b))`;
  const args = [
    ...inTypes.map((t, j) => `${'abc'[j]}: ${t}`),
    ...attrTypes.map((t, j) => `${['al', 'be'][j]}: ${t}`),
  ];
  const fn: EwFunction = {
    name,
    attrTypes,
    code: `fn ${name}(${args.join(', ')}) -> ${outT} { return ${outT}(${expr}); }`,
  };
  functions.set(name, fn);
  return fn;
}

/**
 * An elementwise op (inputs same-shape, scalar or broadcast) as a lazy value of the backend:
 * it runs fused with the elementwise ops around it (see `WebGPUBackend.elementwise`).
 */
export function runElementwise(
  backend: WebGPUBackend,
  op: string,
  spec: EwSpec,
  inputs: readonly TensorInfo[],
  out: OutputSpec,
  attrs: Record<string, unknown>,
): TensorInfo {
  const fn = ewFunction(
    op,
    spec,
    inputs.map((t) => t.dtype),
    out.dtype,
  );
  const attrDtype = spec.floatAttrs ? 'float32' : inputs[0]!.dtype;
  const words = (spec.attrs ? spec.attrs(attrs) : []).map((v) => bits(v, attrDtype));
  const dataId = backend.elementwise(fn, inputs, out, words);
  return { dataId, shape: out.shape, dtype: out.dtype };
}

function ewKernel(op: string, spec: EwSpec): WK {
  return ({ inputs, attrs, outputs: [o], backend }) =>
    runElementwise(backend, op, spec, inputs, o!, attrs);
}

/** Cast between float32, int32 and bool. */
const Cast: WK = ({ inputs: [x], outputs: [o], backend }) => {
  const from = x!.dtype;
  const to = o!.dtype;
  let expr: string;
  if (to === 'bool')
    expr =
      from === 'bool'
        ? 'a'
        : from === 'float32'
          ? 'select(0u, 1u, a != 0.0 || is_nan(a))'
          : 'select(0u, 1u, a != 0)';
  else if (to === 'int32') expr = from === 'float32' ? 'cast_i(a)' : 'i32(a)';
  else expr = 'f32(a)';
  const spec: EwSpec = { expr: () => expr };
  return runElementwise(backend, 'Cast', spec, [x!], o!, {});
};

/** Where(cond, a, b) with broadcasting. */
const Where: WK = ({ inputs, outputs: [o], backend }) =>
  runElementwise(backend, 'Where', { expr: () => 'select(c, b, a != 0u)' }, inputs, o!, {});

const ADD = BINARY.Add!;
const IDENTITY = same('a');

/** BroadcastTo: the identity with its input read through broadcast strides (so it fuses). */
const BroadcastTo: WK = ({ inputs: [x], outputs: [o], backend }) =>
  runElementwise(backend, 'Identity', IDENTITY, [x!], o!, {});

/** AddN: a chain of additions (fused into one kernel, as long as the inputs fit one). */
const AddN: WK = ({ inputs, outputs: [o], backend }) => {
  let acc = inputs[0]!;
  if (inputs.length === 1) return runElementwise(backend, 'Identity', IDENTITY, [acc], o!, {});
  for (let j = 1; j < inputs.length; j++) {
    const sum = runElementwise(backend, 'Add', ADD, [acc, inputs[j]!], o!, {});
    if (j > 1) backend.free(acc.dataId);
    acc = sum;
  }
  return acc;
};

export const elementwiseKernels: Record<string, WK> = {
  ...Object.fromEntries(Object.entries(UNARY).map(([op, s]) => [op, ewKernel(op, s)])),
  ...Object.fromEntries(Object.entries(BINARY).map(([op, s]) => [op, ewKernel(op, s)])),
  Cast,
  Where,
  AddN,
  BroadcastTo,
};

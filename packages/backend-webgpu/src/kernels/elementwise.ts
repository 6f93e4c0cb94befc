import type { DType, Kernel, TensorInfo } from '@tapegrad/core';
import { shapesEqual, sizeFromShape } from '@tapegrad/core';
import type { GpuData, WebGPUBackend } from '../backend.js';
import { bits, broadcastStrides, program, wgslType } from '../wgsl.js';

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
  /** Attribute values (in the first input's dtype). */
  attrs?: (attrs: Record<string, unknown>) => number[];
  /** Attributes are float32 whatever the input dtype (alpha of leakyRelu on int32). */
  floatAttrs?: boolean;
  helpers?: string;
}

const HELPERS = /* wgsl */ `
fn log_f(x: f32) -> f32 {
  if (x < 0.0 || is_nan(x)) { return f_nan(); }
  if (x == 0.0) { return -f_inf(); }
  if (is_inf(x)) { return x; }
  return log(x);
}
fn log1p_f(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  if (u == 0.0) { return -f_inf(); }
  if (u < 0.0 || is_nan(x)) { return f_nan(); }
  if (is_inf(u)) { return u; }
  return log(u) * (x / (u - 1.0));
}
fn exp_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 88.72284) { return f_inf(); }
  if (x < -103.97208) { return 0.0; }
  let n = round(x * 1.442695041);
  let r = (x - n * 0.693145752) - n * 1.428606765e-6;
  let p = 1.0 + r * (1.0 + r * (0.5 + r * (0.16666667 + r * (0.041666668 + r * (0.008333334 + r * (0.0013888889 + r * 0.0001984127))))));
  let ni = i32(n);
  // 2^n in two steps (n may be below the normal range).
  let h = ni / 2;
  return p * ldexp(1.0, h) * ldexp(1.0, ni - h);
}
fn reduce_pio2(x: f32) -> vec2<f32> {
  let q = round(x * 0.636619772);
  let r = ((x - q * 1.5703125) - q * 4.837512969970703125e-4) - q * 7.549789948768648e-8;
  return vec2<f32>(r, q);
}
fn sin_poly(r: f32) -> f32 { let r2 = r * r; return r + r * r2 * (-0.16666667 + r2 * (0.008333334 + r2 * (-0.0001984127 + r2 * 2.7557319e-6))); }
fn cos_poly(r: f32) -> f32 { let r2 = r * r; return 1.0 - 0.5 * r2 + r2 * r2 * (0.041666668 + r2 * (-0.0013888889 + r2 * (2.4801587e-5 - r2 * 2.7557319e-7))); }
fn sin_f(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f_nan(); }
  let rq = reduce_pio2(x);
  let q = i32(rq.y) & 3;
  if (q == 0) { return sin_poly(rq.x); }
  if (q == 1) { return cos_poly(rq.x); }
  if (q == 2) { return -sin_poly(rq.x); }
  return -cos_poly(rq.x);
}
fn cos_f(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f_nan(); }
  let rq = reduce_pio2(x);
  let q = i32(rq.y) & 3;
  if (q == 0) { return cos_poly(rq.x); }
  if (q == 1) { return -sin_poly(rq.x); }
  if (q == 2) { return -cos_poly(rq.x); }
  return sin_poly(rq.x);
}
fn tan_f(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f_nan(); }
  let rq = reduce_pio2(x);
  let s = sin_poly(rq.x);
  let c = cos_poly(rq.x);
  if ((i32(rq.y) & 1) == 0) { return s / c; }
  return -c / s;
}
fn atan_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  var a = abs(x);
  var off = 0.0;
  var inv = false;
  if (a > 1.0) { a = 1.0 / a; inv = true; }
  if (a > 0.26794919) { off = 0.523598776; a = (a * 1.732050808 - 1.0) / (1.732050808 + a); }
  let a2 = a * a;
  var r = off + a * (1.0 + a2 * (-0.33333333 + a2 * (0.2 + a2 * (-0.14285714 + a2 * (0.11111111 - a2 * 0.09090909)))));
  if (inv) { r = 1.570796327 - r; }
  return select(r, -r, x < 0.0);
}
fn asin_f(x: f32) -> f32 {
  if (abs(x) > 1.0 || is_nan(x)) { return f_nan(); }
  if (abs(x) == 1.0) { return x * 1.570796327; }
  if (abs(x) < 0.5) { return atan_f(x / sqrt((1.0 - x) * (1.0 + x))); }
  let r = 1.570796327 - 2.0 * atan_f(sqrt((1.0 - abs(x)) / (1.0 + abs(x))));
  return select(r, -r, x < 0.0);
}
fn acos_f(x: f32) -> f32 {
  if (abs(x) > 1.0 || is_nan(x)) { return f_nan(); }
  return 2.0 * atan_f(sqrt((1.0 - x) / (1.0 + x)));
}
fn fmod_f(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b) || is_inf(a) || b == 0.0) { return f_nan(); }
  if (is_inf(b)) { return a; }
  return a - b * trunc(a / b);
}
fn expm1_f(x: f32) -> f32 {
  if (abs(x) < 1e-5) { return x + 0.5 * x * x; }
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (0.5 + x * (0.16666667 + x * (0.041666668 + x * (0.008333334 + x * (0.0013888889 + x * 0.0001984127))))));
  }
  return exp_f(x) - 1.0;
}
fn tanh_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let ax = abs(x);
  var r: f32;
  if (ax < 0.55) { r = expm1_f(2.0 * ax); r = r / (r + 2.0); }
  else { let e = exp_f(-2.0 * ax); r = (1.0 - e) / (1.0 + e); }
  return select(r, -r, x < 0.0);
}
fn sigmoid_f(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp_f(-x)); }
  let e = exp_f(x);
  return e / (1.0 + e);
}
fn softplus_f(x: f32) -> f32 {
  if (x > 0.0) { return x + log1p_f(exp_f(-x)); }
  return log1p_f(exp_f(x));
}
fn sinh_f(x: f32) -> f32 {
  if (abs(x) < 0.1) { let x2 = x * x; return x * (1.0 + x2 / 6.0 * (1.0 + x2 / 20.0 * (1.0 + x2 / 42.0))); }
  let e = exp_f(abs(x));
  let r = 0.5 * (e - 1.0 / e);
  return select(r, -r, x < 0.0);
}
fn cosh_f(x: f32) -> f32 { let e = exp_f(abs(x)); return 0.5 * (e + 1.0 / e); }
fn asinh_f(x: f32) -> f32 {
  let ax = abs(x);
  var r: f32;
  if (ax < 0.5) { r = log1p_f(ax + ax * ax / (1.0 + sqrt(1.0 + ax * ax))); }
  else if (ax > 1e18) { r = log_f(ax) + 0.6931471805599453; }
  else { r = log_f(ax + sqrt(ax * ax + 1.0)); }
  return select(r, -r, x < 0.0);
}
fn acosh_f(x: f32) -> f32 {
  if (x < 1.0 || is_nan(x)) { return f_nan(); }
  if (x > 1e18) { return log_f(x) + 0.6931471805599453; }
  return log_f(x + sqrt(x * x - 1.0));
}
fn atanh_f(x: f32) -> f32 {
  let ax = abs(x);
  if (ax > 1.0 || is_nan(x)) { return f_nan(); }
  if (ax == 1.0) { return select(f_inf(), -f_inf(), x < 0.0); }
  let r = 0.5 * log1p_f(2.0 * ax / (1.0 - ax));
  return select(r, -r, x < 0.0);
}
fn erf_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let ax = abs(x);
  var r: f32;
  if (ax < 2.5) {
    let x2 = x * x;
    var term = ax;
    var sum = ax;
    for (var n = 1; n < 60; n++) {
      term = term * (2.0 * x2) / f32(2 * n + 1);
      sum = sum + term;
      if (term <= 1e-9 * sum) { break; }
    }
    r = 1.1283791670955126 * exp_f(-x2) * sum;
  } else if (ax >= 6.0) {
    r = 1.0;
  } else {
    var f = ax; var c = ax; var d = 0.0;
    for (var k = 1; k < 100; k++) {
      let a = f32(k) / 2.0;
      d = 1.0 / (ax + a * d);
      c = ax + a / c;
      let delta = c * d;
      f = f * delta;
      if (abs(delta - 1.0) < 1e-8) { break; }
    }
    r = 1.0 - exp_f(-ax * ax) * 0.5641895835477563 / f;
  }
  return select(r, -r, x < 0.0);
}
fn pow_f(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return f_nan(); }
  if (a == 0.0) {
    if (b > 0.0) { return select(0.0, a, fract(b * 0.5) != 0.0 && fract(b) == 0.0); }
    return select(f_inf(), select(f_inf(), -f_inf(), bitcast<u32>(a) != 0u), fract(b * 0.5) != 0.0 && fract(b) == 0.0);
  }
  let r = exp2(b * log2(abs(a)));
  if (a > 0.0) { return r; }
  if (fract(b) != 0.0) { return f_nan(); }
  return select(r, -r, fract(b * 0.5) != 0.0);
}
fn pow_i(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) != 0); }
    return 0;
  }
  var r = 1; var base = a; var e = b;
  loop { if (e == 0) { break; } if ((e & 1) != 0) { r = r * base; } base = base * base; e = e >> 1u; }
  return r;
}
fn floordiv_i(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) { return q - 1; }
  return q;
}
fn mod_i(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) { return r + b; }
  return r;
}
fn mod_f(a: f32, b: f32) -> f32 {
  let r = fmod_f(a, b);
  if ((a < 0.0 && b < 0.0) || (a >= 0.0 && b >= 0.0)) { return r; }
  return fmod_f(r + b, b);
}
fn cast_i(x: f32) -> i32 {
  if (is_nan(x) || is_inf(x)) { return 0; }
  if (abs(x) >= 2147483648.0) { return 0; }
  return i32(trunc(x));
}
fn round_f(x: f32) -> f32 {
  let base = floor(x);
  let frac = x - base;
  if (frac < 0.5) { return base; }
  if (frac > 0.5) { return base + 1.0; }
  return select(base + 1.0, base, base - 2.0 * floor(base * 0.5) == 0.0);
}
`;

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
    floatAttrs: true,
  },
  Step: {
    expr: (c) =>
      c.float
        ? 'select(select(al, 1.0, a > 0.0), a, is_nan(a))'
        : 'select(i32(trunc(al)), 1, a > 0)',
    attrs: (a) => [a.alpha as number],
    floatAttrs: true,
  },
  ClipByValue: {
    expr: () => 'select(select(a, be, a > be), al, a < al)',
    attrs: (a) => [a.min as number, a.max as number],
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

/**
 * The generic elementwise program: one invocation per output element; each input is read
 * at the same flat index ('s'), at 0 (scalar, 'c') or through broadcast strides ('b').
 * Output shape and strides are uniforms: the key is (op, dtypes, rank, pattern).
 */
export function runElementwise(
  backend: WebGPUBackend,
  op: string,
  spec: EwSpec,
  inputs: readonly TensorInfo[],
  out: { shape: readonly number[]; dtype: DType },
  attrs: Record<string, unknown>,
): TensorInfo {
  const outData = backend.alloc(out);
  const n = sizeFromShape(out.shape);
  const rank = out.shape.length;
  const pattern = inputs.map((t) =>
    shapesEqual(t.shape, out.shape) ? 's' : sizeFromShape(t.shape) === 1 ? 'c' : 'b',
  );
  const attrVals = spec.attrs ? spec.attrs(attrs) : [];
  const inTypes = inputs.map((t) => wgslType(t.dtype));
  const outT = wgslType(out.dtype);
  const float = inputs[0]!.dtype === 'float32';
  // Attribute values come as the (first) input's type; comparisons of a bool input use u32.
  const attrDtype = spec.floatAttrs ? 'float32' : inputs[0]!.dtype;
  const attrT = wgslType(attrDtype);
  const anyB = pattern.includes('b');
  const params: number[] = [n, ...attrVals.map((v) => bits(v, attrDtype))];
  const shapeBase = params.length;
  if (anyB) params.push(...out.shape);
  const strideBase: number[] = [];
  inputs.forEach((t, j) => {
    if (pattern[j] !== 'b') return;
    strideBase[j] = params.length;
    params.push(...broadcastStrides(t.shape, out.shape));
  });
  const key = `ew:${op}:${inputs.map((t) => t.dtype).join(',')}>${out.dtype}:${anyB ? rank : 0}:${pattern.join('')}`;
  const names = ['a', 'b', 'c'];
  const prog = program({
    key,
    inputs: inTypes,
    output: outT,
    numParams: params.length,
    helpers: HELPERS,
    body: () => {
      const lines: string[] = [];
      const attrNames = ['al', 'be'];
      attrVals.forEach((_, k) =>
        lines.push(`  let ${attrNames[k]} = bitcast<${attrT}>(prm(${1 + k}u));`),
      );
      if (anyB) {
        inputs.forEach((_, j) => {
          if (pattern[j] === 'b') lines.push(`  var ix${j} = 0u;`);
        });
        lines.push(`  var rem = i;`);
        lines.push(`  for (var d: i32 = ${rank - 1}; d >= 0; d = d - 1) {`);
        lines.push(`    let dim = prm(${shapeBase}u + u32(d));`);
        lines.push(`    let co = rem % dim;`);
        lines.push(`    rem = rem / dim;`);
        inputs.forEach((_, j) => {
          if (pattern[j] === 'b')
            lines.push(`    ix${j} = ix${j} + co * prm(${strideBase[j]}u + u32(d));`);
        });
        lines.push(`  }`);
      }
      inputs.forEach((_, j) => {
        const idx = pattern[j] === 's' ? 'i' : pattern[j] === 'c' ? '0u' : `ix${j}`;
        lines.push(`  let ${names[j]} = in${j}[${idx}];`);
      });
      let expr = spec.expr({ float, out: outT });
      if (float && outT === 'f32' && inputs.length === 1 && NAN_PASS_UNARY.has(op))
        expr = `select(${expr}, a, is_nan(a))`;
      if (float && outT === 'f32' && inputs.length === 2 && NAN_PASS_BINARY.has(op))
        expr = `select(${expr}, f_nan(), is_nan(a) || is_nan(b))`;
      lines.push(`  out[i] = ${outT}(${expr});`);
      return lines.join('\n');
    },
  });
  backend.run(
    prog,
    inputs.map((t) => t.dataId as GpuData),
    outData,
    params,
    n,
  );
  return { dataId: outData, shape: out.shape, dtype: out.dtype };
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

/** AddN: sums up to 7 inputs per dispatch (the storage-buffer limit is 8 per stage). */
const AddN: WK = ({ inputs, outputs: [o], backend }) => {
  let acc: TensorInfo[] = [...inputs];
  const made: TensorInfo[] = [];
  while (acc.length > 1 || made.length === 0) {
    const chunk = acc.slice(0, 7);
    const expr = chunk.map((_, j) => `in${j}[i]`).join(' + ');
    const n = sizeFromShape(o!.shape);
    const outData = backend.alloc(o!);
    const t = wgslType(o!.dtype);
    const prog = program({
      key: `addn:${o!.dtype}:${chunk.length}`,
      inputs: chunk.map(() => t),
      output: t,
      numParams: 1,
      body: () => `  out[i] = ${expr};`,
    });
    backend.run(
      prog,
      chunk.map((c) => c.dataId as GpuData),
      outData,
      [n],
      n,
    );
    const result = { dataId: outData, shape: o!.shape, dtype: o!.dtype };
    made.push(result);
    acc = [result, ...acc.slice(7)];
    if (chunk.length === 1 && acc.length === 1) break;
  }
  for (const m of made.slice(0, -1)) backend.free(m.dataId);
  return made[made.length - 1]!;
};

export const elementwiseKernels: Record<string, WK> = {
  ...Object.fromEntries(Object.entries(UNARY).map(([op, s]) => [op, ewKernel(op, s)])),
  ...Object.fromEntries(Object.entries(BINARY).map(([op, s]) => [op, ewKernel(op, s)])),
  Cast,
  Where,
  AddN,
};

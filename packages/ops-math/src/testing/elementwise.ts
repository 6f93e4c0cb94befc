import type { DType, Tensor } from '@tapegrad/core';
import { ArgumentError, DTypeError, Random, ShapeError, grad, grads } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import {
  SELU_ALPHA,
  SELU_SCALE,
  abs,
  acos,
  acosh,
  add,
  asin,
  asinh,
  atan,
  atan2,
  atanh,
  cast,
  ceil,
  clipByValue,
  cos,
  cosh,
  div,
  divNoNan,
  elementwiseMethods,
  elu,
  equal,
  erf,
  exp,
  expm1,
  floor,
  floorDiv,
  greater,
  greaterEqual,
  isFinite,
  isInf,
  isNaN,
  leakyRelu,
  less,
  lessEqual,
  log,
  log1p,
  logSigmoid,
  logicalAnd,
  logicalNot,
  logicalOr,
  logicalXor,
  maximum,
  minimum,
  mod,
  mul,
  neg,
  notEqual,
  pow,
  prelu,
  reciprocal,
  relu,
  relu6,
  round,
  rsqrt,
  selu,
  sigmoid,
  sign,
  sin,
  sinh,
  softplus,
  sqrt,
  square,
  squaredDifference,
  step,
  sub,
  tan,
  tanh,
  where,
} from '../ops/elementwise/index.js';
import type { Arg } from '../util.js';
import type { SuiteContext } from './helpers.js';
import { expectClose, expectGradCheck, expectGradients } from './helpers.js';

type Ref1 = (x: number) => number;
type Ref2 = (a: number, b: number) => number;

interface SampleOptions {
  /** Values come from [lo, hi) with a random sign. */
  signed?: boolean;
  /** Points (kinks, poles) to keep at least `gap` away from. */
  avoid?: readonly number[];
  gap?: number;
}

interface UnaryCase {
  name: string;
  f: (x: Tensor) => Tensor;
  ref: Ref1;
  /** Forward points (NaN/±Infinity edge cases included where the op defines them). */
  points: readonly number[];
  /** Gradient-check domain; absent for piecewise-constant ops (checked to give zeros). */
  domain?: [number, number];
  sample?: SampleOptions;
  /** Forward relative tolerance in float64 (default 1e-12). */
  rtol64?: number;
}

const SPECIAL = [NaN, Infinity, -Infinity];
const sigmoidRef: Ref1 = (x) => 1 / (1 + Math.exp(-x));
const softplusRef: Ref1 = (x) => (x > 30 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const roundRef: Ref1 = (x) => {
  const base = Math.floor(x);
  const frac = x - base;
  if (frac < 0.5) return base;
  if (frac > 0.5) return base + 1;
  return base % 2 === 0 ? base : base + 1;
};
/** erf at a few points (mpmath, rounded to double). */
const ERF_TABLE: readonly [number, number][] = [
  [0, 0],
  [1e-8, 1.1283791670955126e-8],
  [0.1, 0.1124629160182849],
  [0.5, 0.5204998778130465],
  [-0.7, -0.6778011938374184],
  [1, 0.8427007929497149],
  [-1, -0.8427007929497149],
  [1.5, 0.9661051464753108],
  [2, 0.9953222650189527],
  [2.4, 0.999311486103355],
  [2.6, 0.9997639655834707],
  [3, 0.9999779095030014],
  [-3, -0.9999779095030014],
  [4, 0.9999999845827421],
  [5, 0.9999999999984626],
  [Infinity, 1],
  [-Infinity, -1],
];
const erfRef: Ref1 = (x) => {
  if (Number.isNaN(x)) return NaN;
  // Float32 inputs are the table's points rounded to float32 (erf changes by < 1e-8 relative).
  const hit = ERF_TABLE.find(([p]) => p === x || Math.fround(p) === x);
  if (!hit) throw new Error(`erf reference: no table entry for ${x}`);
  return hit[1];
};

const UNARY: readonly UnaryCase[] = [
  { name: 'neg', f: neg, ref: (x) => -x, points: [-2, 0, 1.5, ...SPECIAL], domain: [-2, 2] },
  {
    name: 'abs',
    f: abs,
    ref: Math.abs,
    points: [-2, 0, 1.5, ...SPECIAL],
    domain: [0.2, 2],
    sample: { signed: true },
  },
  {
    name: 'exp',
    f: exp,
    ref: Math.exp,
    points: [-3, 0, 0.5, 2, 80, -200, ...SPECIAL],
    domain: [-2, 2],
  },
  {
    name: 'log',
    f: log,
    ref: Math.log,
    points: [0.1, 1, 2.5, 1e6, 0, -1, ...SPECIAL],
    domain: [0.5, 2],
  },
  {
    name: 'sqrt',
    f: sqrt,
    ref: Math.sqrt,
    points: [0, 0.25, 2, 1e6, -1, ...SPECIAL],
    domain: [0.5, 2],
  },
  {
    name: 'rsqrt',
    f: rsqrt,
    ref: (x) => 1 / Math.sqrt(x),
    points: [0.25, 2, 1e6, 0, -1, ...SPECIAL],
    domain: [0.5, 2],
  },
  {
    name: 'square',
    f: square,
    ref: (x) => x * x,
    points: [-3, 0, 1.5, ...SPECIAL],
    domain: [-2, 2],
  },
  {
    name: 'reciprocal',
    f: reciprocal,
    ref: (x) => 1 / x,
    points: [-4, 0.5, 3, 0, ...SPECIAL],
    domain: [0.5, 2],
    sample: { signed: true },
  },
  { name: 'sin', f: sin, ref: Math.sin, points: [-2, 0, 0.5, 3, ...SPECIAL], domain: [-3, 3] },
  { name: 'cos', f: cos, ref: Math.cos, points: [-2, 0, 0.5, 3, ...SPECIAL], domain: [-3, 3] },
  { name: 'tan', f: tan, ref: Math.tan, points: [-1, 0, 0.5, 1.2, ...SPECIAL], domain: [-1, 1] },
  {
    name: 'asin',
    f: asin,
    ref: Math.asin,
    points: [-1, -0.5, 0, 0.7, 1, 1.5, ...SPECIAL],
    domain: [-0.8, 0.8],
  },
  {
    name: 'acos',
    f: acos,
    ref: Math.acos,
    points: [-1, -0.5, 0, 0.7, 1, 1.5, ...SPECIAL],
    domain: [-0.8, 0.8],
  },
  { name: 'atan', f: atan, ref: Math.atan, points: [-3, 0, 0.5, 10, ...SPECIAL], domain: [-2, 2] },
  { name: 'sinh', f: sinh, ref: Math.sinh, points: [-3, 0, 0.5, 2, ...SPECIAL], domain: [-2, 2] },
  { name: 'cosh', f: cosh, ref: Math.cosh, points: [-3, 0, 0.5, 2, ...SPECIAL], domain: [-2, 2] },
  {
    name: 'tanh',
    f: tanh,
    ref: Math.tanh,
    points: [-3, 0, 0.5, 2, 30, -30, ...SPECIAL],
    domain: [-2, 2],
  },
  {
    name: 'asinh',
    f: asinh,
    ref: Math.asinh,
    points: [-3, 0, 0.5, 20, ...SPECIAL],
    domain: [-2, 2],
  },
  {
    name: 'acosh',
    f: acosh,
    ref: Math.acosh,
    points: [1, 1.5, 2, 20, 0.5, ...SPECIAL],
    domain: [1.5, 3],
  },
  {
    name: 'atanh',
    f: atanh,
    ref: Math.atanh,
    points: [-0.9, 0, 0.5, 1, -1, 2, ...SPECIAL],
    domain: [-0.8, 0.8],
  },
  {
    name: 'sigmoid',
    f: sigmoid,
    ref: sigmoidRef,
    points: [-3, 0, 0.5, 2, 100, -100, -800, ...SPECIAL],
    domain: [-3, 3],
  },
  {
    name: 'logSigmoid',
    f: logSigmoid,
    ref: (x) => -softplusRef(-x),
    points: [-3, 0, 0.5, 2, 100, -100, ...SPECIAL],
    domain: [-3, 3],
  },
  {
    name: 'softplus',
    f: softplus,
    ref: softplusRef,
    points: [-3, 0, 0.5, 2, 100, -100, 800, ...SPECIAL],
    domain: [-3, 3],
  },
  {
    name: 'relu',
    f: relu,
    ref: (x) => (x < 0 ? 0 : x),
    points: [-2, 0, 1.5, ...SPECIAL],
    domain: [-2, 2],
    sample: { avoid: [0] },
  },
  {
    name: 'relu6',
    f: relu6,
    ref: (x) => (x < 0 ? 0 : x > 6 ? 6 : x),
    points: [-2, 0, 1.5, 6, 7, ...SPECIAL],
    domain: [-2, 8],
    sample: { avoid: [0, 6] },
  },
  {
    name: 'elu',
    f: elu,
    ref: (x) => (x > 0 ? x : Math.expm1(x)),
    points: [-2, 0, 1.5, -1e-9, ...SPECIAL],
    domain: [-2, 2],
    sample: { avoid: [0] },
  },
  {
    name: 'selu',
    f: selu,
    ref: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    points: [-2, 0, 1.5, ...SPECIAL],
    domain: [-2, 2],
    sample: { avoid: [0] },
  },
  {
    name: 'leakyRelu (default alpha 0.2)',
    f: (x) => leakyRelu(x),
    ref: (x) => (x < 0 ? 0.2 * x : x),
    points: [-2, 0, 1.5, ...SPECIAL],
    domain: [-2, 2],
    sample: { avoid: [0] },
  },
  {
    name: 'leakyRelu (alpha 0.01)',
    f: (x) => leakyRelu(x, 0.01),
    ref: (x) => (x < 0 ? 0.01 * x : x),
    points: [-2, 0, 1.5],
    domain: [-2, 2],
    sample: { avoid: [0] },
  },
  {
    name: 'erf',
    f: erf,
    ref: erfRef,
    points: ERF_TABLE.map(([p]) => p).concat([NaN]),
    domain: [-2.5, 2.5],
    rtol64: 1e-14,
  },
  {
    name: 'log1p',
    f: log1p,
    ref: Math.log1p,
    points: [1e-10, -0.5, 0, 3, -1, -2, ...SPECIAL],
    domain: [-0.5, 2],
  },
  {
    name: 'expm1',
    f: expm1,
    ref: Math.expm1,
    points: [1e-10, -0.5, 0, 3, ...SPECIAL],
    domain: [-2, 2],
  },
  {
    name: 'clipByValue',
    f: (x) => clipByValue(x, -0.5, 0.5),
    ref: (x) => (x < -0.5 ? -0.5 : x > 0.5 ? 0.5 : x),
    points: [-2, -0.5, 0, 0.3, 0.5, 1, ...SPECIAL],
    domain: [-1, 1],
    sample: { avoid: [-0.5, 0.5] },
  },
  {
    name: 'sign',
    f: sign,
    ref: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
    points: [-2, 0, 1.5, ...SPECIAL],
  },
  { name: 'floor', f: floor, ref: Math.floor, points: [-2.5, -0.2, 0, 1.5, 3, ...SPECIAL] },
  { name: 'ceil', f: ceil, ref: Math.ceil, points: [-2.5, -0.2, 0, 1.5, 3, ...SPECIAL] },
  {
    name: 'round (halves to even)',
    f: round,
    ref: roundRef,
    points: [0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6, -2.6, 3, ...SPECIAL],
  },
  {
    name: 'step (alpha 0)',
    f: (x) => step(x),
    ref: (x) => (x > 0 ? 1 : Number.isNaN(x) ? NaN : 0),
    points: [-2, 0, 1.5, ...SPECIAL],
  },
  {
    name: 'step (alpha 0.5)',
    f: (x) => step(x, 0.5),
    ref: (x) => (x > 0 ? 1 : Number.isNaN(x) ? NaN : 0.5),
    points: [-2, 0, 1.5, ...SPECIAL],
  },
];

interface BinaryCase {
  name: string;
  f: (a: Tensor, b: Tensor) => Tensor;
  ref: Ref2;
  /** Forward pairs (same shape). */
  a: readonly number[];
  b: readonly number[];
  /** Gradient domains of a and b; absent: no gradient check. */
  domainA?: [number, number];
  domainB?: [number, number];
  sampleA?: SampleOptions;
  sampleB?: SampleOptions;
}

const modRef: Ref2 = (a, b) => {
  const r = a % b;
  return (a < 0 && b < 0) || (a >= 0 && b >= 0) ? r : (r + b) % b;
};

const BINARY: readonly BinaryCase[] = [
  {
    name: 'add',
    f: add,
    ref: (a, b) => a + b,
    a: [1, -2, 0.5, Infinity, NaN],
    b: [2, 3, -0.5, -Infinity, 1],
    domainA: [-1, 1],
    domainB: [-1, 1],
  },
  {
    name: 'sub',
    f: sub,
    ref: (a, b) => a - b,
    a: [1, -2, 0.5, Infinity, NaN],
    b: [2, 3, -0.5, Infinity, 1],
    domainA: [-1, 1],
    domainB: [-1, 1],
  },
  {
    name: 'mul',
    f: mul,
    ref: (a, b) => a * b,
    a: [1, -2, 0.5, Infinity, 0],
    b: [2, 3, -0.5, 0, NaN],
    domainA: [-1, 1],
    domainB: [-1, 1],
  },
  {
    name: 'div',
    f: div,
    ref: (a, b) => a / b,
    a: [1, -2, 0.5, 1, 0, -1],
    b: [2, 3, -0.5, 0, 0, 0],
    domainA: [-1, 1],
    domainB: [0.5, 2],
    sampleB: { signed: true },
  },
  {
    name: 'pow',
    f: pow,
    ref: Math.pow,
    a: [2, 2, -2, -2, 0, 0, 4, 1, NaN],
    b: [3, -1, 3, 0.5, 0, -1, 0.5, NaN, 0],
    domainA: [0.5, 2],
    domainB: [-2, 2],
  },
  {
    name: 'atan2',
    f: atan2,
    ref: Math.atan2,
    a: [1, 1, -1, -1, 0, 0, Infinity],
    b: [1, -1, 1, -1, 1, -1, 1],
    domainA: [0.3, 1],
    domainB: [0.3, 1],
    sampleA: { signed: true },
    sampleB: { signed: true },
  },
  {
    name: 'maximum',
    f: maximum,
    ref: Math.max,
    a: [1, -2, 3, NaN, 0],
    b: [2, -3, 3, 1, -Infinity],
    domainA: [-1, 1],
    domainB: [-1, 1],
  },
  {
    name: 'minimum',
    f: minimum,
    ref: Math.min,
    a: [1, -2, 3, NaN, 0],
    b: [2, -3, 3, 1, Infinity],
    domainA: [-1, 1],
    domainB: [-1, 1],
  },
  {
    name: 'squaredDifference',
    f: squaredDifference,
    ref: (a, b) => (a - b) * (a - b),
    a: [1, -2, 0.5, Infinity],
    b: [3, 3, 0.5, 1],
    domainA: [-1, 1],
    domainB: [-1, 1],
  },
  {
    name: 'mod',
    f: mod,
    ref: modRef,
    a: [7, -7, 7, -7, 5.5, -6, 1, 3],
    b: [3, 3, -3, -3, 2, 3, 0, Infinity],
    domainA: [-3, 3],
    domainB: [0.5, 2],
    sampleB: { signed: true },
  },
  {
    name: 'floorDiv',
    f: floorDiv,
    ref: (a, b) => Math.floor(a / b),
    a: [7, -7, 7, -7, 5.5, 1],
    b: [2, 2, -2, -2, 2, 0],
    domainA: [-3, 3],
    domainB: [0.5, 2],
    sampleB: { signed: true },
  },
  {
    name: 'prelu',
    f: prelu,
    ref: (x, alpha) => (x < 0 ? alpha * x : x),
    a: [-2, 0, 1.5, -1, NaN],
    b: [0.1, 0.2, 0.3, 2, 0.1],
    domainA: [0.2, 2],
    domainB: [0.1, 0.5],
    sampleA: { signed: true },
  },
  {
    name: 'divNoNan',
    f: divNoNan,
    ref: (a, b) => (b === 0 ? 0 : a / b),
    a: [1, -2, 0, NaN, Infinity, 6],
    b: [2, 0, 0, 0, 0, -3],
    domainA: [-1, 1],
    domainB: [0.5, 2],
    sampleB: { signed: true },
  },
];

/** Reference broadcasting of two flat arrays (row-major) to `out`. */
function broadcastRef(
  a: readonly number[],
  aShape: number[],
  b: readonly number[],
  bShape: number[],
  out: number[],
  f: Ref2,
): number[] {
  const rank = out.length;
  const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const as = pad(aShape);
  const bs = pad(bShape);
  const size = out.reduce((x, y) => x * y, 1);
  const result: number[] = [];
  for (let o = 0; o < size; o++) {
    let rem = o;
    let ia = 0;
    let ib = 0;
    let sa = 1;
    let sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const i = rem % out[d]!;
      rem = Math.floor(rem / out[d]!);
      ia += (as[d] === 1 ? 0 : i) * sa;
      ib += (bs[d] === 1 ? 0 : i) * sb;
      sa *= as[d]!;
      sb *= bs[d]!;
    }
    result.push(f(a[ia]!, b[ib]!));
  }
  return result;
}

const f32 = (values: readonly number[]) => values.map(Math.fround);

/** Conformance tests of the elementwise ops. */
export function elementwiseSuite(ctx: SuiteContext): void {
  /** Seeded values in [lo, hi) (random sign if `signed`), kept `gap` away from the points in `avoid`. */
  const sample = (
    shape: number[],
    seed: number,
    lo: number,
    hi: number,
    opts: SampleOptions = {},
  ): Tensor => {
    const rng = new Random(seed);
    const gap = opts.gap ?? 0.1;
    const n = shape.reduce((x, y) => x * y, 1);
    const values = Array.from({ length: n }, () => {
      let v = lo + (hi - lo) * rng.uniform();
      if (opts.signed && rng.uniform() < 0.5) v = -v;
      for (const k of opts.avoid ?? []) if (Math.abs(v - k) < gap) v = v >= k ? k + gap : k - gap;
      return v;
    });
    return ctx.t(values, shape);
  };
  const values = (t: Tensor) => Array.from(t.dataSync(), Number);
  const ones = (shape: readonly number[], dtype: DType = 'float32') =>
    ctx.t(new Array<number>(shape.reduce((x, y) => x * y, 1)).fill(1), shape, dtype);

  describe('elementwise', () => {
    describe('unary ops: forward', () => {
      for (const c of UNARY) {
        it(`${c.name}: float32 values (edge cases included) match the reference`, () => {
          const x = ctx.t([...c.points], [c.points.length]);
          const y = c.f(x);
          expect(y.dtype).toBe('float32');
          expectClose(y, f32(c.points).map(c.ref), {
            shape: [c.points.length],
            atol: 1e-6,
            rtol: 2e-6,
          });
        });
        it(`${c.name}: float64 values are computed in double precision`, () => {
          const x = ctx.t([...c.points], [c.points.length], 'float64');
          const y = c.f(x);
          expect(y.dtype).toBe('float64');
          expectClose(y, c.points.map(c.ref), { atol: 1e-300, rtol: c.rtol64 ?? 1e-12 });
        });
      }
      it('preserve shape, including rank 0 and empty tensors', () => {
        expectClose(exp(ctx.t(0)), [1], { shape: [] });
        expect([...relu(ctx.t([], [2, 0])).shape]).toEqual([2, 0]);
        expect([...tanh(ctx.rand([2, 3, 4], 1)).shape]).toEqual([2, 3, 4]);
      });
    });

    describe('unary ops: gradients (float64 gradcheck and second order)', () => {
      for (const c of UNARY) {
        if (!c.domain) continue;
        it(`${c.name}: first and second derivatives agree with finite differences`, () => {
          const x = sample([2, 3], 11, c.domain![0], c.domain![1], c.sample);
          expectGradients(c.f, [x]);
        });
      }
      for (const c of UNARY) {
        if (c.domain) continue;
        it(`${c.name}: piecewise constant, zero gradient`, () => {
          const x = ctx.t([-2.3, -0.7, 0.2, 1.6, 2.7]);
          const [g] = grads(c.f)([x], ones([5]));
          expectClose(g!, [0, 0, 0, 0, 0], { shape: [5] });
          expectGradCheck(c.f, [x]);
        });
      }
      it('tanh: second derivative is -2·tanh(x)·(1 - tanh²(x))', () => {
        const x = ctx.t([-1.5, -0.3, 0.4, 2], [4], 'float64');
        const d1 = (u: Tensor) => grad(tanh)(u, ones([4], 'float64'));
        const d2 = grad(d1)(x, ones([4], 'float64'));
        const t = [-1.5, -0.3, 0.4, 2].map(Math.tanh);
        expectClose(
          d1(x),
          t.map((v) => 1 - v * v),
          { rtol: 1e-12, atol: 1e-14 },
        );
        expectClose(
          d2,
          t.map((v) => -2 * v * (1 - v * v)),
          { rtol: 1e-12, atol: 1e-14 },
        );
      });
      it('sigmoid: second derivative is σ(1 - σ)(1 - 2σ); third order works too', () => {
        const pts = [-2, -0.5, 0.1, 3];
        const x = ctx.t(pts, [4], 'float64');
        const seed = ones([4], 'float64');
        const d1 = (u: Tensor) => grad(sigmoid)(u, seed);
        const d2 = (u: Tensor) => grad(d1)(u, seed);
        const s = pts.map(sigmoidRef);
        expectClose(
          d1(x),
          s.map((v) => v * (1 - v)),
          { rtol: 1e-12, atol: 1e-14 },
        );
        expectClose(
          d2(x),
          s.map((v) => v * (1 - v) * (1 - 2 * v)),
          { rtol: 1e-12, atol: 1e-14 },
        );
        // σ''' = σ(1 - σ)(1 - 6σ + 6σ²)
        expectClose(
          grad(d2)(x, seed),
          s.map((v) => v * (1 - v) * (1 - 6 * v + 6 * v * v)),
          { rtol: 1e-10, atol: 1e-13 },
        );
      });
      it('relu / abs / maximum: gradients at the kink follow tfjs (0 for relu and abs at 0)', () => {
        const x = ctx.t([-1, 0, 2]);
        expectClose(grads(relu)([x], ones([3]))[0]!, [0, 0, 1]);
        expectClose(grads(abs)([x], ones([3]))[0]!, [-1, 0, 1]);
        expectClose(
          grads((u) => relu6(u))([ctx.t([-1, 0, 3, 6, 7])], ones([5]))[0]!,
          [0, 0, 1, 1, 0],
        );
        expectClose(
          grads((u) => clipByValue(u, 0, 1))([ctx.t([-1, 0, 0.5, 1, 2])], ones([5]))[0]!,
          [0, 1, 1, 1, 0],
        );
      });
      it("ReluGrad (relu's backward): dy where x > 0, else +0; NaN x gives 0, NaN dy passes; broadcasting; first and second order", () => {
        const reluGrad = (dy: Tensor, x: Tensor) => ctx.engine.run('ReluGrad', [dy, x]) as Tensor;
        const xs = [-2, -0, 0, 1e-30, 3, NaN, -Infinity, Infinity, 0.5, -0.5, 7];
        const dys = [1, 2, 3, 4, NaN, 6, 7, 8, -9, 10, -0.25];
        expectClose(
          reluGrad(ctx.t(dys), ctx.t(xs)),
          xs.map((x, i) => (x > 0 ? dys[i]! : 0)),
        );
        const zero = values(reluGrad(ctx.t([-5]), ctx.t([-1])))[0]!;
        expect(Object.is(zero, 0), `0 for x <= 0 is +0, got ${zero}`).toBe(true);
        // x broadcast along rows of 17 (a SIMD body and a tail per row).
        const row = [1, -1, 2, -2, 0, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8];
        const rows = ctx.rand([2, row.length], 5);
        expectClose(
          reluGrad(rows, ctx.t(row)),
          values(rows).map((v, i) => (row[i % row.length]! > 0 ? v : 0)),
        );
        expectClose(reluGrad(ctx.t([5, 6], [2], 'int32'), ctx.t([1, -1], [2], 'int32')), [5, 0]);
        const x = ctx.t([-1.5, -0.5, 0.5, 1.5], [4], 'float64');
        expectGradients((dy) => reluGrad(dy, x), [ctx.t([0.3, -0.7, 1.1, 2], [4], 'float64')]);
        expectGradients((u) => relu(u).mul(u), [ctx.t([-1.5, -0.5, 0.5, 1.5], [4], 'float64')]);
      });
      it("TanhGrad and SigmoidGrad (tanh's and sigmoid's backward from the output y): values, row broadcasting, float64 gradients of both inputs", () => {
        const cases = [
          ['TanhGrad', (dy: number, y: number) => dy * (1 - y * y)],
          ['SigmoidGrad', (dy: number, y: number) => dy * y * (1 - y)],
        ] as const;
        const ys = [-0.99, -0.5, -0, 0, 0.25, 0.5, 0.75, 0.999, 1, NaN, 0.1];
        const dys = [1, -2, 3, 4, 0.5, -6, 7, 8, 9, 1, NaN];
        for (const [name, reference] of cases) {
          const op = (dy: Tensor, y: Tensor) => ctx.engine.run(name, [dy, y]) as Tensor;
          expectClose(
            op(ctx.t(dys), ctx.t(ys)),
            ys.map((y, i) => reference(dys[i]!, y)),
          );
          // y broadcast along rows of 19 (a SIMD body and a tail per row).
          const row = ctx.rand([19], 6).mul(0.9);
          const dy = ctx.rand([3, 19], 7);
          const rowValues = values(row);
          expectClose(
            op(dy, row),
            values(dy).map((d, i) => reference(d, rowValues[i % 19]!)),
          );
          expect(() => op(ctx.t([1], [1], 'int32'), ctx.t([1], [1], 'int32'))).toThrow(DTypeError);
          const y64 = ctx.t([-0.8, -0.3, 0.2, 0.6], [4], 'float64');
          const dy64 = ctx.t([0.3, -0.7, 1.1, 2], [4], 'float64');
          expectGradients(op, [dy64, y64]);
        }
        // Through the public ops (their backward now runs these): first and second order.
        const u = ctx.t([-1.5, -0.5, 0.5, 1.5], [4], 'float64');
        expectGradients((x) => tanh(x).mul(x), [u]);
        expectGradients((x) => sigmoid(x).mul(x), [u]);
      });
      it('stable activations have finite gradients far from 0', () => {
        const x = ctx.t([-100, -30, 30, 100]);
        for (const f of [sigmoid, softplus, logSigmoid, tanh, elu, selu]) {
          const [g] = grads(f)([x], ones([4]));
          for (const v of values(g!)) expect(Number.isFinite(v), `${f.name}: ${v}`).toBe(true);
        }
      });
    });

    describe('binary ops: forward', () => {
      for (const c of BINARY) {
        it(`${c.name}: same-shape float32 values (edge cases included) match the reference`, () => {
          const y = c.f(ctx.t([...c.a]), ctx.t([...c.b]));
          expect(y.dtype).toBe('float32');
          const a = f32(c.a);
          const b = f32(c.b);
          expectClose(
            y,
            a.map((v, i) => c.ref(v, b[i]!)),
            { shape: [c.a.length], atol: 1e-6, rtol: 2e-6 },
          );
        });
        it(`${c.name}: float32 broadcasting along rows, short and long (a bias add, a per-row scale, [2,1,17] with [2,3,17])`, () => {
          const [loA, hiA] = c.domainA ?? [-1, 1];
          const [loB, hiB] = c.domainB ?? [-1, 1];
          const pairs: [number[], number[], number[]][] = [
            [[5, 3], [3], [5, 3]],
            [[3], [5, 3], [5, 3]],
            [
              [5, 3],
              [5, 1],
              [5, 3],
            ],
            [
              [1, 3],
              [5, 1],
              [5, 3],
            ],
            [[2, 3, 17], [17], [2, 3, 17]],
            [
              [2, 3, 17],
              [2, 3, 1],
              [2, 3, 17],
            ],
            [
              [2, 1, 17],
              [2, 3, 17],
              [2, 3, 17],
            ],
          ];
          pairs.forEach(([as, bs, out], k) => {
            const a = sample(as, 40 + k, loA, hiA, c.sampleA);
            const b = sample(bs, 50 + k, loB, hiB, c.sampleB);
            expectClose(c.f(a, b), broadcastRef(values(a), as, values(b), bs, out, c.ref), {
              shape: out,
              atol: 1e-6,
              rtol: 2e-6,
            });
          });
        });
        it(`${c.name}: float64 values, broadcasting [2,1,4] with [3,1] and scalar operands`, () => {
          const av = [0.5, 1.25, -0.75, 1.5, -1.25, 0.25, 2, -1.75];
          const bv = [0.75, -1.5, 1.25];
          const y = c.f(ctx.t(av, [2, 1, 4], 'float64'), ctx.t(bv, [3, 1], 'float64'));
          expectClose(y, broadcastRef(av, [2, 1, 4], bv, [3, 1], [2, 3, 4], c.ref), {
            shape: [2, 3, 4],
            rtol: 1e-12,
            atol: 1e-300,
          });
          const ys = c.f(ctx.t(bv, [3, 1], 'float64'), ctx.t(av, [2, 1, 4], 'float64'));
          expectClose(ys, broadcastRef(bv, [3, 1], av, [2, 1, 4], [2, 3, 4], c.ref), {
            shape: [2, 3, 4],
            rtol: 1e-12,
            atol: 1e-300,
          });
          const left = c.f(ctx.t(1.5, [], 'float64'), ctx.t(av, [2, 4], 'float64'));
          expectClose(
            left,
            av.map((v) => c.ref(1.5, v)),
            { shape: [2, 4], rtol: 1e-12, atol: 1e-300 },
          );
          const right = c.f(ctx.t(av, [2, 4], 'float64'), ctx.t(-1.5, [], 'float64'));
          expectClose(
            right,
            av.map((v) => c.ref(v, -1.5)),
            { shape: [2, 4], rtol: 1e-12, atol: 1e-300 },
          );
        });
      }
      it('plain numbers take the tensor operand dtype (as tfjs)', () => {
        const x = ctx.t([1, 2, 3], [3], 'int32');
        const y = add(x, 2);
        expect(y.dtype).toBe('int32');
        expectClose(y, [3, 4, 5]);
        const z = mul(2, ctx.t([1.5, 2], [2], 'float64'));
        expect(z.dtype).toBe('float64');
        expectClose(z, [3, 4]);
      });
    });

    describe('binary ops: gradients (float64 gradcheck and second order)', () => {
      for (const c of BINARY) {
        if (!c.domainA) continue;
        it(`${c.name}: same shapes`, () => {
          const a = sample([2, 3], 21, c.domainA![0], c.domainA![1], c.sampleA);
          const b = sample([2, 3], 22, c.domainB![0], c.domainB![1], c.sampleB);
          expectGradients(c.f, [a, b]);
        });
        it(`${c.name}: broadcast shapes [2,1,4] with [3,1], and a scalar`, () => {
          const a = sample([2, 1, 4], 23, c.domainA![0], c.domainA![1], c.sampleA);
          const b = sample([3, 1], 24, c.domainB![0], c.domainB![1], c.sampleB);
          expectGradients(c.f, [a, b]);
          const s = sample([], 25, c.domainB![0], c.domainB![1], c.sampleB);
          expectGradients(c.f, [a, s]);
        });
      }
      it('maximum / minimum: ties give the gradient to a (as tfjs), also when broadcasting', () => {
        const a = ctx.t([1, 2, 3]);
        const b = ctx.t([1, 1, 4]);
        const [ga, gb] = grads(maximum)([a, b], ones([3]));
        expectClose(ga!, [1, 1, 0]);
        expectClose(gb!, [0, 0, 1]);
        const [ma, mb] = grads(minimum)([a, b], ones([3]));
        expectClose(ma!, [1, 0, 1]);
        expectClose(mb!, [0, 1, 0]);
        // a [2,1] against b [3]: b's gradient sums over a's rows.
        const a2 = ctx.t([[1], [2]]);
        const b2 = ctx.t([0, 1, 3]);
        const [ga2, gb2] = grads(maximum)([a2, b2], ones([2, 3]));
        expectClose(ga2!, [[2], [2]], { shape: [2, 1] }); // a >= b at [1,0],[1,1] and [2,0],[2,1]
        expectClose(gb2!, [0, 0, 2], { shape: [3] });
      });
      it('squaredDifference: broadcast gradients are 2(a-b)·dy summed back to each shape', () => {
        const a = ctx.t([[1], [2]]);
        const b = ctx.t([0, 1, 3]);
        const [ga, gb] = grads(squaredDifference)([a, b], ones([2, 3]));
        expectClose(ga!, [[2 * (1 + 0 - 2)], [2 * (2 + 1 - 1)]], { shape: [2, 1] });
        expectClose(gb!, [-2 * (1 + 2), -2 * (0 + 1), -2 * (-2 - 1)], { shape: [3] });
      });
      it('pow: negative base and zero exponent have finite gradients (tfjs conventions)', () => {
        const a = ctx.t([-2, -2, 0, 0, 2, 3], [6], 'float64');
        const b = ctx.t([3, 2, 0, 2, 0, 0.5], [6], 'float64');
        const [ga, gb] = grads(pow)([a, b], ones([6], 'float64'));
        // da = b·a^(b-1) (0 where b = 0); db = a^b·ln a where a > 0, else 0.
        expectClose(ga!, [12, -4, 0, 0, 0, 0.5 / Math.sqrt(3)], { rtol: 1e-12 });
        expectClose(gb!, [0, 0, 0, 0, Math.log(2), Math.sqrt(3) * Math.log(3)], { rtol: 1e-12 });
        // Second order through a negative base, integer exponent.
        expectGradients((u) => pow(u, 3), [sample([2, 3], 31, 0.5, 2, { signed: true })]);
        expectGradients((u) => pow(u, ctx.t(2, [], 'float64')), [sample([2, 3], 32, -2, -0.5)]);
        // Exponent gradient with a mixed-sign base: zero where the base is negative (integer exponents
        // there; a negative base with a fractional exponent is NaN already in the forward pass, as tfjs).
        const mixed = ctx.t([-1.5, 0.5, -0.25, 2], [4], 'float64');
        const [, g2] = grads(pow)(
          [mixed, ctx.t([2, 1.5, 3, 2.5], [4], 'float64')],
          ones([4], 'float64'),
        );
        expectClose(
          g2!,
          [0, Math.pow(0.5, 1.5) * Math.log(0.5), 0, Math.pow(2, 2.5) * Math.log(2)],
          { rtol: 1e-12 },
        );
      });
      it('mod: gradients are dy for a and -dy·floor(a/b) for b', () => {
        const a = ctx.t([7, -7, 5.5]);
        const b = ctx.t([3, 3, -2]);
        const [ga, gb] = grads(mod)([a, b], ones([3]));
        expectClose(ga!, [1, 1, 1]);
        expectClose(gb!, [-2, 3, 3]);
      });
      it('divNoNan: gradients are 0 (not NaN) where b = 0, also second order', () => {
        const a = ctx.t([1, 2, 3], [3], 'float64');
        const b = ctx.t([2, 0, -1], [3], 'float64');
        const [ga, gb] = grads(divNoNan)([a, b], ones([3], 'float64'));
        expectClose(ga!, [0.5, 0, -1]);
        expectClose(gb!, [-0.25, 0, -3]);
        const seed = ones([3], 'float64');
        const [gaa] = grads((u) => grads(divNoNan)([u, b], seed)[1]!)([a], seed);
        expectClose(gaa!, [-0.25, 0, -1]);
      });
      it('where: gradients go to the selected side and are summed back to broadcast shapes', () => {
        const c = ctx.t([[true], [false]]);
        const a = ctx.t([1, 2, 3]);
        const b = ctx.t(5);
        const [ga, gb] = grads((x, y) => where(c, x, y))([a, b], ones([2, 3]));
        expectClose(ga!, [1, 1, 1], { shape: [3] });
        expectClose(gb!, [3], { shape: [] });
        const cond = ctx.t([true, false, true, false, false, true], [2, 1, 3], 'bool');
        expectGradients(
          (x, y) => where(cond, x, y),
          [sample([3], 41, -1, 1), sample([2, 2, 1], 42, -1, 1)],
        );
      });
    });

    describe('comparison and logical ops', () => {
      const a = [1, 2, NaN, -Infinity, 3];
      const b = [1, 3, NaN, -Infinity, 2];
      const cases: [string, (x: Arg, y: Arg) => Tensor, (x: number, y: number) => boolean][] = [
        ['equal', equal, (x, y) => x === y],
        ['notEqual', notEqual, (x, y) => x !== y],
        ['greater', greater, (x, y) => x > y],
        ['greaterEqual', greaterEqual, (x, y) => x >= y],
        ['less', less, (x, y) => x < y],
        ['lessEqual', lessEqual, (x, y) => x <= y],
      ];
      for (const [name, f, ref] of cases) {
        it(`${name}: bool result, NaN and infinities, broadcasting and mixed dtypes`, () => {
          const y = f(ctx.t(a), ctx.t(b));
          expect(y.dtype).toBe('bool');
          expectClose(
            y,
            a.map((v, i) => (ref(v, b[i]!) ? 1 : 0)),
          );
          const ints = ctx.t([1, 2, 3], [3, 1], 'int32');
          const floats = ctx.t([1.5, 2]);
          const z = f(ints, floats);
          expect(z.dtype).toBe('bool');
          expectClose(
            z,
            broadcastRef([1, 2, 3], [3, 1], [1.5, 2], [2], [3, 2], (x, w) => (ref(x, w) ? 1 : 0)),
            {
              shape: [3, 2],
            },
          );
          expectClose(f(ctx.t([true, false]), ctx.t([true, true])), [
            ref(1, 1) ? 1 : 0,
            ref(0, 1) ? 1 : 0,
          ]);
          expectClose(f(ctx.t([2, 3], [2], 'int32'), 2), [ref(2, 2) ? 1 : 0, ref(3, 2) ? 1 : 0]);
        });
      }
      it('comparisons carry no gradient', () => {
        const x = ctx.t([1, 2]).requiresGrad_();
        expect(greater(x, 1).requiresGrad).toBe(false);
      });
      it('logicalAnd / logicalOr / logicalXor / logicalNot: truth tables with broadcasting', () => {
        const p = ctx.t([true, true, false, false]);
        const q = ctx.t([true, false, true, false]);
        expectClose(logicalAnd(p, q), [1, 0, 0, 0]);
        expectClose(logicalOr(p, q), [1, 1, 1, 0]);
        expectClose(logicalXor(p, q), [0, 1, 1, 0]);
        expectClose(logicalNot(p), [0, 0, 1, 1]);
        for (const y of [logicalAnd(p, q), logicalOr(p, q), logicalXor(p, q), logicalNot(p)])
          expect(y.dtype).toBe('bool');
        const col = ctx.t([[true], [false]]);
        expectClose(logicalAnd(col, q), [1, 0, 1, 0, 0, 0, 0, 0], { shape: [2, 4] });
        expectClose(logicalXor(col, q), [0, 1, 0, 1, 1, 0, 1, 0], { shape: [2, 4] });
        expectClose(logicalOr(p, true), [1, 1, 1, 1]);
      });
      it('isNaN / isInf / isFinite', () => {
        const x = ctx.t([NaN, Infinity, -Infinity, 0, -1.5]);
        expectClose(isNaN(x), [1, 0, 0, 0, 0]);
        expectClose(isInf(x), [0, 1, 1, 0, 0]);
        expectClose(isFinite(x), [0, 0, 0, 1, 1]);
        for (const y of [isNaN(x), isInf(x), isFinite(x)]) expect(y.dtype).toBe('bool');
        const i = ctx.t([1, -2], [2], 'int32');
        expectClose(isNaN(i), [0, 0]);
        expectClose(isFinite(i), [1, 1]);
        expectClose(isFinite(ctx.t([NaN, 1], [2], 'float64')), [0, 1]);
      });
    });

    describe('where', () => {
      it('broadcasts condition, a and b together', () => {
        const c = ctx.t([true, false, true, false, false, true, true, false], [2, 1, 4], 'bool');
        const a = ctx.t([10, 20, 30], [3, 1]);
        const y = where(c, a, -1);
        expectClose(
          y,
          broadcastRef(
            [1, 0, 1, 0, 0, 1, 1, 0],
            [2, 1, 4],
            [10, 20, 30],
            [3, 1],
            [2, 3, 4],
            (ci, ai) => (ci ? ai : -1),
          ),
          { shape: [2, 3, 4] },
        );
        const z = where(ctx.t(true), ctx.t([1, 2]), ctx.t([[3], [4]]));
        expectClose(z, [1, 2, 1, 2], { shape: [2, 2] });
      });
      it('upcasts a and b (int32 with float32 gives float32) and keeps NaN of the unselected side out', () => {
        const y = where(ctx.t([true, false]), ctx.t([1, 2], [2], 'int32'), ctx.t([0.5, NaN]));
        expect(y.dtype).toBe('float32');
        expectClose(y, [1, NaN]);
        const z = where(ctx.t([false, true]), ctx.t([1, 2], [2], 'int32'), ctx.t([NaN, 3]));
        expectClose(z, [NaN, 2]);
        const i = where(ctx.t([true, false]), ctx.t([1, 2], [2], 'int32'), 7);
        expect(i.dtype).toBe('int32');
        expectClose(i, [1, 7]);
      });
    });

    describe('dtypes', () => {
      it('float-only ops cast int32 and bool inputs to float32 (as tfjs)', () => {
        const i = ctx.t([0, 1, 2], [3], 'int32');
        for (const f of [exp, log, sqrt, sigmoid, tanh, sin, erf, softplus, selu, logSigmoid]) {
          const y = f(i);
          expect(y.dtype, f.name).toBe('float32');
        }
        expectClose(exp(i), [1, Math.E, Math.exp(2)]);
        expectClose(exp(ctx.t([true, false])), [Math.E, 1]);
        expectClose(atan2(ctx.t([1], [1], 'int32'), ctx.t([1], [1], 'int32')), [Math.PI / 4]);
        expect(step(i).dtype).toBe('float32');
      });
      it('numeric ops keep int32; bool is cast to int32', () => {
        const i = ctx.t([-3, 0, 2], [3], 'int32');
        const cases: [Tensor, number[]][] = [
          [abs(i), [3, 0, 2]],
          [neg(i), [3, 0, -2]],
          [square(i), [9, 0, 4]],
          [relu(i), [0, 0, 2]],
          [relu6(ctx.t([-1, 3, 9], [3], 'int32')), [0, 3, 6]],
          [sign(i), [-1, 0, 1]],
          [floor(i), [-3, 0, 2]],
          [ceil(i), [-3, 0, 2]],
          [round(i), [-3, 0, 2]],
          [clipByValue(i, -1, 1), [-1, 0, 1]],
          [leakyRelu(ctx.t([-10, 10], [2], 'int32'), 0.5), [-5, 10]],
          [add(i, i), [-6, 0, 4]],
          [sub(i, 1), [-4, -1, 1]],
          [maximum(i, 0), [0, 0, 2]],
          [minimum(i, 0), [-3, 0, 0]],
          [squaredDifference(i, 1), [16, 1, 1]],
          [pow(ctx.t([2, 3, -2], [3], 'int32'), ctx.t([3, 2, 3], [3], 'int32')), [8, 9, -8]],
          [prelu(i, ctx.t([2], [1], 'int32')), [-6, 0, 2]],
        ];
        for (const [y, expected] of cases) {
          expect(y.dtype).toBe('int32');
          expectClose(y, expected);
        }
        const b = ctx.t([true, false]);
        for (const y of [neg(b), abs(b), relu(b), add(b, b), mul(b, b)])
          expect(y.dtype).toBe('int32');
        expectClose(neg(b), [-1, 0]);
        expectClose(add(b, b), [2, 0]);
        expect(add(b, ctx.t([1.5, 1])).dtype).toBe('float32');
      });
      it('int32 div is floor division (as tfjs); mod has the sign of the divisor; by zero gives 0', () => {
        const a = ctx.t([-7, 7, -7, 7, 6, 5], [6], 'int32');
        const b = ctx.t([2, 2, -2, -2, 3, 0], [6], 'int32');
        const q = div(a, b);
        expect(q.dtype).toBe('int32');
        expectClose(q, [-4, 3, 3, -4, 2, 0]);
        expectClose(floorDiv(a, b), [-4, 3, 3, -4, 2, 0]);
        const r = mod(a, b);
        expect(r.dtype).toBe('int32');
        expectClose(r, [1, 1, -1, -1, 0, 0]);
        expectClose(divNoNan(a, b), [-4, 3, 3, -4, 2, 0]);
        expectClose(mod(ctx.t([-7, 7]), ctx.t([3, -3])), [2, -2]);
      });
      it('mixed float32 / float64 operands upcast to float64', () => {
        const y = add(ctx.t([1]), ctx.t([2], [1], 'float64'));
        expect(y.dtype).toBe('float64');
        expect(maximum(ctx.t([1], [1], 'int32'), ctx.t([0.5])).dtype).toBe('float32');
      });
      it('cast: truncation toward zero, bool from non-zero, float round trips', () => {
        expectClose(cast(ctx.t([-1.7, 1.7, 0]), 'int32'), [-1, 1, 0]);
        expectClose(cast(ctx.t([-1.7, 0, NaN]), 'bool'), [1, 0, 1]);
        expect(cast(ctx.t([1]), 'float64').dtype).toBe('float64');
        // Float-to-float casts pass the gradient through (converted back to the input's dtype).
        const [g] = grads((x) => mul(cast(cast(x, 'float32'), 'float64'), 3))(
          [ctx.t([0.5, -1], [2], 'float64')],
          ones([2], 'float64'),
        );
        expect(g!.dtype).toBe('float64');
        expectClose(g!, [3, 3]);
      });
    });

    describe('special values', () => {
      it('erf is accurate to ~1e-15 in float64 (both branches of the implementation)', () => {
        const pts = ERF_TABLE.map(([p]) => p);
        expectClose(erf(ctx.t(pts, [pts.length], 'float64')), pts.map(erfRef), {
          rtol: 2e-15,
          atol: 1e-300,
        });
      });
      it('erf: gradient across the branch point |x| = 2.5 and far tails', () => {
        expectGradients(erf, [ctx.t([-3.2, -2.6, -2.4, 2.45, 2.55, 4], [6], 'float64')]);
      });
      it('sigmoid / softplus / logSigmoid do not overflow', () => {
        const x = ctx.t([-1000, -100, 100, 1000], [4], 'float64');
        expectClose(sigmoid(x), [0, sigmoidRef(-100), 1, 1], { rtol: 1e-12, atol: 0 });
        expectClose(softplus(x), [0, softplusRef(-100), 100, 1000], { rtol: 1e-12, atol: 0 });
        expectClose(logSigmoid(x), [-1000, -100, -softplusRef(-100), 0], { rtol: 1e-12, atol: 0 });
      });
      it('float32 exp, tanh, sigmoid and relu are exact to float32 rounding, edge values included', () => {
        const edges = [
          0,
          -0,
          1e-30,
          -1e-8,
          0.124,
          -0.126,
          0.5,
          -3,
          9.5,
          20,
          -20,
          88,
          -87,
          -103,
          100,
          -1000,
          Infinity,
          -Infinity,
          NaN,
        ];
        const rng = new Random(5);
        const pts = [
          ...edges,
          ...Array.from({ length: 400 }, (_, i) => (rng.uniform() * 2 - 1) * (i % 2 ? 4 : 60)),
        ];
        const x = ctx.t(pts, [pts.length], 'float32');
        const f32 = (v: number) => Math.fround(v);
        const inputs = Array.from(x.dataSync());
        // Within one float32 ulp of the correctly rounded value (relative 2^-23), or both tiny.
        const opts = { rtol: 2 ** -23, atol: 1e-38 };
        expectClose(
          exp(x),
          inputs.map((v) => f32(Math.exp(v))),
          opts,
        );
        expectClose(
          tanh(x),
          inputs.map((v) => f32(Math.tanh(v))),
          opts,
        );
        expectClose(
          sigmoid(x),
          inputs.map((v) => f32(1 / (1 + Math.exp(-v)))),
          opts,
        );
        expectClose(
          relu(x),
          inputs.map((v) => (Number.isNaN(v) ? NaN : v > 0 ? v : 0)),
          { rtol: 0, atol: 0 },
        );
      });
      it('log1p and expm1 are accurate near 0', () => {
        const x = ctx.t([1e-12, -1e-12], [2], 'float64');
        expectClose(log1p(x), [Math.log1p(1e-12), Math.log1p(-1e-12)], { rtol: 1e-15, atol: 0 });
        expectClose(expm1(x), [Math.expm1(1e-12), Math.expm1(-1e-12)], { rtol: 1e-15, atol: 0 });
      });
    });

    describe('errors', () => {
      it('binary shape mismatches name the op and both shapes', () => {
        const a = ctx.t([1, 2, 3]);
        const b = ctx.t([
          [1, 2],
          [3, 4],
        ]);
        expect(() => add(a, b)).toThrow(ShapeError);
        expect(() => add(a, b)).toThrow(/add: .*\[3\].*\[2,2\]/);
        expect(() => maximum(a, b)).toThrow(/maximum: .*\[3\].*\[2,2\]/);
        expect(() => greater(a, b)).toThrow(/greater: .*\[3\].*\[2,2\]/);
        expect(() => pow(a, b)).toThrow(/pow: shapes of base \[3\] and exp \[2,2\]/);
        expect(() => prelu(a, b)).toThrow(/prelu: shapes of x \[3\] and alpha \[2,2\]/);
      });
      it('where: shape errors name all three shapes; condition must be bool', () => {
        const c = ctx.t([true, false]);
        expect(() => where(c, ctx.t([1, 2, 3]), 0)).toThrow(ShapeError);
        expect(() => where(c, ctx.t([1, 2, 3]), ctx.t([1]))).toThrow(
          /where: shapes of condition \[2\], a \[3\] and b \[1\]/,
        );
        expect(() => where(ctx.t([1, 0]), 1, 2)).toThrow(DTypeError);
        expect(() => where(ctx.t([1, 0]), 1, 2)).toThrow(
          /where: condition must be a bool tensor, got float32/,
        );
      });
      it('logical ops need bool tensors', () => {
        expect(() => logicalAnd(ctx.t([1]), ctx.t([true]))).toThrow(DTypeError);
        expect(() => logicalAnd(ctx.t([1]), ctx.t([true]))).toThrow(
          /logicalAnd: a must be a bool tensor, got float32/,
        );
        expect(() => logicalOr(ctx.t([true]), ctx.t([1], [1], 'int32'))).toThrow(
          /logicalOr: b must be a bool tensor, got int32/,
        );
        expect(() => logicalNot(ctx.t([1]))).toThrow(/logicalNot: x must be a bool tensor/);
      });
      it('op definitions reject invalid dtypes even when run directly', () => {
        const e = ctx.engine;
        expect(() => e.run('Exp', [ctx.t([1], [1], 'int32')])).toThrow(DTypeError);
        expect(() => e.run('Exp', [ctx.t([1], [1], 'int32')])).toThrow(
          /exp: x must be a float tensor .*got int32/,
        );
        expect(() => e.run('Add', [ctx.t([true]), ctx.t([true])])).toThrow(
          /add: a must be a numeric tensor .*got bool/,
        );
        expect(() => e.run('Add', [ctx.t([1]), ctx.t([1], [1], 'float64')])).toThrow(
          /add: a \(float32\) and b \(float64\) must have the same dtype/,
        );
        expect(() => e.run('Atan2', [ctx.t([1], [1], 'int32'), ctx.t([1], [1], 'int32')])).toThrow(
          /atan2: a must be a float tensor/,
        );
        expect(() => e.run('Where', [ctx.t([1]), ctx.t([1]), ctx.t([1])])).toThrow(
          /where: condition must be a bool tensor/,
        );
      });
      it('bad attributes and arguments are ArgumentErrors', () => {
        const x = ctx.t([1, 2]);
        expect(() => clipByValue(x, 1, 0)).toThrow(ArgumentError);
        expect(() => clipByValue(x, 1, 0)).toThrow(
          /clipByValue: clipValueMin \(1\) must be less than or equal to clipValueMax \(0\)/,
        );
        expect(() => leakyRelu(x, '0.1' as unknown as number)).toThrow(
          /leakyRelu: alpha must be a number, got string/,
        );
        expect(() => step(x, null as unknown as number)).toThrow(ArgumentError);
        expect(() => add(x, 'a' as unknown as number)).toThrow(/add: argument 'b'/);
      });
      it('a failed op leaves its inputs intact and frees what it converted', () => {
        const a = ctx.t([1, 2, 3]);
        const b = ctx.t([true, false]);
        const before = ctx.engine.memory().numTensors;
        expect(() => add(a, [1, 2])).toThrow(ShapeError);
        expect(() => where(b, a, [5, 6, 7, 8])).toThrow(ShapeError);
        expect(() => logicalAnd(b, a)).toThrow(DTypeError);
        expect(() => where(a, a, a)).toThrow(DTypeError);
        expect(ctx.engine.memory().numTensors).toBe(before);
        expect(a.isDisposed).toBe(false);
        expect(Array.from(a.dataSync())).toEqual([1, 2, 3]);
        expect(Array.from(b.dataSync())).toEqual([1, 0]);
        // A failed op among recorded ones leaves the graph usable.
        const x = ctx.t([0.5, 1.5]).requiresGrad_();
        const y = exp(x);
        expect(() => mul(y, [1, 2, 3])).toThrow(ShapeError);
        y.backward(ctx.t([1, 1]));
        expectClose(x.grad!, [Math.exp(0.5), Math.exp(1.5)]);
      });
      it('public functions free their temporaries (casts, converted numbers, compositions)', () => {
        const i = ctx.t([1, 2], [2], 'int32');
        const f = ctx.t([0, 2]);
        const p = ctx.t([true, false]);
        const checks: (() => Tensor)[] = [
          () => exp(i),
          () => add(f, 1),
          () => add(p, p),
          () => maximum(i, f),
          () => where(p, 1, 2),
          () => divNoNan(f, f),
          () => logicalXor(p, p),
          () => isFinite(f),
          () => selu(f),
          () => logSigmoid(f),
        ];
        for (const make of checks) {
          const before = ctx.engine.memory().numTensors;
          const y = make();
          expect(ctx.engine.memory().numTensors, String(make)).toBe(before + 1);
          y.dispose();
        }
      });
    });

    describe('registration', () => {
      it('chainable methods: x.relu().exp(), tfjs argument order for where', () => {
        const x = ctx.t([-1, 0.5]);
        expectClose(x.relu().exp(), [1, Math.exp(0.5)]);
        expectClose(x.add(1).mul(2).sub(0.5).div(2), [-0.25, 1.25]);
        expectClose(x.clipByValue(0, 0.25).pow(2), [0, 0.0625]);
        expectClose(x.greater(0).logicalNot(), [1, 0]);
        expectClose(x.where(ctx.t([true, false]), ctx.t([7, 8])), [-1, 8]);
        expectClose(x.leakyRelu(), [-0.2, 0.5]);
        for (const name of Object.keys(elementwiseMethods)) {
          expect(typeof (x as unknown as Record<string, unknown>)[name], name).toBe('function');
        }
      });
    });
  });
}

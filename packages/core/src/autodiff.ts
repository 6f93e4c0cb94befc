import type { DType } from './dtype.js';
import { isFloatDtype, toTypedArray } from './dtype.js';
import { engineOf } from './default-engine.js';
import type { Engine } from './engine.js';
import { ArgumentError, GradientError, fmtShape } from './errors.js';
import type { GradFn } from './op.js';
import { Random } from './random.js';
import type { Tensor, Variable } from './tensor.js';
import { Tensor as TensorClass } from './tensor.js';

function assertTensorResult(op: string, y: unknown): asserts y is Tensor {
  if (!(y instanceof TensorClass))
    throw new ArgumentError(`${op}: f must return a Tensor, got ${typeof y}`);
}

/** Core of the functional API: value of f(...xs) and its gradients w.r.t. every x. */
function valueAndGradsImpl(
  engine: Engine,
  op: string,
  f: (...xs: Tensor[]) => Tensor,
  xs: readonly Tensor[],
  dy: Tensor | undefined,
): { value: Tensor; grads: Tensor[] } {
  if (typeof f !== 'function') throw new ArgumentError(`${op}: f must be a function`);
  xs.forEach((x, i) => engine.assertUsable(x, op, `x[${i}]`));
  // Inside another differentiation (or on tensors that are themselves on a tape):
  // record the backward pass so an outer gradient can differentiate through it.
  const nested = engine.gradEnabled && (engine.gradDepth > 0 || xs.some((x) => x.requiresGrad));
  return engine.tidy(() => {
    engine.gradDepth++;
    try {
      const watched = engine.withGradMode(true, () => xs.map((x) => engine.watch(x)));
      const y = engine.withGradMode(true, () => f(...watched));
      assertTensorResult(op, y);
      const seed = engine.seedFor(op, y, dy);
      const grads = engine.gradients(y, watched, {
        gradYs: [seed],
        createGraph: nested,
        unconnected: 'zero',
      });
      return { value: nested ? y : engine.detach(y), grads: grads as Tensor[] };
    } finally {
      engine.gradDepth--;
    }
  });
}

/**
 * `grad(f)(x, dy?)`: the gradient of f at x (f must return a scalar unless dy is given).
 *
 * @example
 * ```ts
 * const f = (x: Tensor) => x.square().mul(3); // 3x²
 * grad(f)(scalar(2)).print(); // 12
 * grad(grad(f))(scalar(2)).print(); // 6
 * ```
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => valueAndGradsImpl(engineOf(x), 'grad', f, [x], dy).grads[0]!;
}

/**
 * `grads(f)(xs, dy?)`: gradients of f w.r.t. each of its arguments.
 *
 * @example
 * ```ts
 * const f = (x: Tensor, y: Tensor) => x.square().mul(y); // x²y
 * const [dx, dy] = grads(f)([scalar(3), scalar(4)]);
 * dx!.print(); // 24
 * dy!.print(); // 9
 * ```
 */
export function grads(
  f: (...xs: Tensor[]) => Tensor,
): (xs: readonly Tensor[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => valueAndGradsImpl(engineOf(xs), 'grads', f, xs, dy).grads;
}

/**
 * Like `grad`, returning the value of f too: `{ value, grad }`.
 *
 * @example
 * ```ts
 * const { value, grad } = valueAndGrad((x) => x.square().sum())(tensor([1, 2]));
 * value.print(); // 5
 * grad.print(); // [2, 4]
 * ```
 */
export function valueAndGrad(
  f: (x: Tensor) => Tensor,
): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const { value, grads: g } = valueAndGradsImpl(engineOf(x), 'valueAndGrad', f, [x], dy);
    return { value, grad: g[0]! };
  };
}

/**
 * Like `grads`, returning the value of f too: `{ value, grads }`.
 *
 * @example
 * ```ts
 * const { value, grads } = valueAndGrads((a, b) => a.mul(b).sum())([tensor([1, 2]), tensor([3, 4])]);
 * value.print(); // 11
 * grads[0]!.print(); // [3, 4]
 * ```
 */
export function valueAndGrads(
  f: (...xs: Tensor[]) => Tensor,
): (xs: readonly Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (xs, dy) => valueAndGradsImpl(engineOf(xs), 'valueAndGrads', f, xs, dy);
}

/**
 * Gradients of f() w.r.t. variables (default: every trainable variable of the engine).
 * A non-scalar value is summed. Variables that f does not use get no entry.
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, 2]), true, 'w2');
 * const { value, grads } = variableGrads(() => w.square().sum(), [w]);
 * value.print(); // 5
 * grads.w2!.print(); // [2, 4]
 * ```
 */
export function variableGrads(
  f: () => Tensor,
  varList?: readonly Variable[],
  engine: Engine = engineOf(varList ?? []),
): { value: Tensor; grads: Record<string, Tensor> } {
  const vars = varList ?? [...engine.variables.values()].filter((v) => v.trainable);
  vars.forEach((v, i) => engine.assertUsable(v, 'variableGrads', `varList[${i}]`));
  return engine.tidy(() => {
    const y = engine.withGradMode(true, f);
    assertTensorResult('variableGrads', y);
    const gs = engine.gradients(y, vars);
    const result: Record<string, Tensor> = {};
    vars.forEach((v, i) => {
      if (gs[i]) result[v.name] = gs[i];
    });
    return { value: engine.detach(y), grads: result };
  });
}

/**
 * Functional gradients (TF's tf.gradients): sums of dys/dx over ys.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2]).requiresGrad_();
 * const [dx] = gradients(x.square(), [x]); // a non-scalar output is summed
 * dx!.print(); // [2, 4]
 * ```
 */
export function gradients(
  ys: Tensor | readonly Tensor[],
  xs: readonly Tensor[],
  options?: Parameters<Engine['gradients']>[2],
): (Tensor | null)[] {
  return engineOf(ys).gradients(ys, xs, options);
}

export type SaveFn = (tensors: Tensor[]) => void;
export interface CustomGradResult {
  value: Tensor;
  gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | (Tensor | null)[];
}

/**
 * Defines a function with its own gradient: `f(...inputs, save)` returns the value
 * and `gradFunc(dy, saved)` giving one gradient per input.
 *
 * @example
 * ```ts
 * // a clipped gradient: the value of x², a gradient of at most 1 in magnitude
 * const f = customGrad((x: Tensor, save: SaveFn) => {
 *   save([x]);
 *   return { value: x.square(), gradFunc: (dy, [saved]) => dy.mul(saved!.mul(2).clipByValue(-1, 1)) };
 * });
 * grad((x) => f(x).sum())(tensor([0.25, 3])).print(); // [0.5, 1]
 * ```
 */
export function customGrad(
  f: (...args: never[]) => CustomGradResult,
): (...inputs: Tensor[]) => Tensor {
  const call = f as unknown as (...args: (Tensor | SaveFn)[]) => CustomGradResult;
  return (...inputs) => {
    const engine = engineOf(inputs);
    inputs.forEach((x, i) => engine.assertUsable(x, 'customGrad', `inputs[${i}]`));
    let saved: Tensor[] = [];
    const save: SaveFn = (ts) => {
      saved = ts;
    };
    const result = engine.withGradMode(false, () => call(...inputs, save));
    assertTensorResult('customGrad', result?.value);
    if (typeof result.gradFunc !== 'function')
      throw new ArgumentError('customGrad: f must return { value, gradFunc }');
    const record = engine.gradEnabled && inputs.some((x) => x.requiresGrad);
    if (!record) return result.value;
    const value = inputs.includes(result.value)
      ? (engine.run('Identity', [result.value]) as Tensor)
      : result.value;
    const gradFn: GradFn = (dy, ctx) => result.gradFunc(dy, [...ctx.saved]);
    engine.record(
      'CustomGradient',
      inputs,
      [value],
      [{ shape: value.shape, dtype: value.dtype }],
      {},
      gradFn,
      saved,
    );
    return value;
  };
}

/**
 * Activation checkpointing: fn's intermediate tensors are not kept for backward;
 * fn is run again during backward to compute its gradients.
 *
 * @example
 * ```ts
 * const block = checkpoint((x) => x.tanh().square()); // recomputed in backward, not stored
 * const x = tensor([0, 1]).requiresGrad_();
 * block(x).sum().backward();
 * x.grad!.print(); // [0, 0.6397]
 * ```
 */
export function checkpoint(fn: (...inputs: Tensor[]) => Tensor): (...inputs: Tensor[]) => Tensor;
export function checkpoint(
  fn: (...inputs: Tensor[]) => Tensor[],
): (...inputs: Tensor[]) => Tensor[];
export function checkpoint(
  fn: (...inputs: Tensor[]) => Tensor | Tensor[],
): (...inputs: Tensor[]) => Tensor | Tensor[] {
  return (...inputs) => {
    const engine = engineOf(inputs);
    inputs.forEach((x, i) => engine.assertUsable(x, 'checkpoint', `inputs[${i}]`));
    const record = engine.gradEnabled && inputs.some((x) => x.requiresGrad);
    const made = engine.withGradMode(false, () => fn(...inputs));
    if (!record) return made;
    const madeList = Array.isArray(made) ? made : [made];
    const outs = madeList.map((t) =>
      inputs.includes(t) ? (engine.run('Identity', [t]) as Tensor) : t,
    );
    const gradFn: GradFn = (_dy, ctx) => {
      const createGraph = engine.gradEnabled;
      return engine.withGradMode(true, () => {
        const xs = ctx.inputs.map((h) => (isFloatDtype(h.dtype) ? engine.watch(h) : h));
        const again = fn(...xs);
        const ys = Array.isArray(again) ? again : [again];
        return engine.gradients(ys, xs, { gradYs: ctx.dys, createGraph, unconnected: 'zero' });
      });
    };
    engine.record(
      'Checkpoint',
      inputs,
      outs,
      outs.map((t) => ({ shape: t.shape, dtype: t.dtype })),
      {},
      gradFn,
      [],
    );
    return Array.isArray(made) ? outs : outs[0]!;
  };
}

/**
 * Runs fn with NaN/Inf detection on every op (forward and backward).
 *
 * @example
 * ```ts
 * try {
 *   detectAnomaly(() => tensor([0, -1]).sqrt());
 * } catch (e) {
 *   console.log(e instanceof AnomalyError); // true
 * }
 * ```
 */
export function detectAnomaly<T>(fn: () => T, engine: Engine = engineOf()): T {
  const prev = engine.flags.detectAnomaly;
  engine.flags.detectAnomaly = true;
  try {
    return fn();
  } finally {
    engine.flags.detectAnomaly = prev;
  }
}

export interface GradCheckOptions {
  /** Finite-difference step (default 1e-6 in float64, 1e-2 in float32). */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed of the random projection of non-scalar outputs. */
  seed?: number;
  /** Precision of the check: float64 where the backend has it. */
  dtype?: 'float64' | 'float32';
}

export interface GradCheckInputReport {
  index: number;
  maxAbsError: number;
  maxRelError: number;
  worstElement: number;
  analytic: number[];
  numeric: number[];
  ok: boolean;
}

export interface GradCheckReport {
  ok: boolean;
  /** Largest |analytic - numeric| over all inputs. */
  maxAbsError: number;
  inputs: GradCheckInputReport[];
  summary: string;
}

/**
 * Compares f's analytic gradients with central finite differences of
 * L(x) = sum(w * f(x)) for a fixed random w, in float64 where the backend has it.
 *
 * @example
 * ```ts
 * const report = gradCheck((x) => x.sin().mul(x), [tensor([0.5, 2])]);
 * console.log(report.ok); // true
 * ```
 */
export function gradCheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradCheckOptions = {},
): GradCheckReport {
  const engine = engineOf(inputs);
  const f64 =
    (options.dtype ?? 'float64') === 'float64' && engine.backend.dtypes.includes('float64');
  const dtype: DType = f64 ? 'float64' : 'float32';
  const eps = options.eps ?? (f64 ? 1e-6 : 1e-2);
  const atol = options.atol ?? (f64 ? 1e-6 : 1e-2);
  const rtol = options.rtol ?? (f64 ? 1e-5 : 2e-2);
  inputs.forEach((x, i) => engine.assertUsable(x, 'gradCheck', `inputs[${i}]`));
  return engine.withGradMode(true, () =>
    engine.tidy(() => {
      const base = inputs.map((x) => Float64Array.from(x.dataSync()));
      const make = (vals: Float64Array, i: number) =>
        isFloatDtype(inputs[i]!.dtype)
          ? engine.makeTensor(toTypedArray(vals, dtype), inputs[i]!.shape, dtype, 'gradCheck')
          : inputs[i]!;
      const xs = base.map(make);
      const y0 = engine.withGradMode(false, () => f(...xs));
      assertTensorResult('gradCheck', y0);
      const rng = new Random(options.seed ?? 1234);
      const w = Float64Array.from({ length: y0.size }, () => 0.5 + rng.uniform());
      const project = (y: Tensor) => {
        const v = y.dataSync();
        let s = 0;
        for (let k = 0; k < v.length; k++) s += v[k]! * w[k]!;
        return s;
      };
      const wT = engine.makeTensor(toTypedArray(w, y0.dtype), y0.shape, y0.dtype, 'gradCheck');
      const floatIdx = inputs.map((x, i) => (isFloatDtype(x.dtype) ? i : -1)).filter((i) => i >= 0);
      const analyticTensors = valueAndGradsImpl(
        engine,
        'gradCheck',
        (...fx) => {
          const all = [...xs];
          floatIdx.forEach((i, k) => (all[i] = fx[k]!));
          return f(...all);
        },
        floatIdx.map((i) => xs[i]!),
        wT,
      ).grads;
      const reports = floatIdx.map((i, k) => {
        const analytic = Array.from(analyticTensors[k]!.dataSync());
        const numeric: number[] = [];
        for (let j = 0; j < base[i]!.length; j++) {
          const evalAt = (delta: number) =>
            engine.tidy(() => {
              const v = base[i]!.slice();
              v[j]! += delta;
              const args = [...xs];
              args[i] = make(v, i);
              return project(engine.withGradMode(false, () => f(...args)));
            });
          numeric.push((evalAt(eps) - evalAt(-eps)) / (2 * eps));
        }
        let maxAbs = 0;
        let maxRel = 0;
        let worst = -1;
        let ok = true;
        analytic.forEach((a, j) => {
          const n = numeric[j]!;
          const err = Math.abs(a - n);
          if (!(err <= atol + rtol * Math.abs(n))) ok = false;
          if (err > maxAbs || Number.isNaN(err)) {
            maxAbs = Number.isNaN(err) ? Infinity : err;
            worst = j;
          }
          maxRel = Math.max(maxRel, err / Math.max(Math.abs(n), 1e-12));
        });
        return {
          index: i,
          maxAbsError: maxAbs,
          maxRelError: maxRel,
          worstElement: worst,
          analytic,
          numeric,
          ok,
        };
      });
      const ok = reports.every((r) => r.ok);
      const maxAbsError = Math.max(0, ...reports.map((r) => r.maxAbsError));
      const summary = reports
        .map(
          (r) =>
            `input ${r.index} ${fmtShape(inputs[r.index]!.shape)}: max abs error ${r.maxAbsError.toExponential(2)}` +
            (r.worstElement >= 0
              ? ` at element ${r.worstElement} (analytic ${r.analytic[r.worstElement]}, numeric ${r.numeric[r.worstElement]})`
              : '') +
            (r.ok ? '' : ' FAILED'),
        )
        .join('\n');
      return { ok, maxAbsError, inputs: reports, summary };
    }),
  );
}

/**
 * Throws if `gradCheck` fails, with its summary (convenient in tests).
 *
 * @example
 * ```ts
 * assertGradCheck((a, b) => a.mul(b).exp(), [tensor([0.1, 0.2]), tensor([1, -1])]); // throws if wrong
 * ```
 */
export function assertGradCheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options?: GradCheckOptions,
): void {
  const report = gradCheck(f, inputs, options);
  if (!report.ok) throw new GradientError(`gradCheck failed:\n${report.summary}`);
}

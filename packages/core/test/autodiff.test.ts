import { describe, expect, it } from 'vitest';
import {
  AnomalyError,
  DTypeError,
  GradientError,
  checkpoint,
  createEngine,
  createTensor,
  customGrad,
  detectAnomaly,
  grad,
  gradCheck,
  grads,
  valueAndGrad,
  valueAndGrads,
  variableGrads,
  type Kernel,
  type KernelArgs,
  type Tensor,
} from '../src/index.js';
import {
  add,
  cos,
  exp,
  log,
  mul,
  neg,
  refBackend,
  refEngine,
  refOps,
  sign,
  sin,
  square,
  sumAll,
  vals,
} from './fixtures.js';

const e = refEngine();
const T = (v: number | number[], dtype?: 'float32' | 'float64' | 'int32') =>
  createTensor(e, v, undefined, dtype);
// f(x, y) = x²y + y + 2
const f = (x: Tensor, y: Tensor) => add(add(mul(mul(x, x), y), y), T(2));

describe('functional autodiff', () => {
  it('seed: ∂f/∂x = 24 and ∂f/∂y = 10 at (3, 4)', () => {
    const [dx, dy] = grads(f)([T(3), T(4)]);
    expect(vals(dx!)).toEqual([24]);
    expect(vals(dy!)).toEqual([10]);
    const { value, grads: g } = valueAndGrads(f)([T(3), T(4)]);
    expect(vals(value)).toEqual([42]);
    expect(vals(g[0]!)).toEqual([24]);
  });

  it('sums all the gradient contributions of a tensor with one AddN', () => {
    const base = refBackend();
    const addN = base.kernels.AddN! as Kernel;
    const addNInputs: number[] = [];
    const counting = createEngine({
      ops: [refOps],
      backends: [
        {
          ...base,
          kernels: {
            ...base.kernels,
            AddN: (args: KernelArgs) => {
              addNInputs.push(args.inputs.length);
              return addN(args);
            },
          },
        },
      ],
    });
    const x = createTensor(counting, [0.5, 2]);
    // x feeds four ops: d/dx (x·x + sin x + eˣ) = 2x + cos x + eˣ (x·x contributes twice).
    const g = grad((t: Tensor) => add(add(mul(t, t), sin(t)), exp(t)))(
      x,
      createTensor(counting, [1, 1]),
    );
    const want = [0.5, 2].map((v) => 2 * v + Math.cos(v) + Math.exp(v));
    vals(g).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    expect(addNInputs).toEqual([4]);
  });

  it('grad and valueAndGrad of one argument; the value is cut from the tape', () => {
    const g = grad((x) => mul(x, x))(T([1, 2, 3]), T([1, 1, 1]));
    expect(vals(g)).toEqual([2, 4, 6]);
    const { value, grad: dg } = valueAndGrad((x) => sumAll(mul(x, x)))(T([1, 2]));
    expect(vals(value)).toEqual([5]);
    expect(vals(dg)).toEqual([2, 4]);
    expect(value.requiresGrad).toBe(false);
  });

  it('a non-scalar output without a seed is an error naming the shape', () => {
    expect(() => grad((x) => mul(x, x))(T([1, 2]))).toThrow(GradientError);
    expect(() => grad((x) => mul(x, x))(T([1, 2]))).toThrow(/shape \[2\]/);
  });

  it('higher order: grad(grad(f)) and a third derivative', () => {
    const cube = (x: Tensor) => mul(mul(x, x), x);
    const d1 = grad(cube);
    const d2 = grad((x) => d1(x));
    const d3 = grad((x) => d2(x));
    expect(vals(d1(T(2)))).toEqual([12]); // 3x²
    expect(vals(d2(T(2)))).toEqual([12]); // 6x
    expect(vals(d3(T(2)))).toEqual([6]);
  });

  it('higher order with a closure over an outer variable: d/dx [d/dy (x·y)] = 1', () => {
    const outer = grad((x) => grad((y) => mul(x, y))(T(5)));
    expect(vals(outer(T(3)))).toEqual([1]);
  });

  it('variableGrads differentiates trainable variables by name and sums a vector value', () => {
    const w = e.variable(T([1, 2]), true, 'vg_w');
    const frozen = e.variable(T([3, 4]), false, 'vg_frozen');
    const { value, grads: g } = variableGrads(() => mul(mul(w, w), frozen), [w]);
    expect(vals(value)).toEqual([3, 16]);
    expect(vals(g['vg_w']!)).toEqual([6, 16]);
    expect(g['vg_frozen']).toBeUndefined();
  });

  it('gradients(): unconnected none/zero, stopGradients, gradYs', () => {
    const x = T([1, 2]).requiresGrad_();
    const z = T([5, 5]).requiresGrad_();
    const y = mul(x, x);
    expect(e.gradients(y, [z])).toEqual([null]);
    expect(vals(e.gradients(y, [z], { unconnected: 'zero', retainGraph: true })[0]!)).toEqual([
      0, 0,
    ]);
    const u = mul(x, x);
    const v = mul(u, x); // x³ through u = x²
    expect(vals(e.gradients(v, [x], { stopGradients: [u], retainGraph: true })[0]!)).toEqual([
      1, 4,
    ]); // u treated as constant
    expect(vals(e.gradients(v, [x], { gradYs: [T([1, 0])] })[0]!)).toEqual([3, 0]);
  });

  it('stopGradient blocks the gradient; int inputs cannot be differentiated', () => {
    const g = grad((x) => mul(x, e.run('StopGradient', [x]) as Tensor))(T(3));
    expect(vals(g)).toEqual([3]);
    expect(() => grad((x) => x)(T(1, 'int32'))).toThrow(/float tensors/);
  });
});

describe('imperative autodiff (PyTorch style)', () => {
  it('seed via backward(): x.grad = 24, y.grad = 10', () => {
    const x = T(3).requiresGrad_();
    const y = T(4).requiresGrad_();
    f(x, y).backward();
    expect(vals(x.grad!)).toEqual([24]);
    expect(vals(y.grad!)).toEqual([10]);
  });

  it('.grad accumulates across backward() calls and resets when zeroed', () => {
    const x = T([1, 2]).requiresGrad_();
    sumAll(mul(x, x)).backward();
    sumAll(mul(x, x)).backward();
    expect(vals(x.grad!)).toEqual([4, 8]);
    x.grad = null;
    sumAll(mul(x, x)).backward();
    expect(vals(x.grad!)).toEqual([2, 4]);
  });

  it('backward of a non-scalar needs a seed; a seed of the wrong shape is an error', () => {
    const x = T([1, 2]).requiresGrad_();
    const y = mul(x, x);
    expect(() => y.backward()).toThrow(/the output has shape \[2\]/);
    expect(() => y.backward(T([1, 2, 3]))).toThrow(
      /seed gradient has shape \[3\], the output \[2\]/,
    );
    y.backward(T([1, 0.5]));
    expect(vals(x.grad!)).toEqual([2, 2]);
  });

  it('a second backward through the same graph needs retainGraph', () => {
    const x = T([2]).requiresGrad_();
    const y = sumAll(exp(x));
    y.backward();
    expect(() => y.backward()).toThrow(/second time/);
    const z = sumAll(exp(x));
    x.grad = null;
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expect(vals(x.grad!)[0]).toBeCloseTo(2 * Math.exp(2), 4);
  });

  it('backward with createGraph makes .grad differentiable (Hessian-vector product)', () => {
    const x = T([1, 2]).requiresGrad_();
    const y = sumAll(mul(mul(x, x), x)); // Σx³
    y.backward(undefined, { createGraph: true });
    const g = x.grad!; // 3x²
    expect(vals(g)).toEqual([3, 12]);
    const [h] = e.gradients(sumAll(g), [x]); // 6x
    expect(vals(h!)).toEqual([6, 12]);
  });

  it('hooks can replace the gradient of leaves and of intermediate tensors', () => {
    const x = T([1, 2]).requiresGrad_();
    const seen: number[][] = [];
    x.registerHook((g) => {
      seen.push(vals(g));
      return mul(g, T(10));
    });
    const u = mul(x, x);
    const handle = u.registerHook((g) => mul(g, T(2)));
    sumAll(u).backward();
    expect(seen).toEqual([[4, 8]]);
    expect(vals(x.grad!)).toEqual([40, 80]);
    handle.remove();
  });

  it('requiresGrad rules: leaves only, floats only; detach cuts the graph', () => {
    const x = T([1]).requiresGrad_();
    const y = mul(x, x);
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(y.gradFn).toBe('Mul');
    expect(() => (y.requiresGrad = false)).toThrow(/leaf/);
    expect(() => T(1, 'int32').requiresGrad_()).toThrow(DTypeError);
    const d = y.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(() => d.backward()).toThrow(/does not require grad/);
  });

  it('ops inside noGrad are not recorded', () => {
    const x = T([1]).requiresGrad_();
    const y = e.withGradMode(false, () => mul(x, x));
    expect(y.requiresGrad).toBe(false);
  });
});

describe('customGrad, checkpoint, gradient overrides', () => {
  it('customGrad uses the given gradient and its saved tensors', () => {
    const clippedSquare = customGrad((x: Tensor, save: (t: Tensor[]) => void) => {
      save([x]);
      return { value: mul(x, x), gradFunc: (dy: Tensor, [sx]: Tensor[]) => [mul(dy, sx!)] }; // deliberately x, not 2x
    });
    const x = T([3]).requiresGrad_();
    const y = clippedSquare(x);
    expect(vals(y)).toEqual([9]);
    y.backward();
    expect(vals(x.grad!)).toEqual([3]);
  });

  it('checkpoint gives the same gradients while saving fewer tensors', () => {
    const block = (x: Tensor) => exp(sin(mul(x, x)));
    const x1 = T([0.3, 0.7]).requiresGrad_();
    const plain = sumAll(block(x1));
    const savedPlain = e.memory().numSavedTensors;
    plain.backward();
    const x2 = T([0.3, 0.7]).requiresGrad_();
    const ckpt = sumAll(checkpoint(block)(x2));
    const savedCkpt = e.memory().numSavedTensors;
    ckpt.backward();
    expect(savedCkpt).toBeLessThan(savedPlain);
    vals(x2.grad!).forEach((g, i) => expect(g).toBeCloseTo(vals(x1.grad!)[i]!, 5));
  });

  it('checkpoint supports second-order gradients', () => {
    const d2 = grad((x) => grad((y) => checkpoint((z: Tensor) => mul(mul(z, z), z))(y))(x));
    expect(vals(d2(T(2)))).toEqual([12]);
  });

  it('withGradientOverride turns Sign into a straight-through estimator, only inside the scope', () => {
    const g1 = e.withGradientOverride({ Sign: 'Identity' }, () =>
      grad((x) => sign(x))(T([-2, 3]), T([1, 1])),
    );
    expect(vals(g1)).toEqual([1, 1]);
    expect(vals(grad((x) => sign(x))(T([-2, 3]), T([1, 1])))).toEqual([0, 0]);
  });

  it('registerGradient overrides an op gradient for the engine', () => {
    const e2 = refEngine();
    e2.registerGradient('Neg', (dy) => [mul(dy, createTensor(e2, 5))]);
    const g = grad((x) => neg(x))(createTensor(e2, [1]), createTensor(e2, [1]));
    expect(vals(g)).toEqual([5]);
  });

  it('a missing gradient fails at backward with the op name', () => {
    const e2 = refEngine();
    e2.use({
      kind: 'ops',
      name: 'opaque',
      ops: [{ name: 'Opaque', inferShape: ([x]) => x!.shape }],
    });
    e2.registerKernel('ref', 'Opaque', ({ inputs: [x] }) => x!);
    const x = createTensor(e2, [1]).requiresGrad_();
    const y = e2.run('Opaque', [x]) as Tensor;
    expect(vals(y)).toEqual([1]);
    expect(() => sumAll(y).backward()).toThrow(GradientError);
    expect(() => sumAll(e2.run('Opaque', [x]) as Tensor).backward()).toThrow(
      /Opaque: no gradient is defined/,
    );
  });
});

describe('gradCheck and detectAnomaly', () => {
  it('gradCheck passes for correct gradients (float64) and reports wrong ones', () => {
    const ok = gradCheck((x, y) => mul(sin(x), exp(y)), [T([0.1, 0.5]), T([0.2, -0.3])]);
    expect(ok.ok).toBe(true);
    expect(ok.maxAbsError).toBeLessThan(1e-7);
    const e2 = refEngine();
    e2.registerGradient('Sin', (dy, { inputs: [x] }) => [mul(dy, sin(x!))]); // wrong on purpose
    const bad = gradCheck((x) => sin(x), [createTensor(e2, [0.4, 1.1])]);
    expect(bad.ok).toBe(false);
    expect(bad.summary).toMatch(/FAILED/);
  });

  it('detectAnomaly names the op that made a NaN, forward and backward', () => {
    expect(() => detectAnomaly(() => log(T([-1])), e)).toThrow(AnomalyError);
    expect(() => detectAnomaly(() => log(T([-1])), e)).toThrow(
      /Log produced NaN .*inputs were made by: tensor/,
    );
    // log(1e-320) is finite, but its gradient 1/x overflows float64 in the backward's Exp.
    const x = T([1e-320], 'float64').requiresGrad_();
    expect(() => detectAnomaly(() => sumAll(log(x)).backward(), e)).toThrow(
      /Exp \(in the backward of Log\) produced Infinity/,
    );
    expect(vals(cos(T([0])))).toEqual([1]);
  });

  it('a composite op without its own gradient is differentiated through its composition', () => {
    expect(vals(grad((x) => square(x))(T([3]), T([1])))).toEqual([6]);
  });
});

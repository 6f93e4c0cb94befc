import type { Engine, Tensor, Variable } from '@tapegrad/core';
import {
  ArgumentError,
  createTensor,
  engineOf,
  getDefaultEngine,
  variableGrads,
} from '@tapegrad/core';

/** A learning rate, constant or a function of the step count (see schedules). */
export type LearningRate = number | ((iteration: number) => number);

/** Gradients by variable name (what `variableGrads` returns), or tfjs's list form. */
export type NamedGradients = Record<string, Tensor> | readonly NamedTensor[];

export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/**
 * Base of the optimizers. Subclasses implement `update`, one variable at a time,
 * with torch.optim's update rule; state lives in per-variable slots.
 *
 * Two ways to use one: tfjs style, `opt.minimize(() => loss)`; or PyTorch style,
 * `loss.backward(); opt.step(); opt.zeroGrad()` on the variables' `.grad`.
 *
 * @example
 * ```ts
 * // PyTorch style: backward fills .grad, step() applies it, zeroGrad() clears it
 * const w = variable(tensor([1, 2]));
 * const opt: Optimizer = new SGDOptimizer(0.1);
 * tidy(() => w.square().sum().backward()); // grad 2w = [2, 4]
 * opt.step([w]);
 * opt.zeroGrad([w]);
 * w.print(); // [0.8, 1.6]
 * // tfjs style: minimize(f) does the same in one call
 * opt.minimize(() => w.square().sum(), false, [w]);
 * w.print(); // [0.64, 1.28]
 * ```
 */
export abstract class Optimizer {
  /** Number of updates applied so far (t in the bias corrections). */
  iterations = 0;
  private readonly slots = new Map<Variable, Map<string, Tensor>>();

  constructor(readonly learningRate: LearningRate) {
    if (typeof learningRate === 'number' && !(learningRate >= 0)) {
      throw new ArgumentError(
        `${this.constructor.name}: learning rate must be a non-negative number, got ${learningRate}`,
      );
    }
  }

  /** Learning rate for the update being applied. */
  protected currentLearningRate(): number {
    return typeof this.learningRate === 'number'
      ? this.learningRate
      : this.learningRate(this.iterations);
  }

  /** Applies one update to `variable` from its gradient `grad` (inside a tidy scope). */
  protected abstract update(variable: Variable, grad: Tensor, lr: number): void;

  /**
   * Minimizes f(): computes the gradients of its value (summed, if it is not a scalar)
   * with respect to `varList` (default: every trainable variable) and applies them.
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]));
   * const opt = train.sgd(0.1);
   * const cost = opt.minimize(() => w.square().sum(), true, [w]); // the cost before the step
   * cost!.print(); // 5
   * w.print(); // [0.8, 1.6]
   * ```
   */
  minimize(f: () => Tensor, returnCost = false, varList?: readonly Variable[]): Tensor | null {
    const { value, grads } = variableGrads(f, varList);
    const engine = value.engine;
    try {
      this.applyGradients(grads, engine);
    } finally {
      engine.dispose(grads);
    }
    if (returnCost) return value;
    value.dispose();
    return null;
  }

  /**
   * Applies gradients given by variable name.
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]), true, 'apply/w');
   * const { grads } = variableGrads(() => w.square().sum(), [w]);
   * train.sgd(0.5).applyGradients(grads); // { 'apply/w': [2, 4] }
   * w.print(); // [0, 0]
   * ```
   */
  applyGradients(grads: NamedGradients, engine?: Engine): void {
    const list: readonly NamedTensor[] = isNamedList(grads)
      ? grads
      : Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
    engine ??= engineOf(list[0]?.tensor);
    const pairs = list.map(({ name, tensor }) => {
      const variable = engine.variables.get(name);
      if (!variable) {
        throw new ArgumentError(
          `applyGradients: no variable named '${name}' (gradients are matched to variables by name)`,
        );
      }
      return [variable, tensor] as const;
    });
    this.applyPairs(pairs, engine);
  }

  /**
   * PyTorch style: updates every variable (default: all trainable ones) that has a `.grad`.
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]));
   * const opt = train.sgd(0.1);
   * w.square().sum().backward();
   * opt.step([w]);
   * w.print(); // [0.8, 1.6]
   * ```
   */
  step(varList?: readonly Variable[]): void {
    const engine = varList?.[0]?.engine ?? getDefaultEngine();
    const vars = varList ?? [...engine.variables.values()].filter((v) => v.trainable);
    this.applyPairs(
      vars.filter((v) => v.grad !== null).map((v) => [v, v.grad!] as const),
      engine,
    );
  }

  /**
   * Clears `.grad` of the given variables (default: all trainable ones).
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]));
   * w.sum().backward();
   * train.sgd(0.1).zeroGrad([w]);
   * console.log(w.grad); // null
   * ```
   */
  zeroGrad(varList?: readonly Variable[]): void {
    const vars = varList ?? [...getDefaultEngine().variables.values()].filter((v) => v.trainable);
    for (const v of vars) v.grad = null;
  }

  private applyPairs(pairs: readonly (readonly [Variable, Tensor])[], engine: Engine): void {
    for (const [v, g] of pairs) {
      if (g.shape.join() !== v.shape.join()) {
        throw new ArgumentError(
          `${this.constructor.name}: gradient for '${v.name}' has shape [${g.shape.join(',')}], the variable [${v.shape.join(',')}]`,
        );
      }
    }
    const lr = this.currentLearningRate();
    this.iterations++;
    engine.withGradMode(false, () =>
      engine.tidy(() => {
        for (const [v, g] of pairs)
          this.update(
            v,
            g.dtype === v.dtype ? g : (g.engine.run('Cast', [g], { dtype: v.dtype }) as Tensor),
            lr,
          );
      }),
    );
  }

  /** A state tensor of `variable` (created by `init` on first use). */
  protected getSlot(variable: Variable, name: string, init: () => Tensor): Tensor {
    let map = this.slots.get(variable);
    if (!map) this.slots.set(variable, (map = new Map<string, Tensor>()));
    let t = map.get(name);
    if (!t) {
      t = variable.engine.keep(init());
      map.set(name, t);
    }
    return t;
  }

  /** Replaces a state tensor (the previous one is disposed). */
  protected setSlot(variable: Variable, name: string, value: Tensor): void {
    const map = this.slots.get(variable) ?? new Map<string, Tensor>();
    this.slots.set(variable, map);
    const prev = map.get(name);
    map.set(name, variable.engine.keep(value));
    if (prev && prev !== value) prev.dispose();
  }

  /**
   * Optimizer state as named tensors (`iterations`, then `<variable>/<slot>`), for checkpoints.
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]), true, 'state/w');
   * const opt = train.momentum(0.1, 0.9);
   * opt.minimize(() => w.square().sum(), false, [w]);
   * console.log(opt.getWeights().map((x) => x.name)); // ['iterations', 'state/w/momentum']
   * ```
   */
  getWeights(): NamedTensor[] {
    const engine = [...this.slots.keys()][0]?.engine ?? getDefaultEngine();
    const out: NamedTensor[] = [
      { name: 'iterations', tensor: createTensor(engine, this.iterations, [], 'int32') },
    ];
    for (const [v, map] of this.slots) {
      for (const [slot, t] of map)
        out.push({ name: `${v.name}/${slot}`, tensor: engine.run('Identity', [t]) as Tensor });
    }
    return out;
  }

  /**
   * Restores state saved by `getWeights` (variables are matched by name).
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]), true, 'restore/w');
   * const a = train.adam(0.1);
   * a.minimize(() => w.square().sum(), false, [w]);
   * const b = train.adam(0.1);
   * b.setWeights(a.getWeights()); // b continues where a stopped
   * console.log(b.getWeights().length); // 3
   * ```
   */
  setWeights(weights: readonly NamedTensor[]): void {
    for (const { name, tensor } of weights) {
      if (name === 'iterations') {
        this.iterations = tensor.dataSync()[0]!;
        continue;
      }
      const cut = name.lastIndexOf('/');
      const variable = tensor.engine.variables.get(name.slice(0, cut));
      if (cut < 0 || !variable)
        throw new ArgumentError(`setWeights: '${name}' names no variable of this engine`);
      if (tensor.shape.join() !== variable.shape.join()) {
        throw new ArgumentError(
          `setWeights: '${name}' has shape [${tensor.shape.join(',')}], variable '${variable.name}' [${variable.shape.join(',')}]`,
        );
      }
      this.setSlot(
        variable,
        name.slice(cut + 1),
        tensor.engine.run('Identity', [tensor]) as Tensor,
      );
    }
  }

  /**
   * Releases the optimizer state.
   *
   * @example
   * ```ts
   * const opt = train.adam(0.1);
   * // ... training ...
   * opt.dispose();
   * ```
   */
  dispose(): void {
    for (const map of this.slots.values()) for (const t of map.values()) t.dispose();
    this.slots.clear();
  }
}

function isNamedList(grads: NamedGradients): grads is readonly NamedTensor[] {
  return Array.isArray(grads);
}
